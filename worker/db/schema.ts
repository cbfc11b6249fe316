/** The D1 tables, as drizzle sees them; drizzle-kit turns changes here into worker/migrations. */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  type KeyScope,
  LOCALES,
  MEMBER_ROLES,
  type ServiceWording,
  STATUSES,
  SUBSCRIPTION_KINDS,
} from '../../shared';

const createdAt = () => text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

/** A team that owns services and receives their stories. */
export const departments = sqliteTable('departments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  contactEmail: text('contact_email').notNull(),
  /**
   * Stories older than this many days are deleted by the retention sweep. New departments get
   * DEFAULT_RETENTION_DAYS (365) from the operator API; the column's SQL default is older and
   * stays, since changing it would mean rebuilding a table D1 cannot rebuild under its references.
   */
  retentionDays: integer('retention_days').notNull().default(730),
  createdAt: createdAt(),
});

/** A public service that a department runs and that pages embed the widget for. */
export const services = sqliteTable(
  'services',
  {
    id: text('id').primaryKey(),
    departmentId: text('department_id')
      .notNull()
      .references(() => departments.id),
    name: text('name').notNull(),
    /** The service's own words in the widget, per language (`ServiceWording`). */
    wording: text('wording', { mode: 'json' }).$type<ServiceWording>().notNull().default({}),
    /** Cloudflare Turnstile, when the service turned it on: the widget's site key and its secret. */
    turnstileSitekey: text('turnstile_sitekey'),
    /** Whether the department may publish this service's stories (each one still by choice). */
    publishing: integer('publishing', { mode: 'boolean' }).notNull().default(false),
    turnstileSecret: text('turnstile_secret'),
    /** The service's privacy notice, which the widget links to as "How we use your feedback". */
    privacyUrl: text('privacy_url'),
    createdAt: createdAt(),
  },
  (table) => [index('services_department_idx').on(table.departmentId)],
);

/**
 * Where a service's widget was last shown: the page's origin and the time, from the widget's
 * configuration request, nothing about the citizen. Origins not registered are kept too (a few per
 * service), since showing them is how a department finds the origin it forgot to register.
 */
export const originSightings = sqliteTable(
  'origin_sightings',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    origin: text('origin').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.serviceId, table.origin] })],
);

/** The web origins allowed to post stories for a service (`https://www.example.gov.uk`). */
export const serviceOrigins = sqliteTable(
  'service_origins',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    origin: text('origin').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.serviceId, table.origin] }),
    index('service_origins_origin_idx').on(table.origin),
  ],
);

