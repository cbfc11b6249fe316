/**
 * What the worker answers: the body of every successful response, for the API document
 * (`GET /v1/openapi.json`) and the contract test that holds the worker to it. Objects are strict,
 * so a field the document does not name (a secret, say) is a broken contract, not a quiet extra.
 */
import * as v from 'valibot';
import { MEMBER_ROLES } from './admin';
import { KEY_SCOPES, STATUSES } from './department';
import { LOCALES, RATING_MAX, RATING_MIN } from './limits';
import { SEVERITIES } from './severity';
import { SUBSCRIPTION_KINDS } from './subscriptions';

const Id = v.pipe(v.string(), v.minLength(1));
const Instant = v.pipe(v.string(), v.isoTimestamp());
const NullableText = v.nullable(v.string());
const StoredRating = v.pipe(v.number(), v.integer(), v.minValue(RATING_MIN), v.maxValue(RATING_MAX));
const Share = v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(1)));

/** `GET /healthz`. */
export const Health = v.strictObject({ status: v.literal('ok') });

const Integrity = v.pipe(v.string(), v.regex(/^sha384-[A-Za-z0-9+/]+=*$/));

/**
 * `GET /v1/widget.json`: the versioned widget file and its Subresource Integrity hash, and each of
 * its parts (which widget.js loads with the same hashes).
 */
export const WidgetFile = v.strictObject({
  src: v.pipe(v.string(), v.regex(/^\/v1\/widget\.[0-9a-f]{12}\.js$/)),
  integrity: Integrity,
  parts: v.record(
    v.string(),
    v.strictObject({
      src: v.pipe(v.string(), v.regex(/^\/v1\/[a-z]+\.[0-9a-f]{12}\.js$/)),
      integrity: Integrity,
    }),
  ),
});

/** `201` to `POST /v1/feedback`. */
export const FeedbackCreatedBody = v.strictObject({
  id: v.pipe(v.string(), v.uuid()),
  receipt: Id,
  receipt_url: v.pipe(v.string(), v.url()),
  help: v.optional(v.string()),
});

/** A story as the department API shows it (`GET /v1/feedback/:id`, and each of a list). */
export const StoryView = v.strictObject({
  id: v.pipe(v.string(), v.uuid()),
  service: Id,
  rating: StoredRating,
  story: NullableText,
  page: NullableText,
  locale: v.picklist(LOCALES),
  severity: v.picklist(SEVERITIES),
  status: v.picklist(STATUSES),
  tags: v.array(v.string()),
  published: v.boolean(),
  created_at: Instant,
});

/** One page of a department's stories; `next_cursor` asks for the next one, null on the last. */
export const StoryPage = v.strictObject({
  stories: v.array(StoryView),
  next_cursor: v.nullable(v.string()),
});

/** `201` to `POST /v1/feedback/:id/answers`. */
export const AnswerView = v.strictObject({
  id: v.pipe(v.string(), v.uuid()),
  feedback_id: v.pipe(v.string(), v.uuid()),
  text: v.string(),
  changed: v.boolean(),
  change: NullableText,
  created_at: Instant,
});

/** `GET /v1/feedback/:id/answers`: the stored rows, named as stored (camelCase). */
export const AnswerList = v.strictObject({
  answers: v.array(
    v.strictObject({
      id: v.pipe(v.string(), v.uuid()),
      feedbackId: v.pipe(v.string(), v.uuid()),
      text: v.string(),
      changed: v.boolean(),
      change: NullableText,
      createdAt: Instant,
    }),
  ),
});

/** An answer as the citizen and the public see it. */
const PublicAnswer = v.strictObject({
  text: v.string(),
  changed: v.boolean(),
  change: NullableText,
  created_at: Instant,
});

const WordingView = v.strictObject({
  storyHint: v.optional(v.string()),
  signposting: v.optional(v.string()),
});

/**
 * `GET /v1/services/:id/widget`: the service's words, a fresh form token, Turnstile where it is on,
 * the department's retention in days (a receipt is kept on the device no longer than that), and
 * the link to the service's privacy notice where it has one.
 */
export const WidgetConfig = v.strictObject({
  messages: v.strictObject({ en: v.optional(WordingView), cy: v.optional(WordingView) }),
  token: v.pipe(v.string(), v.maxLength(200)),
  retention_days: v.pipe(v.number(), v.integer(), v.minValue(1)),
  turnstile: v.optional(v.strictObject({ sitekey: v.string(), script: v.pipe(v.string(), v.url()) })),
  /** The service's privacy notice, which the widget links to as "How we use your feedback". */
  privacy_url: v.optional(v.pipe(v.string(), v.url())),
});

