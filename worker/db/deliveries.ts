/** Queries for the outbox: claiming, recording and listing deliveries. */
import { and, asc, eq, exists, gt, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from './client';
import {
  deliveries,
  deliveryAttempts,
  departments,
  feedback,
  type NewDelivery,
  services,
  subscriptions,
} from './schema';

const iso = (ms: number) => new Date(ms).toISOString();

/** What routing a story needs of a subscription (`subscriptionWants`). */
export const routableSubscription = {
  id: subscriptions.id,
  state: subscriptions.state,
  services: subscriptions.services,
  minSeverity: subscriptions.minSeverity,
  maxRating: subscriptions.maxRating,
  mode: subscriptions.mode,
};

/** The active subscriptions of the department that owns a service (a query a batch can carry). */
export function subscriptionsOfServiceDepartment(db: Db, serviceId: string) {
  return db
    .select(routableSubscription)
    .from(subscriptions)
    .innerJoin(services, eq(services.departmentId, subscriptions.departmentId))
    .where(and(eq(services.id, serviceId), eq(subscriptions.state, 'active')));
}

/**
 * Takes a pending `each` delivery that is due for one attempt: sets a lease so no one else starts
 * one until it ends. Returns undefined when it is delivered, not yet due, leased, or its
 * subscription is disabled. The lease's value identifies the attempt that holds it.
 */
export async function claimDelivery(db: Db, deliveryId: string, now: number, leaseMs: number) {
  const activeSubscription = db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.id, deliveries.subscriptionId), eq(subscriptions.state, 'active')));
  return db
    .update(deliveries)
    .set({ leaseUntil: iso(now + leaseMs) })
    .where(
      and(
        eq(deliveries.id, deliveryId),
        eq(deliveries.state, 'pending'),
        eq(deliveries.kind, 'each'),
        lte(deliveries.dueAt, iso(now)),
        or(isNull(deliveries.leaseUntil), lte(deliveries.leaseUntil, iso(now))),
        sql`exists ${activeSubscription}`,
      ),
    )
    .returning()
    .get();
}

/** Everything an attempt needs: the story, its service and department, the subscription. */
export async function deliveryContext(db: Db, feedbackId: string, subscriptionId: string) {
  const row = await db
    .select({ feedback, service: services, department: departments, subscription: subscriptions })
    .from(feedback)
    .innerJoin(services, eq(services.id, feedback.serviceId))
    .innerJoin(departments, eq(departments.id, services.departmentId))
    .innerJoin(subscriptions, eq(subscriptions.id, subscriptionId))
    .where(eq(feedback.id, feedbackId))
    .get();
  return row;
}

export interface AttemptRecord {
  deliveryId: string;
  attemptedAt: number;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** Only the attempt that still holds the lease may change the delivery. */
const heldBy = (deliveryId: string, lease: string) =>
  and(eq(deliveries.id, deliveryId), eq(deliveries.leaseUntil, lease));

/**
 * Records a successful attempt: the delivery is done, the subscription is healthy. In the same
 * batch, up to `redrive` of the active subscription's deliveries that failed as an outage fails (no
 * answer, a 5xx or a 429) and wait for a later retry are made due now, oldest first, and returned,
 * for the caller to send at once: a receiver that answers again gets its backlog in seconds, not at
 * each delivery's next retry. Each delivery is re-driven once in its life: one that fails again, or
 * was refused for itself (a 4xx), keeps its own schedule. The slice is taken in the transaction, so
 * two successes at once re-drive different deliveries.
 */
export async function recordSuccess(
  db: Db,
  attempt: AttemptRecord,
  lease: string,
  subscriptionId: string,
  redrive = 0,
): Promise<string[]> {
  const now = iso(attempt.attemptedAt);
  const active = db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.state, 'active')));
  const waiting = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.subscriptionId, subscriptionId),
        eq(deliveries.state, 'pending'),
        eq(deliveries.kind, 'each'),
        gt(deliveries.dueAt, now),
        gt(deliveries.attempts, 0),
        isNull(deliveries.leaseUntil),
        isNull(deliveries.redrivenAt),
        or(isNull(deliveries.lastStatus), gte(deliveries.lastStatus, 500), eq(deliveries.lastStatus, 429)),
        exists(active),
      ),
    )
    .orderBy(asc(deliveries.id))
    .limit(redrive);
  const [, , , redriven] = await db.batch([
    db.insert(deliveryAttempts).values({ ...attempt, attemptedAt: now }),
    db
      .update(deliveries)
      .set({
        state: 'delivered',
        attempts: sql`${deliveries.attempts} + 1`,
        deliveredAt: now,
        leaseUntil: null,
        lastStatus: attempt.status,
        lastError: null,
      })
      .where(heldBy(attempt.deliveryId, lease)),
    db.update(subscriptions).set({ failingSince: null }).where(eq(subscriptions.id, subscriptionId)),
    db
      .update(deliveries)
      .set({ dueAt: now, redrivenAt: now })
      .where(inArray(deliveries.id, waiting))
      .returning({ id: deliveries.id }),
  ]);
  return redriven.map((row) => row.id);
}

