/** Named queries; routes call these and never build SQL themselves. */
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from './client';
import { departments, feedback, originSightings, serviceOrigins, services, spentFormTokens } from './schema';

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

/** Forgets form tokens spent before `before`: older ones are refused as expired anyway. */
export async function forgetSpentFormTokens(db: Db, before: Date) {
  await db.delete(spentFormTokens).where(lt(spentFormTokens.spentAt, before.toISOString()));
}

/**
 * What a refused submission needs to be answered as before its spam checks: whether its service
 * exists, whether its origin may post for it, and the story already stored under its key (a
 * retry of a stored story, whose one-use tokens could not pass twice). One round trip.
 */
export async function readForRefusal(
  db: Db,
  input: { serviceId: string; origin: string; idempotencyKey: string },
) {
  const [service, origins, earlier] = await db.batch([
    db.select({ id: services.id }).from(services).where(eq(services.id, input.serviceId)).limit(1),
    db
      .select({ origin: serviceOrigins.origin })
      .from(serviceOrigins)
      .where(and(eq(serviceOrigins.serviceId, input.serviceId), eq(serviceOrigins.origin, input.origin)))
      .limit(1),
    db.select(storedStory).from(feedback).where(eq(feedback.idempotencyKey, input.idempotencyKey)).limit(1),
  ]);
  return { serviceFound: service.length > 0, originAllowed: origins.length > 0, earlier: earlier[0] };
}

/** Where a service's widget has been shown, most recently first. */
export const originSightingsOf = (db: Db, serviceId: string) =>
  db
    .select({ origin: originSightings.origin, lastSeenAt: originSightings.lastSeenAt })
    .from(originSightings)
    .where(eq(originSightings.serviceId, serviceId))
    .orderBy(desc(originSightings.lastSeenAt));
