/** Queries for the department API: keys, and a department's own stories. */
import { and, desc, eq, exists, gte, isNull, lt, lte, sql } from 'drizzle-orm';
import type { FeedbackChange, FeedbackQuery, KeyScope, Status } from '../../shared';
import { type RoutableStory, subscriptionWants } from '../delivery/routing';
import { auditEntry } from './audit';
import { auditEntryWhen } from './audit-when';
import type { Db } from './client';
import { routableSubscription } from './deliveries';
import {
  answers,
  apiKeys,
  deliveries,
  emailReplies,
  feedback,
  type NewDelivery,
  services,
  statusChanges,
  subscriptions,
} from './schema';
import { storyHasWords } from './search';

/** The live key whose SHA-256 is `hash`, if any. */
export const findActiveKey = (db: Db, hash: string) =>
  db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .get();

export const markKeyUsed = (db: Db, id: string, at: string) =>
  db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));

/** Creates a key, with its audit entry (its label and scopes, never the key or its hash). */
export async function insertApiKey(
  db: Db,
  row: { id: string; departmentId: string; hash: string; scopes: KeyScope[]; label?: string },
  actor: string,
) {
  const [[created]] = await db.batch([
    db.insert(apiKeys).values(row).returning(),
    auditEntry(db, {
      departmentId: row.departmentId,
      actor,
      action: 'key.created',
      subject: row.id,
      after: { label: row.label ?? null, scopes: row.scopes },
    }),
  ]);
  if (!created) throw new Error(`The key ${row.id} was not stored`);
  return created;
}

export const listApiKeys = (db: Db, departmentId?: string) =>
  db
    .select({
      id: apiKeys.id,
      departmentId: apiKeys.departmentId,
      scopes: apiKeys.scopes,
      label: apiKeys.label,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(departmentId ? eq(apiKeys.departmentId, departmentId) : undefined)
    .orderBy(apiKeys.createdAt);

/** A key's department and whether it is revoked, never its hash. */
export const findApiKey = (db: Db, id: string) =>
  db
    .select({
      id: apiKeys.id,
      departmentId: apiKeys.departmentId,
      label: apiKeys.label,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.id, id))
    .get();

/** Revokes a live key of the department, with its audit entry; undefined if it was not live. */
export async function revokeApiKey(
  db: Db,
  key: { id: string; departmentId: string; label: string | null },
  actor: string,
  now = new Date(),
) {
  const live = and(
    eq(apiKeys.id, key.id),
    eq(apiKeys.departmentId, key.departmentId),
    isNull(apiKeys.revokedAt),
  );
  // The label, so the log can name the key it no longer lists as live.
  const entry = {
    departmentId: key.departmentId,
    actor,
    action: 'key.revoked',
    subject: key.id,
    before: { label: key.label },
  };
  const [, [revoked]] = await db.batch([
    auditEntryWhen(db, entry, exists(db.select({ id: apiKeys.id }).from(apiKeys).where(live)), now),
    db.update(apiKeys).set({ revokedAt: now.toISOString() }).where(live).returning({ id: apiKeys.id }),
  ]);
  return revoked;
}

/** A story as the department API shows it. */
const story = {
  id: feedback.id,
  service: feedback.serviceId,
  rating: feedback.rating,
  story: feedback.story,
  page: feedback.page,
  locale: feedback.locale,
  severity: feedback.severity,
  status: feedback.status,
  tags: feedback.tags,
  published: feedback.published,
  created_at: feedback.createdAt,
};

/**
 * One page of a department's stories, newest first, without the tests sent from the console's
 * preview (which only the preview page shows): what the API, the console's list and both
 * exports read. The cursor is the last id of the page before:
 * ids grow with time, so stories that arrive meanwhile go before the first page, never into a
 * later one, and no story is skipped or repeated.
 */
export function storiesQuery(db: Db, departmentId: string, query: FeedbackQuery, limit: number) {
  return db
    .select(story)
    .from(feedback)
    .innerJoin(services, eq(services.id, feedback.serviceId))
    .where(
      and(
        eq(services.departmentId, departmentId),
        eq(feedback.test, false),
        query.service ? eq(feedback.serviceId, query.service) : undefined,
        query.status ? eq(feedback.status, query.status) : undefined,
        query.severity ? eq(feedback.severity, query.severity) : undefined,
        query.rating_min === undefined ? undefined : gte(feedback.rating, query.rating_min),
        query.rating_max === undefined ? undefined : lte(feedback.rating, query.rating_max),
        query.since ? gte(feedback.createdAt, new Date(query.since).toISOString()) : undefined,
        query.until ? lt(feedback.createdAt, new Date(query.until).toISOString()) : undefined,
        query.q ? storyHasWords(query.q) : undefined,
        query.cursor ? lt(feedback.id, query.cursor) : undefined,
      ),
    )
    .orderBy(desc(feedback.id))
    .limit(limit + 1);
}

/** `storiesQuery`'s rows as a page: the stories, and whether more follow. */
export function storiesPage<Row>(rows: Row[], limit: number) {
  return { stories: rows.slice(0, limit), more: rows.length > limit };
}

export async function listStories(db: Db, departmentId: string, query: FeedbackQuery, limit: number) {
  return storiesPage(await storiesQuery(db, departmentId, query, limit), limit);
}

/**
 * One of the department's stories; undefined for a story of another department, as for none, and
 * for a test: it cannot be answered, published or moved, so nothing is ever sent about it.
 */
export async function findStory(db: Db, departmentId: string, id: string) {
  const [row] = await db
    .select(story)
    .from(feedback)
    .innerJoin(services, eq(services.id, feedback.serviceId))
    .where(and(eq(feedback.id, id), eq(services.departmentId, departmentId), eq(feedback.test, false)));
  return row;
}

export const findAnswer = (db: Db, id: string) => db.select().from(answers).where(eq(answers.id, id)).get();

/** A story's answers, oldest first. */
export const answersTo = (db: Db, feedbackId: string) =>
  db.select().from(answers).where(eq(answers.feedbackId, feedbackId)).orderBy(answers.createdAt);

/** The department's active webhook subscriptions that want this story, by their filters. */
export async function webhooksFor(db: Db, departmentId: string, story: RoutableStory) {
  const rows = await db
    .select(routableSubscription)
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.departmentId, departmentId),
        eq(subscriptions.kind, 'webhook'),
        eq(subscriptions.state, 'active'),
      ),
    );
  return rows.filter((row) => subscriptionWants(row, story));
}

