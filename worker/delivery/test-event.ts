/** A test event sent to a subscription now, outside the outbox: does the receiver answer? */
import type { Db } from '../db/client';
import type { Subscription } from '../db/schema';
import { newId } from '../ids';
import { postWebhook } from './deliver';
import { testEmail } from './email';
import { testEvent } from './events';
import { sendEmail } from './send-email';

export async function sendTestEvent(env: Env, db: Db, subscription: Subscription) {
  const now = Date.now();
  if (subscription.kind === 'webhook') {
    const body = JSON.stringify(testEvent(subscription.id, now));
    return postWebhook(subscription, `msg_test_${newId().replaceAll('-', '')}`, body, env, now);
  }
  try {
    await sendEmail(env, db, testEmail(subscription.target, env.EMAIL_FROM), 'test', subscription.id, now);
    return { ok: true, status: null, error: null };
  } catch (err) {
    return { ok: false, status: null, error: `Email not sent: ${String(err)}` };
  }
}
