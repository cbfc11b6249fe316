/** One delivery attempt, and what follows it: done, retry later through the queue, or give up. */

import { isChatKind } from '../../shared';
import { subscribedServiceNames } from '../db/admin';
import { createDb, type Db } from '../db/client';
import {
  claimDelivery,
  deliveryContext,
  disableSubscription,
  recordFailure,
  recordSuccess,
} from '../db/deliveries';
import { findAnswer } from '../db/department';
import type { Subscription } from '../db/schema';
import { replyAddress } from '../email/reply-token';
import { tellusSecret } from '../spam/secret';
import { chatStoryOf, postChatMessage } from './chat-delivery';
import { type Recipient, storyEmail, subscriptionDisabledEmail } from './email';
import { feedbackAnsweredEvent, feedbackCreatedEvent, type StoryContext } from './events';
import { postJson, type SendResult, WEBHOOK_TIMEOUT_MS } from './post-json';
import { LEASE_MS, nextAttemptAt, shouldDisable } from './schedule';
import { sendEmail } from './send-email';
import { webhookHeaders, webhookMessageId } from './signing';
import { ukDateTime } from './uk-time';
import { webhookUrlProblem } from './webhook-url';
import { whySent } from './why-sent';

/**
 * How many waiting deliveries of a subscription one success sends again at once. Successes chain
 * (each re-driven success re-drives the next slice), so a backlog of thousands drains in seconds
 * through the queue without one attempt fanning out to all of it.
 */
export const REDRIVE_SLICE = 5;
/** The longest delay Cloudflare Queues accepts for one message. */
const MAX_QUEUE_DELAY_SECONDS = 12 * 3600;

/** The message the retry queue carries: which delivery to try again. */
export interface RetryMessage {
  deliveryId: string;
}

export type AttemptOutcome = 'delivered' | 'retrying' | 'disabled' | 'skipped';

/**
 * Posts a signed webhook; only a 2xx answer counts, and redirects are never followed. The
 * signature's timestamp is the real time of sending, whatever `now` the schedule runs on.
 */