/**
 * Stores an answer in one batch with what follows from it: the story marked answered (and that
 * change in its history), and one `feedback.answered` delivery per webhook that wants it. Only if
 * the story is still `from`, the status the answer was made against (someone may have closed it
 * since): false, and nothing written, when it is not.
 */
export async function storeAnswer(
  db: Db,
  answer: typeof answers.$inferInsert,
  from: Status,
  outbox: NewDelivery[],
  change: typeof statusChanges.$inferInsert | undefined,
  reply?: typeof emailReplies.$inferInsert,
): Promise<boolean> {
  const story = answer.feedbackId;
  // The answer names its story only while the story is still `from`; otherwise its NOT NULL
  // feedback_id fails, and the batch, one transaction, writes nothing at all.
  const storyIfStill = sql`(SELECT id FROM feedback WHERE id = ${story} AND status = ${from})`;
  try {
    await db.batch([
      db.insert(answers).values({ ...answer, feedbackId: storyIfStill }),
      ...(change ? [db.insert(statusChanges).values(change)] : []),
      // A message taken before fails its primary key here, so it stores no second answer.
      ...(reply ? [db.insert(emailReplies).values(reply)] : []),
      // One statement a delivery keeps each under D1's 100 bound parameters.
      ...outbox.map((row) => db.insert(deliveries).values(row)),
      db
        .update(feedback)
        .set({ status: 'answered' })
        .where(and(eq(feedback.id, story), eq(feedback.status, from))),
    ]);
  } catch (err) {
    const current = await db
      .select({ status: feedback.status })
      .from(feedback)
      .where(eq(feedback.id, story))
      .get();
    if (current?.status !== from) return false;
    throw err;
  }
  return true;
}

/**
 * Changes a story's tags or publishing, and its status only if it is still `moved.from` (someone
 * else may have moved it since it was read): false when it was not. A new status goes into the
 * story's history.
 */
export async function changeStory(
  db: Db,
  id: string,
  change: FeedbackChange,
  moved: typeof statusChanges.$inferInsert | undefined,
): Promise<boolean> {
  if (!Object.values(change).some((value) => value !== undefined)) return true;
  const still = moved ? and(eq(feedback.id, id), eq(feedback.status, moved.from)) : eq(feedback.id, id);
  const changed = await db.update(feedback).set(change).where(still).returning({ id: feedback.id });
  if (!changed.length) return false;
  if (moved) await db.insert(statusChanges).values(moved);
  return true;
}

/** A story's status changes, oldest first. */
export const statusChangesOf = (db: Db, feedbackId: string) =>
  db.select().from(statusChanges).where(eq(statusChanges.feedbackId, feedbackId)).orderBy(statusChanges.at);
