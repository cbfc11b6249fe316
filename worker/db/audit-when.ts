/** Audit entries for changes made only on a condition: the entry is written on the same condition. */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { AuditEntry } from './audit';
import type { Db } from './client';
import { auditEvents, departments } from './schema';

const json = (value: Record<string, unknown> | null | undefined) => (value ? JSON.stringify(value) : null);

/**
 * The statement that records one change if `condition` holds. Put it in the change's batch, before
 * the change, which is made on the same condition: a refused change then leaves no entry, and a
 * change made leaves one, whoever else is changing the same rows at the same moment.
 */
export const auditEntryWhen = (db: Db, entry: AuditEntry, condition: SQL | undefined, now = new Date()) =>
  db.insert(auditEvents).select(
    db
      .select({
        id: sql<number>`null`.as('id'),
        departmentId: departments.id,
        at: sql<string>`${now.toISOString()}`.as('at'),
        actor: sql<string>`${entry.actor}`.as('actor'),
        action: sql<string>`${entry.action}`.as('action'),
        subject: sql<string>`${entry.subject}`.as('subject'),
        before: sql<string | null>`${json(entry.before)}`.as('before'),
        after: sql<string | null>`${json(entry.after)}`.as('after'),
      })
      .from(departments)
      .where(and(eq(departments.id, entry.departmentId), condition)),
  );
