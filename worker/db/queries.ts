/** Named queries; routes call these and never build SQL themselves. */
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { subscriptionsOfServiceDepartment } from './deliveries';
import {
  deliveries,
  departments,
  feedback,
  type NewDelivery,
  type NewFeedback,
  originSightings,
  serviceOrigins,
  services,
  spentFormTokens,
} from './schema';

/** A service by its id, or undefined when there is no such service. */
export async function findService(db: Db, serviceId: string) {
  return db.select().from(services).where(eq(services.id, serviceId)).get();
}

/**
 * What the widget needs of a service as it shows: the service's own columns and its department's
 * retention in days, in one statement; undefined when there is no such service.
 */
export async function findWidgetService(db: Db, serviceId: string) {
  return db
    .select({
      id: services.id,
      wording: services.wording,
      publishing: services.publishing,
      turnstileSitekey: services.turnstileSitekey,
      privacyUrl: services.privacyUrl,
      retentionDays: departments.retentionDays,
    })
    .from(services)
    .innerJoin(departments, eq(departments.id, services.departmentId))
    .where(eq(services.id, serviceId))
    .get();
}

/** True when the origin may post for at least one service (used to answer CORS preflights). */
export async function isOriginKnown(db: Db, origin: string): Promise<boolean> {
  const row = await db
    .select({ origin: serviceOrigins.origin })
    .from(serviceOrigins)
    .where(eq(serviceOrigins.origin, origin))
    .limit(1)
    .get();
  return row !== undefined;
}

/** An outbox row binds 7 parameters; 12 rows stay under D1's 100 a statement. */
const OUTBOX_ROWS_PER_INSERT = 12;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What a repeat or a replay needs of the story it repeats: enough to answer as the first time. */
const storedStory = {
  id: feedback.id,
  serviceId: feedback.serviceId,
  rating: feedback.rating,
  story: feedback.story,
  page: feedback.page,
  fingerprint: feedback.fingerprint,
  idempotencyKey: feedback.idempotencyKey,
  severity: feedback.severity,
  locale: feedback.locale,
};

/** The story already stored under an idempotency key, if any. */
export async function findByIdempotencyKey(db: Db, idempotencyKey: string) {
  return db.select(storedStory).from(feedback).where(eq(feedback.idempotencyKey, idempotencyKey)).get();
}

/** Whether a form token has made its story. */
async function isTokenSpent(db: Db, token: string) {
  const row = await db
    .select({ token: spentFormTokens.token })
    .from(spentFormTokens)
    .where(eq(spentFormTokens.token, token))
    .get();
  return row !== undefined;
}

/** Forgets form tokens spent before `before`: older ones are refused as expired anyway. */
export async function forgetSpentFormTokens(db: Db, before: Date) {
  await db.delete(spentFormTokens).where(lt(spentFormTokens.spentAt, before.toISOString()));
}

/**
 * Everything a new story's checks read, in one round trip to D1: its service, whether the origin
 * may post for it, the story already stored under its idempotency key, whether its form token
 * already made a story, a repeat of it stored since `since`, and the subscriptions it may go to. A request pays for every trip; on Cloudflare
 * each one may cross an ocean to the database.
 */
export async function readForSubmission(
  db: Db,
  input: {
    serviceId: string;
    origin: string;
    idempotencyKey: string;
    formToken: string | undefined;
    repeatKey: string | null;
    since: Date;
  },
) {
  const [service, origins, earlier, spent, repeats, routes] = await db.batch([
    db.select().from(services).where(eq(services.id, input.serviceId)).limit(1),
    db
      .select({ origin: serviceOrigins.origin })
      .from(serviceOrigins)
      .where(and(eq(serviceOrigins.serviceId, input.serviceId), eq(serviceOrigins.origin, input.origin)))
      .limit(1),
    db.select(storedStory).from(feedback).where(eq(feedback.idempotencyKey, input.idempotencyKey)).limit(1),
    db
      .select({ token: spentFormTokens.token })
      .from(spentFormTokens)
      .where(input.formToken ? eq(spentFormTokens.token, input.formToken) : sql`0`)
      .limit(1),
    db
      .select(storedStory)
      .from(feedback)
      .where(
        input.repeatKey
          ? and(eq(feedback.repeatKey, input.repeatKey), gte(feedback.createdAt, input.since.toISOString()))
          : sql`0`,
      )
      .limit(1),
    subscriptionsOfServiceDepartment(db, input.serviceId),
  ]);
  return {
    service: service[0],
    originAllowed: origins.length > 0,
    earlier: earlier[0],
    tokenSpent: spent.length > 0,
    repeat: repeats[0],
    subscriptions: routes,
  };
}

/**
 * Stores a story and its outbox rows in one batch (one transaction): if the story is stored, its
 * deliveries exist. When the idempotency key is already taken (the caller looked, but a copy of
 * the same submission may have won the race since), stores nothing and returns the story that
 * holds it, with `replayed: true`; when its form token made another story since, stores nothing
 * and returns `{ tokenSpent: true }`.
 */
export async function storeStory(db: Db, row: NewFeedback, outbox: NewDelivery[], formToken?: string) {
  try {
    // D1 binds at most 100 parameters a statement: insert the outbox in chunks, in the same batch.
    const inserts = chunks(outbox, OUTBOX_ROWS_PER_INSERT).map((rows) => db.insert(deliveries).values(rows));
    const spent = formToken
      ? [db.insert(spentFormTokens).values({ token: formToken, spentAt: row.createdAt })]
      : [];
    await db.batch([db.insert(feedback).values(row), ...spent, ...inserts]);
  } catch (err) {
    // Two copies of one submission raced; the other stored it first and this batch wrote nothing.
    // Or another story with the same form token won it.
    const winner = await findByIdempotencyKey(db, row.idempotencyKey);
    if (winner) return { ...winner, replayed: true, tokenSpent: false };
    if (formToken && (await isTokenSpent(db, formToken))) return { tokenSpent: true } as const;
    throw err;
  }
  return {
    id: row.id,
    serviceId: row.serviceId,
    rating: row.rating,
    story: row.story ?? null,
    page: row.page ?? null,
    fingerprint: row.fingerprint,
    idempotencyKey: row.idempotencyKey,
    severity: row.severity ?? 'normal',
    locale: row.locale ?? 'en',
    replayed: false,
    tokenSpent: false,
  };
}

/** Where a service's widget has been shown, most recently first. */
export const originSightingsOf = (db: Db, serviceId: string) =>
  db
    .select({ origin: originSightings.origin, lastSeenAt: originSightings.lastSeenAt })
    .from(originSightings)
    .where(eq(originSightings.serviceId, serviceId))
    .orderBy(desc(originSightings.lastSeenAt));
