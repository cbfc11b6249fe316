/**
 * A subscription's standing changes: a department pauses or resumes it, an operator disables or
 * enables it. Each is one batch with its audit entry, written under the change's own condition.
 */
import { type AnyColumn, and, eq, isNull, ne, or, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { type Subscription, subscriptions } from './schema';
import { auditSubscription, standing, standingNow } from './subscription-audit';

const iso = (ms: number) => new Date(ms).toISOString();

/** `column IS value`, for a value that may be null. */
const matches = (column: AnyColumn, value: string | null): SQL =>
  value === null ? isNull(column) : eq(column, value);

/**
 * A department's member pauses its subscription: only an active one, so a pause never turns one
 * that an operator or Tellus disabled into one the department may resume.
 */
export async function pauseSubscription(db: Db, id: string, reason: string, now: number, actor: string) {
  const active = eq(subscriptions.state, 'active');
  const [, [paused]] = await db.batch([
    auditSubscription(
      db,
      id,
      active,
      {
        actor,
        action: 'subscription.paused',
        before: standingNow(),
        after: standing('disabled', 'department'),
      },
      now,
    ),
    db
      .update(subscriptions)
      .set({ state: 'disabled', disabledBy: 'department', disabledReason: reason, disabledAt: iso(now) })
      .where(and(eq(subscriptions.id, id), active))
      .returning(),
  ]);
  return paused;
}

/**
 * An operator disables a subscription, whatever its state: then only an operator may enable it.
 * Logged unless an operator had disabled it already.
 */
export async function disableAsOperator(db: Db, id: string, now: number) {
  const notYet = or(
    eq(subscriptions.state, 'active'),
    isNull(subscriptions.disabledBy),
    ne(subscriptions.disabledBy, 'operator'),
  );
  const change = {
    actor: 'operator',
    action: 'subscription.disabled',
    before: standingNow(),
    after: standing('disabled', 'operator'),
  };
  const [, [disabled]] = await db.batch([
    auditSubscription(db, id, notYet, change, now),
    db
      .update(subscriptions)
      .set({
        state: 'disabled',
        disabledBy: 'operator',
        disabledReason: 'Disabled by an operator',
        disabledAt: iso(now),
      })
      .where(eq(subscriptions.id, id))
      .returning(),
  ]);
  return disabled;
}

/**
 * Enables a subscription. Given `as`, the disabled standing a member read it with, it is the
 * department resuming it, only while that is still its standing, so a decision made on what was
 * read is never applied over a later change. Without, it is an operator enabling it whatever its
 * standing. Logged only when it was disabled.
 */
export async function enableSubscription(
  db: Db,
  id: string,
  { actor, as }: { actor: string; as?: Pick<Subscription, 'disabledBy' | 'testedOkAt'> },
) {
  const disabled = eq(subscriptions.state, 'disabled');
  const readAs = as
    ? and(
        disabled,
        matches(subscriptions.disabledBy, as.disabledBy),
        matches(subscriptions.testedOkAt, as.testedOkAt),
      )
    : undefined;
  const action = as ? 'subscription.resumed' : 'subscription.enabled';
  const [, [enabled]] = await db.batch([
    auditSubscription(db, id, readAs ?? disabled, {
      actor,
      action,
      before: standingNow(),
      after: standing('active', null),
    }),
    db
      .update(subscriptions)
      .set({ state: 'active', disabledBy: null, disabledReason: null, disabledAt: null, failingSince: null })
      .where(and(eq(subscriptions.id, id), readAs))
      .returning(),
  ]);
  return enabled;
}
