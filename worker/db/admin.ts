/** Queries for the operator API: departments, the services list, subscriptions (services change in services.ts). */
import { and, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { maskedTarget, type NewDepartment, type NewSubscription } from '../../shared';
import type { Db } from './client';
import { departments, type Subscription, serviceOrigins, services, subscriptions } from './schema';
import { auditSubscription } from './subscription-audit';

export const listDepartments = (db: Db) => db.select().from(departments).orderBy(departments.id);

export const findDepartment = (db: Db, id: string) =>
  db.select().from(departments).where(eq(departments.id, id)).get();

export async function insertDepartment(db: Db, input: NewDepartment) {
  return db
    .insert(departments)
    .values({
      id: input.id,
      name: input.name,
      contactEmail: input.contact_email,
      retentionDays: input.retention_days,
    })
    .onConflictDoNothing()
    .returning()
    .get();
}

/** Every service with its allowed origins. */
export async function listServices(db: Db) {
  const [rows, origins] = await Promise.all([
    db.select().from(services).orderBy(services.id),
    db.select().from(serviceOrigins),
  ]);
  return rows.map((service) => ({
    ...service,
    origins: origins.filter((o) => o.serviceId === service.id).map((o) => o.origin),
  }));
}

export async function listSubscriptions(db: Db, departmentId?: string) {
  return db
    .select()
    .from(subscriptions)
    .where(departmentId ? eq(subscriptions.departmentId, departmentId) : undefined)
    .orderBy(subscriptions.createdAt);
}

export const findSubscription = (db: Db, id: string) =>
  db.select().from(subscriptions).where(eq(subscriptions.id, id)).get();

/** The names of the department's services a subscription asks for, by id; none when it asks for all. */
export async function subscribedServiceNames(
  db: Db,
  subscription: Pick<Subscription, 'departmentId' | 'services'>,
) {
  if (!subscription.services?.length) return new Map<string, string>();
  const rows = await db
    .select({ id: services.id, name: services.name })
    .from(services)
    .where(
      and(eq(services.departmentId, subscription.departmentId), inArray(services.id, subscription.services)),
    );
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * Creates a subscription unless its department would then have more than `max`: the insert, the
 * count and the audit entry are one transaction, so two added at once cannot both pass, and one
 * taken back is not in the log. Undefined when it is full.
 */
export async function insertSubscription(
  db: Db,
  id: string,
  input: NewSubscription,
  secret: string | null,
  { max, actor }: { max: number; actor: string },
) {
  const { kind, target, services, min_severity: minSeverity, max_rating: maxRating, mode } = input;
  const [inserted, takenBack] = await db.batch([
    db
      .insert(subscriptions)
      .values({
        id,
        departmentId: input.department_id,
        kind: input.kind,
        target: input.target,
        secret,
        services: input.services,
        minSeverity: input.min_severity,
        maxRating: input.max_rating,
        mode: input.mode,
      })
      .returning(),
    db
      .delete(subscriptions)
      .where(
        and(
          eq(subscriptions.id, id),
          gt(db.$count(subscriptions, eq(subscriptions.departmentId, input.department_id)), max),
        ),
      )
      .returning({ id: subscriptions.id }),
    auditSubscription(db, id, undefined, {
      actor,
      action: 'subscription.created',
      after: { kind, target: maskedTarget(kind, target), services, minSeverity, maxRating, mode },
    }),
  ]);
  return takenBack.length ? undefined : inserted[0];
}

/**
 * Replaces the signing secret; the old one stays valid for signatures until `previousUntil`. The
 * audit entry says when, never what. Undefined when no subscription has the id.
 */
export async function rotateSecret(db: Db, id: string, secret: string, previousUntil: string, actor: string) {
  const [, [rotated]] = await db.batch([
    auditSubscription(db, id, undefined, {
      actor,
      action: 'subscription.secret-rotated',
      after: { previousSecretUntil: previousUntil },
    }),
    db
      .update(subscriptions)
      .set({ secret, previousSecret: sql`${subscriptions.secret}`, previousSecretUntil: previousUntil })
      .where(eq(subscriptions.id, id))
      .returning(),
  ]);
  return rotated;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Counts a test event against the subscription's window of `windowMs`: true when it may be sent,
 * false when the window has had `limit` already. One statement, so tests sent at once cannot all pass.
 */
export async function claimTestEvent(
  db: Db,
  id: string,
  now: number,
  { windowMs, limit }: { windowMs: number; limit: number },
) {
  const since = iso(now - windowMs);
  const inWindow = gt(subscriptions.testWindowStartedAt, since);
  const claimed = await db
    .update(subscriptions)
    .set({
      testsInWindow: sql`CASE WHEN ${inWindow} THEN ${subscriptions.testsInWindow} + 1 ELSE 1 END`,
      testWindowStartedAt: sql`CASE WHEN ${inWindow} THEN ${subscriptions.testWindowStartedAt} ELSE ${iso(now)} END`,
    })
    .where(
      and(
        eq(subscriptions.id, id),
        or(
          isNull(subscriptions.testWindowStartedAt),
          lte(subscriptions.testWindowStartedAt, since),
          lt(subscriptions.testsInWindow, limit),
        ),
      ),
    )
    .returning({ id: subscriptions.id })
    .get();
  return claimed !== undefined;
}

/** Notes that a test event to the subscription was received. */
export const recordTestReceived = (db: Db, id: string, now: number) =>
  db
    .update(subscriptions)
    .set({ testedOkAt: iso(now) })
    .where(eq(subscriptions.id, id));
