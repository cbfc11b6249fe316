/**
 * A new story in one round trip to D1: one batch (one transaction) checks, writes and reads back
 * what happened, instead of a batch of reads and then a batch of writes.
 */
import { type SQL, sql } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Locale, Severity } from '../../shared';
import type { Db } from './client';
import type { NewFeedback } from './schema';

/** A row to write and what it must pass to be written. */
export interface StorySubmission {
  row: NewFeedback & { id: string; createdAt: string; receiptHash: string };
  origin: string;
  /** A preview test from Tellus's own origin, which no service registers: decided by the caller. */
  ownOriginTest: boolean;
  formToken: string | undefined;
  /** A story with the same repeat key stored since then makes this one a repeat. */
  repeatSince: string;
  /** Turnstile passed; without it a service that turned Turnstile on gets nothing written. */
  challengePassed: boolean;
  /** A SELECT of `subscription_id`, `kind`, `n` (see `routesSql`), or null for no outbox. */
  routes: SQL | null;
  /** Ids for the outbox rows, picked by each route's `n`. */
  outboxIds: string[];
  /** When an `each` delivery and a `digest` one are first due (ISO 8601). */
  dueAt: { each: string; digest: string };
}

/** What a replay or a repeat needs of the story it answers as (`storedStory` in queries.ts, by hand). */
export interface StoredStory {
  id: string;
  serviceId: string;
  rating: number;
  story: string | null;
  page: string | null;
  fingerprint: string;
  idempotencyKey: string;
  severity: Severity;
  locale: Locale;
}
const STORED_STORY = sql.raw(`id, service_id AS serviceId, rating, story, page, fingerprint,
  idempotency_key AS idempotencyKey, severity, locale`);

/**
 * A UUIDv4 made in SQL: the id of an outbox row past `outboxIds`, which only a department with
 * more subscriptions than the limit (inserted by hand) could need. A story never loses a route.
 */
const SQL_UUID = sql.raw(
  `lower(printf('%s-%s-4%s-%s%s-%s', hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2),
    substr('89AB', 1 + abs(random() % 4), 1), substr(hex(randomblob(2)), 2), hex(randomblob(6))))`,
);

const flag = (value: boolean) => sql`${value ? 1 : 0}`;

/**
 * Writes the story only where its service exists, its origin may post for it (or it is a preview
 * test), its service needs no Turnstile or it passed, its form token made no story yet and no
 * repeat of it was stored since `repeatSince`; not at all when its idempotency key is taken. The
 * spent form token and the outbox rows are written only when the story was. Returns what the
 * checks found, as of the end of the transaction.
 */
export async function submitStory(db: Db, input: StorySubmission) {
  const { row } = input;
  const checks = [
    sql`EXISTS (SELECT 1 FROM services WHERE id = ${row.serviceId})`,
    sql`(${flag(input.ownOriginTest)} OR EXISTS (SELECT 1 FROM service_origins
      WHERE service_id = ${row.serviceId} AND origin = ${input.origin}))`,
    sql`(${flag(input.challengePassed)} OR (SELECT coalesce(turnstile_secret, '') FROM services
      WHERE id = ${row.serviceId}) = '')`,
    input.formToken
      ? sql`NOT EXISTS (SELECT 1 FROM spent_form_tokens WHERE token = ${input.formToken})`
      : null,
    row.repeatKey
      ? sql`NOT EXISTS (SELECT 1 FROM feedback
          WHERE repeat_key = ${row.repeatKey} AND created_at >= ${input.repeatSince})`
      : null,
  ].filter((check) => check !== null);
  const storeRow = sql`INSERT INTO feedback (id, service_id, rating, story, page, locale, severity,
      idempotency_key, fingerprint, receipt_hash, repeat_key, test, created_at)
    SELECT ${row.id}, ${row.serviceId}, ${row.rating}, ${row.story ?? null}, ${row.page ?? null},
      ${row.locale ?? 'en'}, ${row.severity ?? 'normal'}, ${row.idempotencyKey}, ${row.fingerprint},
      ${row.receiptHash}, ${row.repeatKey ?? null}, ${flag(row.test ?? false)}, ${row.createdAt}
    WHERE ${sql.join(checks, sql` AND `)}
    ON CONFLICT DO NOTHING`;
  // Written only with the story: this transaction's own row under its own key.
  const stored = sql`EXISTS (SELECT 1 FROM feedback WHERE id = ${row.id} AND idempotency_key = ${row.idempotencyKey})`;
  // A statement each, even when there is nothing to write, so the results keep their places.
  const spendToken = sql`INSERT INTO spent_form_tokens (token, spent_at)
    SELECT ${input.formToken ?? null}, ${row.createdAt} WHERE ${flag(input.formToken !== undefined)} AND ${stored}`;
  const routes = input.routes ?? sql`SELECT NULL AS subscription_id, NULL AS kind, 0 AS n WHERE 0`;
  const writeOutbox = sql`INSERT INTO deliveries (id, feedback_id, subscription_id, kind, due_at)
    SELECT coalesce(ids.value, ${SQL_UUID}), ${row.id}, routes.subscription_id, routes.kind,
      CASE routes.kind WHEN 'digest' THEN ${input.dueAt.digest} ELSE ${input.dueAt.each} END
    FROM (${routes}) AS routes
      LEFT JOIN json_each(${JSON.stringify(input.outboxIds)}) AS ids ON ids.key = routes.n
    WHERE ${stored}`;
  const reads = [
    sql`SELECT ${STORED_STORY} FROM feedback WHERE idempotency_key = ${row.idempotencyKey} LIMIT 1`,
    sql`SELECT id, turnstile_secret AS turnstileSecret FROM services WHERE id = ${row.serviceId}`,
    sql`SELECT 1 FROM service_origins WHERE service_id = ${row.serviceId} AND origin = ${input.origin}`,
    // A null token or repeat key matches nothing.
    sql`SELECT 1 FROM spent_form_tokens WHERE token = ${input.formToken ?? null}`,
    sql`SELECT ${STORED_STORY} FROM feedback
      WHERE repeat_key = ${row.repeatKey ?? null} AND created_at >= ${input.repeatSince} AND id != ${row.id}
      LIMIT 1`,
    sql`SELECT id, kind FROM deliveries WHERE feedback_id = ${row.id}`,
  ];
  const d1 = db.$client;
  const results = await d1.batch(
    [storeRow, spendToken, writeOutbox, ...reads].map((query) => prepare(d1, query)),
  );
  const [underKey, service, origin, spent, repeat, outbox] = results.slice(3).map((result) => result.results);
  const story = underKey?.[0] as StoredStory | undefined;
  const isOurs = story?.id === row.id;
  return {
    service: service?.[0] as { id: string; turnstileSecret: string | null } | undefined,
    originAllowed: (origin?.length ?? 0) > 0,
    /** The story under the idempotency key: ours when `stored`, else an earlier one, if any. */
    story,
    stored: isOurs,
    /** The form token made another story. */
    tokenSpent: (spent?.length ?? 0) > 0 && !isOurs,
    repeat: repeat?.[0] as StoredStory | undefined,
    outbox: isOurs ? (outbox as { id: string; kind: 'each' | 'digest' }[]) : [],
  };
}

const dialect = new SQLiteAsyncDialect();

/**
 * A D1 statement from a drizzle `sql` template. The batch goes to D1 itself: drizzle's D1 batch
 * takes its own query builders but not `sql` with parameters, and an INSERT … SELECT … WHERE
 * needs `sql`.
 */
function prepare(d1: D1Database, query: SQL) {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return d1.prepare(text).bind(...params);
}
