/** Named queries; routes call these and never build SQL themselves. */
import { and, eq } from 'drizzle-orm';
import type { Db } from './client';
import { feedback, type NewFeedback, serviceOrigins, services } from './schema';

/** A service by its id, or undefined when there is no such service. */
export async function findService(db: Db, serviceId: string) {
  return db.select().from(services).where(eq(services.id, serviceId)).get();
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

/** True when the origin may post for this service. */
export async function isOriginAllowed(db: Db, serviceId: string, origin: string): Promise<boolean> {
  const row = await db
    .select({ origin: serviceOrigins.origin })
    .from(serviceOrigins)
    .where(and(eq(serviceOrigins.serviceId, serviceId), eq(serviceOrigins.origin, origin)))
    .get();
  return row !== undefined;
}

/**
 * Stores a story unless one with the same idempotency key exists. Returns the stored row's id and
 * fingerprint, and whether it was already there (the caller compares fingerprints).
 */
export async function insertFeedback(db: Db, row: NewFeedback) {
  const returned = { id: feedback.id, fingerprint: feedback.fingerprint };
  const inserted = await db
    .insert(feedback)
    .values(row)
    .onConflictDoNothing({ target: feedback.idempotencyKey })
    .returning(returned)
    .get();
  if (inserted) return { ...inserted, replayed: false };
  const existing = await db
    .select(returned)
    .from(feedback)
    .where(eq(feedback.idempotencyKey, row.idempotencyKey))
    .get();
  if (!existing) throw new Error('Idempotency key conflicted but no row holds it');
  return { ...existing, replayed: true };
}