/**
 * Records a failed attempt and when to try next, and marks when the subscription began failing.
 * Returns that time.
 */
export async function recordFailure(
  db: Db,
  attempt: AttemptRecord,
  lease: string,
  subscriptionId: string,
  dueAt: number,
) {
  const [, , , health] = await db.batch([
    db.insert(deliveryAttempts).values({ ...attempt, attemptedAt: iso(attempt.attemptedAt) }),
    db
      .update(deliveries)
      .set({
        attempts: sql`${deliveries.attempts} + 1`,
        dueAt: iso(dueAt),
        leaseUntil: null,
        lastStatus: attempt.status,
        lastError: attempt.error,
      })
      .where(heldBy(attempt.deliveryId, lease)),
    db
      .update(subscriptions)
      .set({ failingSince: sql`coalesce(${subscriptions.failingSince}, ${iso(attempt.attemptedAt)})` })
      .where(eq(subscriptions.id, subscriptionId)),
    db
      .select({ failingSince: subscriptions.failingSince })
      .from(subscriptions)
      .where(eq(subscriptions.id, subscriptionId)),
  ]);
  return health[0]?.failingSince ?? iso(attempt.attemptedAt);
}

/**
 * Stops delivering to a subscription after failures; its pending deliveries wait until it is
 * enabled again.
 */
export async function disableSubscription(db: Db, subscriptionId: string, reason: string, now: number) {
  return db
    .update(subscriptions)
    .set({ state: 'disabled', disabledBy: 'failures', disabledReason: reason, disabledAt: iso(now) })
    .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.state, 'active')))
    .returning()
    .get();
}

/** Pending `each` deliveries that are due and not in flight, oldest first. */
export async function dueDeliveryIds(db: Db, now: number, limit: number) {
  const rows = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .innerJoin(subscriptions, eq(subscriptions.id, deliveries.subscriptionId))
    .where(
      and(
        eq(deliveries.state, 'pending'),
        eq(deliveries.kind, 'each'),
        lte(deliveries.dueAt, iso(now)),
        or(isNull(deliveries.leaseUntil), lte(deliveries.leaseUntil, iso(now))),
        eq(subscriptions.state, 'active'),
      ),
    )
    .orderBy(asc(deliveries.dueAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Active daily email subscriptions with digest deliveries due and not in flight. */
export async function dueDigestSubscriptions(db: Db, now: number) {
  return db
    .selectDistinct({ subscription: subscriptions, department: departments })
    .from(deliveries)
    .innerJoin(subscriptions, eq(subscriptions.id, deliveries.subscriptionId))
    .innerJoin(departments, eq(departments.id, subscriptions.departmentId))
    .where(
      and(
        eq(deliveries.state, 'pending'),
        eq(deliveries.kind, 'digest'),
        lte(deliveries.dueAt, iso(now)),
        or(isNull(deliveries.leaseUntil), lte(deliveries.leaseUntil, iso(now))),
        eq(subscriptions.state, 'active'),
      ),
    );
}

/**
 * Takes up to `limit` due digest deliveries of one subscription, oldest first, under one lease.
 * Returns the lease and the stories; an empty list when another run holds them.
 */
export async function claimDigest(
  db: Db,
  subscriptionId: string,
  now: number,
  leaseMs: number,
  limit: number,
) {
  const lease = iso(now + leaseMs);
  const due = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.subscriptionId, subscriptionId),
        eq(deliveries.state, 'pending'),
        eq(deliveries.kind, 'digest'),
        lte(deliveries.dueAt, iso(now)),
        or(isNull(deliveries.leaseUntil), lte(deliveries.leaseUntil, iso(now))),
      ),
    )
    .orderBy(asc(deliveries.createdAt))
    .limit(limit);
  await db.update(deliveries).set({ leaseUntil: lease }).where(inArray(deliveries.id, due));
  const stories = await db
    .select({ attempts: deliveries.attempts, feedback, service: services })
    .from(deliveries)
    .innerJoin(feedback, eq(feedback.id, deliveries.feedbackId))
    .innerJoin(services, eq(services.id, feedback.serviceId))
    .where(digestHeldBy(subscriptionId, lease))
    .orderBy(asc(feedback.createdAt));
  return { lease, stories };
}

const digestHeldBy = (subscriptionId: string, lease: string) =>
  and(
    eq(deliveries.subscriptionId, subscriptionId),
    eq(deliveries.kind, 'digest'),
    eq(deliveries.state, 'pending'),
    eq(deliveries.leaseUntil, lease),
  );

