/** Queries for citizens' receipts and for the retention sweep: finding and deleting stories. */
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from './client';
import { answers, deliveries, departments, feedback, sentEmails, services } from './schema';

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

/**
 * A story found by its receipt for the returning citizen: its status, the name of the department
 * that answers it, and every answer, oldest first.
 */
export interface ReceiptStatus {
  receiptHash: string;
  status: (typeof feedback.$inferSelect)['status'];
  departmentName: string;
  createdAt: string;
  answers: { text: string; changed: boolean; change: string | null; createdAt: string }[];
}

/**
 * The stories of `serviceId` whose receipt codes hash to any of `receiptHashes`, with their
 * department's name and their answers, in one statement (one round trip, however many codes);
 * hashes that name nothing are left out.
 */
export async function findReceiptStatuses(
  db: Db,
  serviceId: string,
  receiptHashes: string[],
): Promise<ReceiptStatus[]> {
  const rows = await db
    .select({
      receiptHash: feedback.receiptHash,
      status: feedback.status,
      departmentName: departments.name,
      createdAt: feedback.createdAt,
      answer: {
        text: answers.text,
        changed: answers.changed,
        change: answers.change,
        createdAt: answers.createdAt,
      },
    })
    .from(feedback)
    .innerJoin(services, eq(services.id, feedback.serviceId))
    .innerJoin(departments, eq(departments.id, services.departmentId))
    .leftJoin(answers, eq(answers.feedbackId, feedback.id))
    .where(and(eq(feedback.serviceId, serviceId), inArray(feedback.receiptHash, receiptHashes)))
    .orderBy(asc(answers.createdAt), asc(answers.id));
  const found = new Map<string, ReceiptStatus>();
  for (const { receiptHash, status, departmentName, createdAt, answer } of rows) {
    if (!receiptHash) continue;
    let story = found.get(receiptHash);
    if (!story) {
      story = { receiptHash, status, departmentName, createdAt, answers: [] };
      found.set(receiptHash, story);
    }
    if (answer) story.answers.push(answer);
  }
  return [...found.values()];
}

/**
 * Deletes a story; its deliveries (pending ones too) and their attempts go with it (ON DELETE
 * CASCADE), and, in the same batch, the sent-email log's lines about it: its alerts and the
 * confirmation of an answer by email.
 */
export async function deleteStory(db: Db, id: string) {
  const itsDeliveries = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(eq(deliveries.feedbackId, id));
  await db.batch([
    db
      .delete(sentEmails)
      .where(
        or(
          and(eq(sentEmails.kind, 'story'), inArray(sentEmails.about, itsDeliveries)),
          and(eq(sentEmails.kind, 'reply-confirmation'), eq(sentEmails.about, id)),
        ),
      ),
    db.delete(feedback).where(eq(feedback.id, id)),
  ]);
}

/** The stories older than their department's retention period at `now` (in seconds), as a subquery. */
const expiredStories = (seconds: number, limit?: number): SQL => sql`
  SELECT f.id FROM feedback f
  JOIN services s ON s.id = f.service_id
  JOIN departments d ON d.id = s.department_id
  WHERE f.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch', '-1 days')
    AND f.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch', '-' || d.retention_days || ' days')
  ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`;

/**
 * Deletes up to `limit` stories older than their department's retention period at `now`, with
 * their deliveries and the sent-email log's lines about them. Returns how many stories went; a
 * bigger backlog goes in the next sweeps.
 */
export async function deleteExpiredStories(db: Db, now: number, limit = 500): Promise<number> {
  const seconds = Math.floor(now / 1000);
  // The log's lines first, while the deliveries they name are there to find them by; those of
  // stories past the limit go a sweep early, as their stories will.
  await db.run(sql`
    DELETE FROM sent_emails WHERE
      (kind = 'story' AND about IN (SELECT id FROM deliveries WHERE feedback_id IN (${expiredStories(seconds)})))
      OR (kind = 'reply-confirmation' AND about IN (${expiredStories(seconds)}))`);
  // Counted by RETURNING: D1's count of changes includes what the search triggers change.
  const deleted = await db.all<{ id: string }>(sql`
    DELETE FROM feedback WHERE id IN (${expiredStories(seconds, limit)})
    RETURNING id`);
  return deleted.length;
}
