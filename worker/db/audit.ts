/** The audit log: what admins and operators changed in a department, written beside the change itself. */
import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from './client';
import { auditEvents } from './schema';

export interface AuditEntry {
  departmentId: string;
  /** A member's address, or `operator`. */
  actor: string;
  /** `<object>.<verb>`: `service.created`, `origin.added`, `member.role-changed`, `key.revoked`, … */
  action: string;
  subject: string;
  /** The object before and after, as plain values; the caller leaves out every secret. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * The statement that records one change; put it in the same batch as the change, so the log never
 * lists what did not happen nor misses what did.
 */
export const auditEntry = (db: Db, entry: AuditEntry, now = new Date()) =>
  db.insert(auditEvents).values({
    departmentId: entry.departmentId,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    before: entry.before ?? null,
    after: entry.after ?? null,
    at: now.toISOString(),
  });

/** A page of a department's audit log, newest first, older than the event `before` when given. */
export async function auditPage(
  db: Db,
  departmentId: string,
  { before, limit }: { before?: number; limit: number },
) {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.departmentId, departmentId), before ? lt(auditEvents.id, before) : undefined))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  return { events: rows.slice(0, limit), more: rows.length > limit };
}

/**
 * The page just newer than the event `after`, for a "previous" link: undefined when there is none,
 * else the `before` that shows it (undefined for the newest page).
 */
export async function newerAuditPage(
  db: Db,
  departmentId: string,
  { after, limit }: { after: number; limit: number },
) {
  const newer = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.departmentId, departmentId), gt(auditEvents.id, after)))
    .orderBy(asc(auditEvents.id))
    .limit(limit + 1);
  if (!newer.length) return undefined;
  return { before: newer[limit]?.id };
}
