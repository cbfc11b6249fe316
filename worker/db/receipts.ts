/** Queries for citizens' receipts and for the retention sweep: finding and deleting stories. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from './client';
import { feedback, services } from './schema';

/** The story whose receipt code hashes to `receiptHash`, with its service's name. */
export async function findByReceipt(db: Db, receiptHash: string) {
  return db
    .select({
      id: feedback.id,
      serviceId: feedback.serviceId,
      serviceName: services.name,
      status: feedback.status,
      rating: feedback.rating,
      story: feedback.story,
      locale: feedback.locale,
      createdAt: feedback.createdAt,
    })
    .from(feedback)
    .innerJoin(services, eq(services.id, feedback.serviceId))
    .where(eq(feedback.receiptHash, receiptHash))
    .get();
}

/** Deletes a story; its deliveries (pending ones too) and their attempts go with it (ON DELETE CASCADE). */
export async function deleteStory(db: Db, id: string) {
  await db.delete(feedback).where(eq(feedback.id, id));
}

/**
 * Deletes up to `limit` stories older than their department's retention period at `now`, with
 * their deliveries. Returns how many went; a bigger backlog goes in the next sweeps.
 */
export async function deleteExpiredStories(db: Db, now: number, limit = 500): Promise<number> {
  const seconds = Math.floor(now / 1000);
  // Counted by RETURNING: D1's count of changes includes what the search triggers change.
  const deleted = await db.all<{ id: string }>(sql`
    DELETE FROM feedback WHERE id IN (
      SELECT f.id FROM feedback f
      JOIN services s ON s.id = f.service_id
      JOIN departments d ON d.id = s.department_id
      WHERE f.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch', '-1 days')
        AND f.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch', '-' || d.retention_days || ' days')
      LIMIT ${limit}
    )
    RETURNING id`);
  return deleted.length;
}
