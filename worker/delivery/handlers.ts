/** The worker's background entry points: the retry queue's consumer and the cron triggers. */
import { createDb } from '../db/client';
import {
  dueDeliveryIds,
  dueDigestStories,
  dueDigestSubscriptions,
  recordDigestFailed,
  recordDigestSent,
} from '../db/deliveries';
import { attemptDelivery, type RetryMessage } from './deliver';
import { digestEmail } from './email';
import { nextDigestAt } from './schedule';
import { sendEmail } from './send-email';

/** The cron expression of the daily digest, as in wrangler.toml; every other cron sweeps. */
export const DIGEST_CRON = '0 7 * * *';
/** How many due deliveries one sweep takes on; the rest wait for the next minute. */
const SWEEP_LIMIT = 200;
const SWEEP_CONCURRENCY = 6;

/** Retries whose delay has passed. The outbox decides; the queue only carries the wake-up. */
export async function consumeRetries(batch: MessageBatch<RetryMessage>, env: Env) {
  for (const message of batch.messages) {
    try {
      await attemptDelivery(env, message.body.deliveryId, Date.now());
      message.ack();
    } catch (err) {
      console.error('Retry failed unexpectedly', message.body, err);
      message.retry({ delaySeconds: 30 });
    }
  }
}

/** Attempts every due delivery that is not in flight: nothing stored is left undelivered. */
export async function sweepDueDeliveries(env: Env, now: number) {
  const ids = await dueDeliveryIds(createDb(env.DB), now, SWEEP_LIMIT);
  const outcomes: string[] = [];
  for (let i = 0; i < ids.length; i += SWEEP_CONCURRENCY) {
    const chunk = ids.slice(i, i + SWEEP_CONCURRENCY);
    outcomes.push(...(await Promise.all(chunk.map((id) => attemptDelivery(env, id, now)))));
  }
  return outcomes;
}

/** Sends each daily subscription one email with its due stories, grouped by service. */
export async function sendDigests(env: Env, now: number) {
  const db = createDb(env.DB);
  const day = new Date(now).toISOString().slice(0, 10);
  let sent = 0;
  for (const { subscription } of await dueDigestSubscriptions(db, now)) {
    if (subscription.kind !== 'email') continue;
    const rows = await dueDigestStories(db, subscription.id, now);
    if (rows.length === 0) continue;
    const stories = rows.map((row) => ({
      feedback: row.feedback,
      service: { id: row.service.id, name: row.service.name },
      department: { id: subscription.departmentId, name: '' },
    }));
    const ids = rows.map((row) => row.deliveryId);
    const started = Date.now();
    try {
      const email = digestEmail(stories, subscription.target, env.EMAIL_FROM, env.PUBLIC_URL, day);
      await sendEmail(env, db, email, 'digest', subscription.id, now);
      await recordDigestSent(db, ids, now, Date.now() - started);
      sent++;
    } catch (err) {
      await recordDigestFailed(db, ids, now, `Digest not sent: ${String(err)}`, nextDigestAt(now));
    }
  }
  return sent;
}

/** The cron trigger: the digest at its hour, the sweep every minute. */
export async function onSchedule(controller: ScheduledController, env: Env) {
  if (controller.cron === DIGEST_CRON) await sendDigests(env, controller.scheduledTime);
  await sweepDueDeliveries(env, controller.scheduledTime);
}