/** `GET /v1/services/:id/stories`: published stories with their answers, and what all stories add up to. */
export const PublishedStoryPage = v.strictObject({
  service: v.strictObject({ id: Id, name: v.string() }),
  summary: v.strictObject({
    stories: v.pipe(v.number(), v.integer(), v.minValue(0)),
    average_rating: v.nullable(v.pipe(v.number(), v.minValue(RATING_MIN), v.maxValue(RATING_MAX))),
    share_answered: Share,
    share_changed: Share,
    median_hours_to_answer: v.nullable(v.pipe(v.number(), v.minValue(0))),
  }),
  stories: v.array(
    v.strictObject({
      id: v.pipe(v.string(), v.uuid()),
      rating: StoredRating,
      story: NullableText,
      locale: v.picklist(LOCALES),
      created_at: Instant,
      answers: v.array(PublicAnswer),
    }),
  ),
  next_cursor: v.nullable(v.string()),
});

/** `GET /v1/receipts/:code` as JSON: the citizen's own story, its status and any answer. */
export const Receipt = v.strictObject({
  answers: v.array(PublicAnswer),
  id: v.pipe(v.string(), v.uuid()),
  service: v.strictObject({ id: Id, name: v.string() }),
  status: v.picklist(STATUSES),
  rating: StoredRating,
  story: NullableText,
  locale: v.picklist(LOCALES),
  created_at: Instant,
});

/**
 * `POST /v1/receipts/lookup`: each code asked about that names a story of the service, once, in
 * the order asked, with its status, every answer (none yet is an empty list), the department that
 * answers (by its name only: never a person) and the receipt page's address (the `receipt_url`
 * `POST /v1/feedback` gave). A code that names no story of that service (unknown, deleted, of
 * another service) is simply not listed.
 */
export const ReceiptLookupResult = v.strictObject({
  receipts: v.array(
    v.strictObject({
      receipt: Id,
      status: v.picklist(STATUSES),
      answers: v.array(PublicAnswer),
      department: v.strictObject({ name: v.string() }),
      receipt_url: v.pipe(v.string(), v.url()),
      created_at: Instant,
    }),
  ),
});
export type ReceiptLookupResult = v.InferOutput<typeof ReceiptLookupResult>;

const Department = v.strictObject({
  id: Id,
  name: v.string(),
  contactEmail: v.string(),
  retentionDays: v.pipe(v.number(), v.integer()),
  createdAt: Instant,
});

/** `201` to `POST /v1/admin/departments`. */
export const DepartmentView = Department;
/** `GET /v1/admin/departments`. */
export const DepartmentList = v.strictObject({ departments: v.array(Department) });

const Wording = v.record(v.string(), WordingView);

/** `201` to `POST /v1/admin/services`: what was registered. */
export const ServiceCreated = v.strictObject({
  id: Id,
  departmentId: Id,
  name: v.string(),
  wording: Wording,
  privacyUrl: NullableText,
  origins: v.array(v.string()),
});

const ServiceRow = {
  id: Id,
  departmentId: Id,
  name: v.string(),
  wording: Wording,
  turnstileSitekey: NullableText,
  publishing: v.boolean(),
  /** The service's privacy notice, which the widget links to. */
  privacyUrl: NullableText,
  createdAt: Instant,
};

/** `PATCH /v1/admin/services/:id`: the service, with whether it has a Turnstile secret (never the secret). */
export const ServiceView = v.strictObject({ ...ServiceRow, hasTurnstileSecret: v.boolean() });
/** `GET /v1/admin/services`: every service with its origins (never a Turnstile secret). */
export const ServiceList = v.strictObject({
  services: v.array(v.strictObject({ ...ServiceRow, origins: v.array(v.string()) })),
});

const ApiKeyRow = {
  id: Id,
  departmentId: Id,
  scopes: v.array(v.picklist(KEY_SCOPES)),
  label: NullableText,
  createdAt: Instant,
  lastUsedAt: v.nullable(Instant),
  revokedAt: v.nullable(Instant),
};

/** `201` to `POST /v1/admin/departments/:id/keys`: the key itself, shown this once. */
export const ApiKeyCreated = v.strictObject({ ...ApiKeyRow, key: v.pipe(v.string(), v.startsWith('tk_')) });
/** `GET /v1/admin/keys`: keys, never the keys themselves. */
export const ApiKeyList = v.strictObject({ keys: v.array(v.strictObject(ApiKeyRow)) });
/** `POST /v1/admin/keys/:id/revoke`. */
export const ApiKeyRevoked = v.strictObject({ id: Id, revoked: v.literal(true) });

