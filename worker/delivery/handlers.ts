/** The worker's background entry points: the retry queue's consumer and the minute cron. */
import { createDb } from '../db/client';
import {
  claimDigest,
  dueDeliveryIds,
  dueDigestSubscriptions,
  recordDigestFailed,
  recordDigestSent,
} from '../db/deliveries';
import { forgetSpentFormTokens } from '../db/queries';
import { deleteExpiredStories } from '../db/receipts';
import { FORM_TOKEN_MAX_AGE_MS } from '../spam/form-token';
import {
  type AttemptOutcome,
  attemptDelivery,
  disableAndTell,
  type RetryMessage,
  recipientOf,
} from './deliver';
import { digestEmail } from './email';
import { LEASE_MS, nextAttemptAt, shouldDisable } from './schedule';
import { sendEmail } from './send-email';
import { ukDate, ukDateTime } from './uk-time';

/** How many due deliveries one sweep takes on; the rest wait for the next minute. */
const SWEEP_LIMIT = 200;
const SWEEP_CONCURRENCY = 6;
/** The most stories in one digest email; more go out in the next one, a minute later. */
export const DIGEST_MAX_STORIES = 200;

/** Retries whose delay has passed. The outbox decides; the queue only carries the wake-up. */
export async function consumeRetries(
  batch: MessageBatch<RetryMessage>,
  env: Env,
  now: () => number = Date.now,
) {
  // A batch's messages are attempted side by side: each claims its own delivery's lease.
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        // Early or duplicate messages find nothing due and are dropped: the sweep is the backstop.
        await attemptDelivery(env, message.body.deliveryId, now());
        message.ack();
      } catch (err) {
        console.error('Retry failed unexpectedly', message.body, err);
        message.retry({ delaySeconds: 30 });
      }
    }),
  );
}

/**
 * Attempts every due delivery that is not in flight: nothing stored is left undelivered. `clock`
 * gives the time of each attempt (the cron's time, moved on as the sweep takes time).
 */
export async function sweepDueDeliveries(env: Env, clock: () => number) {
  const ids = await dueDeliveryIds(createDb(env.DB), clock(), SWEEP_LIMIT);
  const outcomes: PromiseSettledResult<AttemptOutcome>[] = [];
  for (let i = 0; i < ids.length; i += SWEEP_CONCURRENCY) {
    const chunk = ids.slice(i, i + SWEEP_CONCURRENCY);
    outcomes.push(...(await Promise.allSettled(chunk.map((id) => attemptDelivery(env, id, clock())))));
  }
  for (const outcome of outcomes)
    if (outcome.status === 'rejected') console.error('Sweep attempt failed', outcome.reason);
  return outcomes;
}

/** Sends each daily subscription whose digest is due one email of its stories, grouped by service. */
export async function sendDigests(env: Env, clock: () => number) {
  const db = createDb(env.DB);
  let sent = 0;
  for (const { subscription, department } of await dueDigestSubscriptions(db, clock())) {
    if (subscription.kind !== 'email') continue;
    const now = clock();
    const { lease, stories } = await claimDigest(db, subscription.id, now, LEASE_MS, DIGEST_MAX_STORIES);
    if (stories.length === 0) continue;
    const contexts = stories.map((row) => ({
      feedback: row.feedback,
      service: { id: row.service.id, name: row.service.name },
      department: { id: department.id, name: department.name },
    }));
    const started = Date.now();
    try {
      const email = digestEmail(
        contexts,
        await recipientOf(
          env,
          db,
          subscription,
          contexts.map((context) => context.feedback.id),
        ),
        ukDate(now),
      );
      await sendEmail(env, db, email, 'digest', subscription.id, now);
      await recordDigestSent(db, subscription.id, lease, now, Date.now() - started);
      sent++;
    } catch (err) {
      const error = `Digest not sent: ${String(err)}`;
      const failures = Math.max(...stories.map((row) => row.attempts)) + 1;
      const failingSince = Date.parse(
        await recordDigestFailed(db, subscription.id, lease, now, error, nextAttemptAt(failures, now)),
      );
      if (shouldDisable(failingSince, now)) {
        const reason = `Every digest since ${ukDateTime(failingSince)} has failed; the last error was: ${error}`;
        await disableAndTell(env, db, subscription, department.contactEmail, reason, now);
      }
    }
  }
  return sent;
}

/** The cron trigger, every minute: due digests, then due deliveries. */
export async function onSchedule(controller: ScheduledController, env: Env) {
  // Tests pass a scheduledTime in the future; the sweep's clock keeps that offset as it runs.
  const offset = controller.scheduledTime - Date.now();
  const clock = () => Date.now() + offset;
  await sendDigests(env, clock);
  await sweepDueDeliveries(env, clock);
  // Stories past their department's retention period go, with their deliveries; spent form tokens
  // go once they are too old to be taken anyway.
  const db = createDb(env.DB);
  await deleteExpiredStories(db, clock());
  await forgetSpentFormTokens(db, new Date(clock() - FORM_TOKEN_MAX_AGE_MS));
}