/** One attempt row for each delivery a digest holds, written by the database (no bound lists). */
function digestAttempts(
  db: Db,
  subscriptionId: string,
  lease: string,
  now: number,
  error: string | null,
  durationMs: number,
) {
  return db.insert(deliveryAttempts).select(
    db
      .select({
        id: sql<number>`null`.as('id'),
        deliveryId: deliveries.id,
        attemptedAt: sql<string>`${iso(now)}`.as('attempted_at'),
        status: sql<number | null>`null`.as('status'),
        error: sql<string | null>`${error}`.as('error'),
        durationMs: sql<number>`${durationMs}`.as('duration_ms'),
      })
      .from(deliveries)
      .where(digestHeldBy(subscriptionId, lease)),
  );
}

/** Marks a sent digest's deliveries delivered, recording one attempt each. */
export async function recordDigestSent(
  db: Db,
  subscriptionId: string,
  lease: string,
  now: number,
  durationMs: number,
) {
  await db.batch([
    digestAttempts(db, subscriptionId, lease, now, null, durationMs),
    db
      .update(deliveries)
      .set({
        state: 'delivered',
        attempts: sql`${deliveries.attempts} + 1`,
        deliveredAt: iso(now),
        leaseUntil: null,
        lastError: null,
      })
      .where(digestHeldBy(subscriptionId, lease)),
    db.update(subscriptions).set({ failingSince: null }).where(eq(subscriptions.id, subscriptionId)),
  ]);
}

/** Records a failed digest: its deliveries are tried again at `dueAt`. Returns when failing began. */
export async function recordDigestFailed(
  db: Db,
  subscriptionId: string,
  lease: string,
  now: number,
  error: string,
  dueAt: number,
) {
  const [, , , health] = await db.batch([
    digestAttempts(db, subscriptionId, lease, now, error, 0),
    db
      .update(deliveries)
      .set({
        attempts: sql`${deliveries.attempts} + 1`,
        lastError: error,
        dueAt: iso(dueAt),
        leaseUntil: null,
      })
      .where(digestHeldBy(subscriptionId, lease)),
    db
      .update(subscriptions)
      .set({ failingSince: sql`coalesce(${subscriptions.failingSince}, ${iso(now)})` })
      .where(eq(subscriptions.id, subscriptionId)),
    db
      .select({ failingSince: subscriptions.failingSince })
      .from(subscriptions)
      .where(eq(subscriptions.id, subscriptionId)),
  ]);
  return health[0]?.failingSince ?? iso(now);
}

/** Deliveries not yet delivered that have failed at least once, newest first. */
export async function failedDeliveries(
  db: Db,
  filter: { id?: string; subscriptionId?: string; departmentId?: string; limit?: number } = {},
) {
  return db
    .select({
      id: deliveries.id,
      feedbackId: deliveries.feedbackId,
      subscriptionId: deliveries.subscriptionId,
      attempts: deliveries.attempts,
      lastStatus: deliveries.lastStatus,
      lastError: deliveries.lastError,
      dueAt: deliveries.dueAt,
      subscriptionState: subscriptions.state,
    })
    .from(deliveries)
    .innerJoin(subscriptions, eq(subscriptions.id, deliveries.subscriptionId))
    .where(
      and(
        eq(deliveries.state, 'pending'),
        gt(deliveries.attempts, 0),
        filter.subscriptionId ? eq(deliveries.subscriptionId, filter.subscriptionId) : undefined,
        filter.departmentId ? eq(subscriptions.departmentId, filter.departmentId) : undefined,
        filter.id ? eq(deliveries.id, filter.id) : undefined,
      ),
    )
    .orderBy(sql`${deliveries.createdAt} desc`)
    .limit(filter.limit ?? 100);
}

/** Makes pending deliveries due now, for a replay; one in flight keeps its lease. Returns the ids. */
export async function makeDueNow(
  db: Db,
  where: { deliveryId?: string; subscriptionId?: string },
  now: number,
) {
  const rows = await db
    .update(deliveries)
    .set({ dueAt: iso(now) })
    .where(
      and(
        eq(deliveries.state, 'pending'),
        where.deliveryId ? eq(deliveries.id, where.deliveryId) : undefined,
        where.subscriptionId ? eq(deliveries.subscriptionId, where.subscriptionId) : undefined,
      ),
    )
    .returning({ id: deliveries.id, kind: deliveries.kind });
  return rows;
}

/** The attempts made for one delivery, oldest first. */
export async function attemptsOf(db: Db, deliveryId: string) {
  return db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.deliveryId, deliveryId))
    .orderBy(asc(deliveryAttempts.id));
}

export type { NewDelivery };
