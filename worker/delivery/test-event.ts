/**
 * A test event sent to a subscription now, outside the outbox: does the receiver answer? A few an
 * hour to each subscription, and one that is received is noted (it lets a department resume one
 * that Tellus disabled after failures).
 */
import { isChatKind } from '../../shared';
import { claimTestEvent, recordTestReceived } from '../db/admin';
import type { Db } from '../db/client';
import type { Subscription } from '../db/schema';
import { newId } from '../ids';
import { TEST_WINDOW_MS, TESTS_PER_WINDOW } from '../subscription-rules';
import { postChatMessage, testChatStory } from './chat-delivery';
import { postWebhook } from './deliver';
import { testEmail } from './email';
import { testEvent } from './events';
import { sendEmail } from './send-email';

export type TestOutcome =
  | { sent: false; retryAfterSeconds: number }
  | { sent: true; ok: boolean; status: number | null; error: string | null };

export async function sendTestEvent(
  env: Env,
  db: Db,
  subscription: Subscription,
  now = Date.now(),
): Promise<TestOutcome> {
  const window = { windowMs: TEST_WINDOW_MS, limit: TESTS_PER_WINDOW };
  if (!(await claimTestEvent(db, subscription.id, now, window))) {
    const started = Date.parse(subscription.testWindowStartedAt ?? '');
    const left = Number.isNaN(started) ? 60_000 : started + TEST_WINDOW_MS - now;
    return { sent: false, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
  }
  const result = await send(env, db, subscription, now);
  if (result.ok) await recordTestReceived(db, subscription.id, now);
  return { sent: true, ...result };
}

async function send(env: Env, db: Db, subscription: Subscription, now: number) {
  if (subscription.kind === 'webhook') {
    const body = JSON.stringify(testEvent(subscription.id, now));
    return postWebhook(subscription, `msg_test_${newId().replaceAll('-', '')}`, body, env, now);
  }
  if (isChatKind(subscription.kind)) {
    return postChatMessage(env, subscription.kind, subscription.target, testChatStory(env.PUBLIC_URL, now));
  }
  try {
    await sendEmail(env, db, testEmail(subscription.target, env.EMAIL_FROM), 'test', subscription.id, now);
    return { ok: true, status: null, error: null };
  } catch (err) {
    console.error('A test email was not sent', subscription.id, err);
    return { ok: false, status: null, error: 'The email could not be sent' };
  }
}