const Member = v.strictObject({
  id: Id,
  departmentId: Id,
  email: v.string(),
  role: v.picklist(MEMBER_ROLES),
  /** A member's address, or `operator`; null for members added before invitations were recorded. */
  invitedBy: NullableText,
  lastSignInAt: v.nullable(Instant),
  createdAt: Instant,
});
/** `201` to `POST /v1/admin/departments/:id/members`. */
export const MemberView = Member;
/** `GET /v1/admin/departments/:id/members`. */
export const MemberList = v.strictObject({ members: v.array(Member) });
/** `DELETE /v1/admin/members/:id`. */
export const MemberRemoved = v.strictObject({ id: Id, removed: v.literal(true) });

const SubscriptionRow = {
  id: Id,
  departmentId: Id,
  kind: v.picklist(SUBSCRIPTION_KINDS),
  /** Masked for Teams and Slack, whose URL is a secret (`maskedTarget`); whole for webhooks and email. */
  target: v.string(),
  services: v.nullable(v.array(v.string())),
  minSeverity: v.picklist(SEVERITIES),
  maxRating: v.nullable(StoredRating),
  mode: v.picklist(['each', 'daily']),
  state: v.picklist(['active', 'disabled']),
  disabledReason: NullableText,
  /** Who disabled it, which decides who may enable it again. */
  disabledBy: v.nullable(v.picklist(['department', 'operator', 'failures'])),
  disabledAt: v.nullable(Instant),
  /** When a test event to it was last received. */
  testedOkAt: v.nullable(Instant),
  failingSince: v.nullable(Instant),
  createdAt: Instant,
  hasSecret: v.boolean(),
};

/** A subscription as the operator API shows it: never its secrets. */
export const SubscriptionView = v.strictObject(SubscriptionRow);
/**
 * `201` to `POST /v1/admin/subscriptions`: a webhook's signing secret, and a Teams or Slack URL in
 * full, shown this once.
 */
export const SubscriptionCreated = v.strictObject({
  ...SubscriptionRow,
  /** The target as given, in full: the only answer that shows a Teams or Slack URL whole. */
  target: v.string(),
  secret: v.nullable(v.pipe(v.string(), v.startsWith('whsec_'))),
});
/** `GET /v1/admin/subscriptions`. */
export const SubscriptionList = v.strictObject({ subscriptions: v.array(SubscriptionView) });
/** `POST /v1/admin/subscriptions/:id/rotate-secret`: the new secret, shown this once. */
export const SecretRotated = v.strictObject({
  id: Id,
  secret: v.pipe(v.string(), v.startsWith('whsec_')),
  previous_secret_valid_until: Instant,
});
/** `POST /v1/admin/subscriptions/:id/test`: whether the receiver took the test event. */
export const TestOutcome = v.strictObject({
  ok: v.boolean(),
  status: v.nullable(v.pipe(v.number(), v.integer())),
  error: NullableText,
});
/** `202` to `POST /v1/admin/subscriptions/:id/replay`: how many deliveries were made due now. */
export const ReplayQueued = v.strictObject({
  subscription: Id,
  due: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
/** `POST /v1/admin/deliveries/:id/replay`: what the attempt came to. */
export const DeliveryReplayed = v.strictObject({
  id: Id,
  outcome: v.picklist(['delivered', 'retrying', 'disabled', 'skipped', 'waiting-for-digest']),
});
/** `GET /v1/admin/deliveries/failed`: pending deliveries that have failed at least once. */
export const FailedDeliveryList = v.strictObject({
  deliveries: v.array(
    v.strictObject({
      id: Id,
      feedbackId: Id,
      subscriptionId: Id,
      attempts: v.pipe(v.number(), v.integer(), v.minValue(1)),
      lastStatus: v.nullable(v.pipe(v.number(), v.integer())),
      lastError: NullableText,
      dueAt: Instant,
      subscriptionState: v.picklist(['active', 'disabled']),
    }),
  ),
});
/** `GET /v1/admin/deliveries/:id/attempts`: every attempt, oldest first. */
export const AttemptList = v.strictObject({
  attempts: v.array(
    v.strictObject({
      id: v.pipe(v.number(), v.integer()),
      deliveryId: Id,
      attemptedAt: Instant,
      status: v.nullable(v.pipe(v.number(), v.integer())),
      error: NullableText,
      durationMs: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
  ),
});