/** One citizen's rating and story. */
export const feedback = sqliteTable(
  'feedback',
  {
    id: text('id').primaryKey(),
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    rating: integer('rating').notNull(),
    story: text('story'),
    page: text('page'),
    locale: text('locale', { enum: LOCALES }).notNull().default('en'),
    severity: text('severity', { enum: ['normal', 'urgent'] })
      .notNull()
      .default('normal'),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /**
     * A keyed hash (HMAC under TELLUS_SECRET) of the story as stored, redacted, without its key: a
     * replay must match it to count as the same story. Never a plain hash, never of unredacted words.
     */
    fingerprint: text('fingerprint').notNull(),
    /** `new` until the department acknowledges, answers or closes it. */
    status: text('status', { enum: STATUSES }).notNull().default('new'),
    /** The department's own tags on the story. */
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** Shown publicly with its answers; never by default, only when the department says so. */
    published: integer('published', { mode: 'boolean' }).notNull().default(false),
    /** SHA-256 of the citizen's receipt code; the code itself is never stored. */
    receiptHash: text('receipt_hash').unique(),
    /**
     * A keyed hash of the service, the client's address and the story's words, to drop a repeat
     * sent minutes later; the address cannot be recovered from it.
     */
    repeatKey: text('repeat_key'),
    /** Sent from the console's preview: never delivered, left out of summaries, exports and publishing. */
    test: integer('test', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (table) => [
    index('feedback_service_created_idx').on(table.serviceId, table.createdAt),
    index('feedback_repeat_idx').on(table.repeatKey, table.createdAt),
    index('feedback_created_idx').on(table.createdAt),
    check('feedback_rating_range', sql`${table.rating} BETWEEN 1 AND 5`),
  ],
);

/**
 * Form tokens that have made their story: a token makes one. Kept apart from the story, so that
 * deleting the story (by its receipt, or at the end of retention) does not free its token; pruned
 * once a token is too old to be taken anyway.
 */
export const spentFormTokens = sqliteTable(
  'spent_form_tokens',
  {
    token: text('token').primaryKey(),
    spentAt: text('spent_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (table) => [index('spent_form_tokens_spent_idx').on(table.spentAt)],
);

/** Where a department wants its stories: a signed webhook, an email address, a Teams or Slack channel. */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    departmentId: text('department_id')
      .notNull()
      .references(() => departments.id),
    kind: text('kind', { enum: SUBSCRIPTION_KINDS }).notNull(),
    /** An https URL for a webhook, an address for email, the channel's webhook URL (a secret) for Teams and Slack. */
    target: text('target').notNull(),
    /** The `whsec_` signing secret (webhooks only). */
    secret: text('secret'),
    /** The secret before the last rotation, still signed with until `previousSecretUntil`. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: text('previous_secret_until'),
    /** Service ids this subscription wants; null means all of the department's services. */
    services: text('services', { mode: 'json' }).$type<string[] | null>(),
    minSeverity: text('min_severity', { enum: ['normal', 'urgent'] })
      .notNull()
      .default('normal'),
    /** Only stories rated at or below this; null means every rating. */
    maxRating: integer('max_rating'),
    mode: text('mode', { enum: ['each', 'daily'] })
      .notNull()
      .default('each'),
    state: text('state', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    disabledReason: text('disabled_reason'),
    /**
     * Who disabled it, which decides who may enable it again: `department` (paused in the console),
     * `operator`, or `failures` (Tellus, after a 410 or days of failures). Null while active.
     */
    disabledBy: text('disabled_by', { enum: ['department', 'operator', 'failures'] }),
    disabledAt: text('disabled_at'),
    /** When a test event to it was last received. */
    testedOkAt: text('tested_ok_at'),
    /** When the current window of test events began, and how many it has had: a few an hour. */
    testWindowStartedAt: text('test_window_started_at'),
    testsInWindow: integer('tests_in_window').notNull().default(0),
    /** When the current run of failures began; null while deliveries succeed. */
    failingSince: text('failing_since'),
    createdAt: createdAt(),
  },
  (table) => [index('subscriptions_department_idx').on(table.departmentId)],
);

/** The outbox: one row per story and subscription, written in the same batch as the story. */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    feedbackId: text('feedback_id')
      .notNull()
      .references(() => feedback.id, { onDelete: 'cascade' }),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    /** `each`: sent as soon as possible; `digest`: waits for the subscription's daily digest. */
    kind: text('kind', { enum: ['each', 'digest'] }).notNull(),
    /** Set for a `feedback.answered` event: the answer it carries. Otherwise `feedback.created`. */
    answerId: text('answer_id').references(() => answers.id, { onDelete: 'cascade' }),
    state: text('state', { enum: ['pending', 'delivered'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due (ISO 8601). */
    dueAt: text('due_at').notNull(),
    /** While an attempt is in flight, no one else may start one before this time. */
    leaseUntil: text('lease_until'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    deliveredAt: text('delivered_at'),
    /**
     * When a receiver's success sent it again ahead of its schedule (re-drive): once in its life, so
     * one that fails again keeps its own schedule and no success can keep retrying it.
     */
    redrivenAt: text('redriven_at'),
    createdAt: createdAt(),
  },
  (table) => [
    index('deliveries_due_idx').on(table.state, table.dueAt),
    index('deliveries_subscription_idx').on(table.subscriptionId, table.state),
    index('deliveries_feedback_idx').on(table.feedbackId),
  ],
);

/** A department's public answer to a story, and whether something changed because of it. */
export const answers = sqliteTable(
  'answers',
  {
    id: text('id').primaryKey(),
    feedbackId: text('feedback_id')
      .notNull()
      .references(() => feedback.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    changed: integer('changed', { mode: 'boolean' }).notNull().default(false),
    change: text('change'),
    createdAt: createdAt(),
  },
  (table) => [index('answers_feedback_idx').on(table.feedbackId)],
);

/**
 * An answer that came as a reply to an alert email: who sent it, and its `Message-ID` (hashed, so
 * any length fits), which makes the same message delivered twice store one answer.
 */
export const emailReplies = sqliteTable('email_replies', {
  messageIdHash: text('message_id_hash').primaryKey(),
  answerId: text('answer_id')
    .notNull()
    .references(() => answers.id, { onDelete: 'cascade' }),
  from: text('from_address').notNull(),
  receivedAt: text('received_at').notNull(),
});

/** Every attempt to deliver, kept for operators and departments to see. */
export const deliveryAttempts = sqliteTable(
  'delivery_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => deliveries.id, { onDelete: 'cascade' }),
    attemptedAt: text('attempted_at').notNull(),
    /** The HTTP status, or null when there was no response (timeout, refused, email error). */
    status: integer('status'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (table) => [index('delivery_attempts_delivery_idx').on(table.deliveryId)],
);

/** A department's API key: only its SHA-256 is kept; the key itself is shown once. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    departmentId: text('department_id')
      .notNull()
      .references(() => departments.id),
    hash: text('hash').notNull().unique(),
    scopes: text('scopes', { mode: 'json' }).$type<KeyScope[]>().notNull(),
    label: text('label'),
    createdAt: createdAt(),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  (table) => [index('api_keys_department_idx').on(table.departmentId)],
);

/** Every email Tellus sent (not its body): what a department was told, and when. */
export const sentEmails = sqliteTable(
  'sent_emails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `story`, `digest`, `subscription-disabled` or `test`. */
    kind: text('kind').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    /** The delivery or subscription the email was about. */
    about: text('about'),
    sentAt: text('sent_at').notNull(),
  },
  (table) => [index('sent_emails_about_idx').on(table.about)],
);

/** A person of a department who may sign in to the console; operators add them. */
export const members = sqliteTable(
  'members',
  {
    id: text('id').primaryKey(),
    departmentId: text('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    /** Lowercased. */
    email: text('email').notNull(),
    /** `admin`: services, subscriptions, members and keys too; `member`: read, answer, publish, export. */
    role: text('role', { enum: MEMBER_ROLES }).notNull().default('member'),
    /** Who invited them (a member's address, or `operator`). */
    invitedBy: text('invited_by'),
    lastSignInAt: text('last_sign_in_at'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('members_department_email_idx').on(table.departmentId, table.email),
    index('members_email_idx').on(table.email),
  ],
);

/** A sign-in link sent by email: only its SHA-256 is kept; it works once, for 15 minutes. */
export const signInLinks = sqliteTable(
  'sign_in_links',
  {
    hash: text('hash').primaryKey(),
    departmentId: text('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    createdAt: createdAt(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    /** The keyed hash of the client that asked for it, to limit what one client can send. */
    requestedBy: text('requested_by'),
  },
  (table) => [index('sign_in_links_email_idx').on(table.email, table.createdAt)],
);

/** A console session: only the SHA-256 of its cookie is kept. */
export const consoleSessions = sqliteTable('console_sessions', {
  hash: text('hash').primaryKey(),
  departmentId: text('department_id')
    .notNull()
    .references(() => departments.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  createdAt: createdAt(),
  lastSeenAt: text('last_seen_at').notNull(),
  endedAt: text('ended_at'),
});

/** Every change of a story's status: from what, to what, by whom, when. */
export const statusChanges = sqliteTable(
  'status_changes',
  {
    id: text('id').primaryKey(),
    feedbackId: text('feedback_id')
      .notNull()
      .references(() => feedback.id, { onDelete: 'cascade' }),
    from: text('from_status', { enum: STATUSES }).notNull(),
    to: text('to_status', { enum: STATUSES }).notNull(),
    /** A member's email address, or `API key <label or id>`. */
    by: text('by').notNull(),
    at: text('at').notNull(),
  },
  (table) => [index('status_changes_feedback_idx').on(table.feedbackId)],
);

/**
 * Every change a department's admins (or an operator) made to its services, origins, members,
 * roles, keys and subscriptions: who, when, what, and the object before and after, never a secret.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    departmentId: text('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    at: text('at').notNull(),
    /** A member's address, or `operator`. */
    actor: text('actor').notNull(),
    /** What was done, as `<object>.<verb>`: `service.created`, `member.role-changed`, … */
    action: text('action').notNull(),
    /** The id of the object changed (a service id, a member's address, a key or subscription id). */
    subject: text('subject').notNull(),
    before: text('before', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    after: text('after', { mode: 'json' }).$type<Record<string, unknown> | null>(),
  },
  (table) => [index('audit_events_department_idx').on(table.departmentId, table.id)],
);

export type Member = typeof members.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type StatusChange = typeof statusChanges.$inferSelect;
export type Department = typeof departments.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type Answer = typeof answers.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type NewSubscription = typeof subscriptions.$inferInsert;
export type Delivery = typeof deliveries.$inferSelect;
export type NewDelivery = typeof deliveries.$inferInsert;
export type Service = typeof services.$inferSelect;
export type Feedback = typeof feedback.$inferSelect;
export type NewFeedback = typeof feedback.$inferInsert;
