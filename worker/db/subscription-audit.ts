/**
 * The audit entries of changes to subscriptions. Each is an INSERT … SELECT over the subscription's
 * row, put in the change's own batch under the change's own condition, so it is written exactly
 * when the change is: a refused change (a compare-and-set that lost, a department at its cap)
 * leaves no entry.
 */
import { and, eq, is, SQL, sql } from 'drizzle-orm';
import { CHAT_KINDS } from '../../shared';
import type { Db } from './client';
import { auditEvents, type Subscription, subscriptions } from './schema';

type Values = Record<string, unknown> | SQL | null;

export interface SubscriptionChange {
  /** A member's address, or `operator`. */
  actor: string;
  action: string;
  /** Plain values, or JSON built over the row as it is when the entry is written. Never a secret. */
  before?: Values;
  after?: Values;
}

/**
 * The target as entries show it. A Teams or Slack URL is a secret that the log never holds: such a
 * subscription is named by the masked target its `subscription.created` entry was written with.
 */
const shownTarget = sql.raw(
  `CASE WHEN "subscriptions"."kind" IN (${CHAT_KINDS.map((kind) => `'${kind}'`).join(', ')}) THEN (` +
    `SELECT json_extract("created"."after", '$.target') FROM "audit_events" AS "created" ` +
    `WHERE "created"."department_id" = "subscriptions"."department_id" AND "created"."subject" = "subscriptions"."id" ` +
    `AND "created"."action" = 'subscription.created' ORDER BY "created"."id" LIMIT 1` +
    `) ELSE "subscriptions"."target" END`,
);

/** A standing as an entry shows it, with the subscription's target so a reader knows which it is. */
export const standing = (state: Subscription['state'] | SQL, disabledBy: Subscription['disabledBy'] | SQL) =>
  sql`json_object('state', ${state}, 'disabledBy', ${disabledBy}, 'target', ${shownTarget})`;

/** The subscription's standing as it is when the entry is written: put the entry before the change. */
export const standingNow = () => standing(sql`${subscriptions.state}`, sql`${subscriptions.disabledBy}`);

const json = (values: Values | undefined) =>
  is(values, SQL) ? values : sql`${values ? JSON.stringify(values) : null}`;

/**
 * The entry for a change to subscription `id`, written only if that subscription exists and matches
 * `where` at its point in the batch; its department is the subscription's own.
 */
export const auditSubscription = (
  db: Db,
  id: string,
  where: SQL | undefined,
  change: SubscriptionChange,
  now = Date.now(),
) =>
  db.insert(auditEvents).select((qb) =>
    qb
      .select({
        id: sql<number>`null`.as('id'),
        departmentId: subscriptions.departmentId,
        at: sql<string>`${new Date(now).toISOString()}`.as('at'),
        actor: sql<string>`${change.actor}`.as('actor'),
        action: sql<string>`${change.action}`.as('action'),
        subject: subscriptions.id,
        before: json(change.before).as('before'),
        after: json(change.after).as('after'),
      })
      .from(subscriptions)
      .where(and(eq(subscriptions.id, id), where)),
  );