export async function postWebhook(
  subscription: Pick<Subscription, 'target' | 'secret' | 'previousSecret' | 'previousSecretUntil'>,
  messageId: string,
  body: string,
  env: Env,
  now: number,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<SendResult> {
  const allowLocal = env.ALLOW_LOCAL_WEBHOOKS === 'true';
  const urlProblem = webhookUrlProblem(subscription.target, { allowLocal });
  if (urlProblem) return { ok: false, status: null, error: `The webhook URL ${urlProblem}` };
  if (!subscription.secret)
    return { ok: false, status: null, error: 'The subscription has no signing secret' };
  const secrets = [subscription.secret];
  if (
    subscription.previousSecret &&
    subscription.previousSecretUntil &&
    Date.parse(subscription.previousSecretUntil) > now
  ) {
    secrets.push(subscription.previousSecret);
  }
  const headers = await webhookHeaders(secrets, messageId, Math.floor(Date.now() / 1000), body);
  return postJson({ target: subscription.target, name: 'webhook', body, headers, allowLocal, timeoutMs });
}

/**
 * Who an email subscription's message about `storyIds` goes to, which of its filters sends it,
 * and, when replies are taken (`REPLY_DOMAIN`), the address at which each story can be answered.
 */
export async function recipientOf(
  env: Env,
  db: Db,
  subscription: Subscription,
  storyIds: readonly string[],
): Promise<Recipient> {
  const why = whySent(subscription, await subscribedServiceNames(db, subscription));
  const domain = env.REPLY_DOMAIN?.trim();
  const replyTo = domain
    ? new Map(
        await Promise.all(
          storyIds.map(async (id) => [id, await replyAddress(tellusSecret(env), id, domain)] as const),
        ),
      )
    : undefined;
  return { to: subscription.target, from: env.EMAIL_FROM, publicUrl: env.PUBLIC_URL, why, replyTo };
}

function storyContext(row: NonNullable<Awaited<ReturnType<typeof deliveryContext>>>): StoryContext {
  return {
    feedback: row.feedback,
    service: { id: row.service.id, name: row.service.name },
    department: { id: row.department.id, name: row.department.name },
  };
}

/**
 * Attempts one delivery now, if no one else is: sends it, records the attempt, and on failure
 * schedules the next try (in D1, and as a delayed queue message) or disables the subscription.
 */
export async function attemptDelivery(env: Env, deliveryId: string, now: number, db: Db = createDb(env.DB)) {
  const delivery = await claimDelivery(db, deliveryId, now, LEASE_MS);
  if (!delivery) return 'skipped' satisfies AttemptOutcome;
  const row = await deliveryContext(db, delivery.feedbackId, delivery.subscriptionId);
  if (!row) return 'skipped' satisfies AttemptOutcome;
  const { subscription, department } = row;
  const context = storyContext(row);

  const started = Date.now();
  let result: SendResult;
  const answer = delivery.answerId ? await findAnswer(db, delivery.answerId) : undefined;
  if (delivery.answerId && !answer) return 'skipped' satisfies AttemptOutcome;
  if (subscription.kind === 'webhook') {
    const event = answer ? feedbackAnsweredEvent(context, answer, now) : feedbackCreatedEvent(context, now);
    const body = JSON.stringify(event);
    result = await postWebhook(subscription, webhookMessageId(delivery.id), body, env, now);
  } else if (isChatKind(subscription.kind)) {
    // Only `feedback.created` is routed to a channel: answers go to webhooks alone.
    result = await postChatMessage(
      env,
      subscription.kind,
      subscription.target,
      chatStoryOf(context, env.PUBLIC_URL),
    );
  } else {
    try {
      const email = storyEmail(context, await recipientOf(env, db, subscription, [context.feedback.id]));
      await sendEmail(env, db, email, 'story', delivery.id, now);
      result = { ok: true, status: null, error: null };
    } catch (err) {
      result = { ok: false, status: null, error: `Email not sent: ${String(err)}` };
    }
  }
  const attempt = {
    deliveryId,
    attemptedAt: now,
    status: result.status,
    error: result.error,
    durationMs: Date.now() - started,
  };

  const lease = delivery.leaseUntil ?? '';
  if (result.ok) {
    const redriven = await recordSuccess(db, attempt, lease, subscription.id, REDRIVE_SLICE);
    // Each re-driven delivery that succeeds re-drives the next slice; one that fails waits for its
    // own next retry, so a receiver that fails again stops the re-drive.
    if (redriven.length) await enqueueDeliveries(env.DELIVERIES, redriven);
    return 'delivered' satisfies AttemptOutcome;
  }
  const failures = delivery.attempts + 1;
  const dueAt = nextAttemptAt(failures, now);
  const failingSince = Date.parse(await recordFailure(db, attempt, lease, subscription.id, dueAt));
  const reason =
    result.status === 410
      ? 'The receiver answered 410 Gone: it no longer wants these events.'
      : shouldDisable(failingSince, now)
        ? `Every delivery since ${ukDateTime(failingSince)} has failed; the last error was: ${result.error}`
        : undefined;
  if (reason) {
    await disableAndTell(env, db, subscription, department.contactEmail, reason, now);
    return 'disabled' satisfies AttemptOutcome;
  }
  const delaySeconds = Math.min(Math.max(Math.ceil((dueAt - now) / 1000), 0), MAX_QUEUE_DELAY_SECONDS);
  await env.DELIVERIES.send({ deliveryId } satisfies RetryMessage, { delaySeconds });
  return 'retrying' satisfies AttemptOutcome;
}

/** The most messages one `sendBatch` call to a queue may carry. */
const QUEUE_BATCH_LIMIT = 100;

/** Puts deliveries on the retry queue to be attempted now, a hundred messages to a call. */
export async function enqueueDeliveries(queue: Queue<RetryMessage>, deliveryIds: string[]) {
  for (let i = 0; i < deliveryIds.length; i += QUEUE_BATCH_LIMIT) {
    const chunk = deliveryIds.slice(i, i + QUEUE_BATCH_LIMIT);
    await queue.sendBatch(chunk.map((deliveryId) => ({ body: { deliveryId } satisfies RetryMessage })));
  }
}

/** Disables a subscription and emails the department's contact address about it. */
export async function disableAndTell(
  env: Env,
  db: Db,
  subscription: Pick<Subscription, 'id' | 'kind' | 'target'>,
  contactEmail: string,
  reason: string,
  now: number,
) {
  const disabled = await disableSubscription(db, subscription.id, reason, now);
  if (!disabled) return;
  try {
    await sendEmail(
      env,
      db,
      subscriptionDisabledEmail(subscription, reason, contactEmail, env.EMAIL_FROM),
      'subscription-disabled',
      subscription.id,
      now,
    );
  } catch (err) {
    console.error('Could not tell the department that a subscription was disabled', subscription.id, err);
  }
}
