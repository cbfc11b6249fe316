// Delivery end to end inside workerd with the real D1, against a real receiver on 127.0.0.1 that
// verifies every webhook with the official standardwebhooks library.
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import PostalMime from 'postal-mime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client';
import { deliveries, deliveryAttempts, feedback, sentEmails, subscriptions } from '../db/schema';
import { newId } from '../ids';
import { addEmail, addWebhook, eventually, received, seed, submitStory as submit } from '../test/seed';
import { attemptDelivery, postWebhook } from './deliver';
import { consumeRetries, DIGEST_MAX_STORIES, onSchedule } from './handlers';
import { nextDigestAt } from './schedule';
import { webhookMessageId } from './signing';
import { ukDate, ukDateTime } from './uk-time';

let db: Db;
let box: string;
beforeEach(async () => {
  db = await seed();
  box = `box-${newId()}`;
});

const deliveriesOf = (feedbackId: string) =>
  db.select().from(deliveries).where(eq(deliveries.feedbackId, feedbackId));
const attemptsOf = (deliveryId: string) =>
  db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.deliveryId, deliveryId))
    .orderBy(deliveryAttempts.id);

afterEach(() => {
  vi.restoreAllMocks();
});

/** Catches the raw MIME of every email sent from now on. */
function emailsSent() {
  const raws: string[] = [];
  vi.spyOn(env.EMAIL, 'send').mockImplementation(async (message) => {
    // Miniflare's EmailMessage keeps the MIME text under this key.
    const raw = (message as unknown as Record<string, string | ReadableStream>)['EmailMessage::raw'];
    raws.push(typeof raw === 'string' ? raw : await new Response(raw).text());
    return { messageId: `<${raws.length}@tellus.test>` };
  });
  return raws;
}

/** Runs the queue consumer directly, as Cloudflare Queues would once the retry's delay is over. */
async function runRetry(deliveryId: string) {
  const due = await db
    .select({ dueAt: deliveries.dueAt })
    .from(deliveries)
    .where(eq(deliveries.id, deliveryId))
    .get();
  const now = Date.parse(due?.dueAt ?? '') + 1;
  const acked: string[] = [];
  const message = {
    id: newId(),
    timestamp: new Date(),
    attempts: 1,
    body: { deliveryId },
    ack: () => acked.push(deliveryId),
    retry: () => undefined,
  };
  await consumeRetries(
    { queue: 'tellus-deliveries', messages: [message], ackAll() {}, retryAll() {} } as never,
    env,
    () => now,
  );
  expect(acked).toEqual([deliveryId]);
}

const minute = (at: number) => createScheduledController({ scheduledTime: at, cron: '* * * * *' });

async function waitForAttempts(deliveryId: string, count: number) {
  await eventually(async () => (await attemptsOf(deliveryId)).length >= count);
  return attemptsOf(deliveryId);
}

describe('delivering a new story', () => {
  it('writes the story and one pending delivery per matching subscription in the same batch', async () => {
    await addWebhook(db, box, '200');
    await addWebhook(db, `${box}-b`, '200');
    await addWebhook(db, `${box}-other`, '200', { services: ['bulky-waste'] });
    const id = await submit('Bins left on the pavement.');
    expect((await deliveriesOf(id)).map((d) => d.subscriptionId).sort()).toEqual([
      `sub-${box}`,
      `sub-${box}-b`,
    ]);
  });

  it('delivers once to each subscription right after the 201, signed so the official library verifies it', async () => {
    await addWebhook(db, box, '200');
    await addWebhook(db, `${box}-b`, '200');
    const id = await submit('The crew were kind and quick.');
    const [first, second] = await Promise.all([
      eventually(async () => (await received(box))[0]),
      eventually(async () => (await received(`${box}-b`))[0]),
    ]);
    for (const got of [first, second]) {
      expect(got).toMatchObject({ verified: true, status: 200 });
      expect(got?.body).toMatchObject({
        type: 'feedback.created',
        data: {
          id,
          service: { id: 'missed-bin-collection', name: 'Report a missed bin collection' },
          department: { id: 'waste', name: 'Waste and Recycling' },
          rating: 2,
          story: 'The crew were kind and quick.',
          severity: 'normal',
          locale: 'en',
        },
      });
    }
    const rows = await eventually(async () => {
      const all = await deliveriesOf(id);
      return all.every((d) => d.state === 'delivered') && all;
    });
    expect(rows).toHaveLength(2);
    const mine = (rows || []).find((d) => d.subscriptionId === `sub-${box}`);
    expect(first?.id).toBe(webhookMessageId(mine?.id ?? ''));
    expect(JSON.stringify(first?.body).length).toBeLessThan(20_000);
  });

  it('retries a 500 through the queue and delivers with the same webhook-id', async () => {
    await addWebhook(db, box, '500,200');
    const sent = vi.spyOn(env.DELIVERIES, 'send');
    const id = await submit('First try fails.');
    const [delivery] = await deliveriesOf(id);
    const [firstAttempt] = await waitForAttempts(delivery?.id ?? '', 1);
    expect(firstAttempt).toMatchObject({ status: 500, error: 'HTTP 500' });
    const pending = (await deliveriesOf(id))[0];
    expect(pending).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500 });
    const delay = Date.parse(pending?.dueAt ?? '') - Date.parse(firstAttempt?.attemptedAt ?? '');
    expect(delay).toBeGreaterThanOrEqual(4500);
    expect(delay).toBeLessThanOrEqual(5500);
    expect(sent).toHaveBeenCalledWith(
      { deliveryId: delivery?.id },
      { delaySeconds: Math.ceil(delay / 1000) },
    );

    await consumeRetries(
      { queue: 'q', messages: [{ body: { deliveryId: delivery?.id }, ack() {}, retry() {} }] } as never,
      env,
      () => Date.parse(pending?.dueAt ?? '') - 1000,
    );
    expect(await received(box)).toHaveLength(1);

    await runRetry(delivery?.id ?? '');
    const got = await received(box);
    expect(got.map((r) => r.status)).toEqual([500, 200]);
    expect(new Set(got.map((r) => r.id)).size).toBe(1);
    expect(got.every((r) => r.verified)).toBe(true);
    expect((await deliveriesOf(id))[0]).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 });
    expect((await attemptsOf(delivery?.id ?? '')).map((a) => a.status)).toEqual([500, 200]);
  });

  it('survives a receiver that is down for several attempts, losing nothing', async () => {
    await addWebhook(db, box, 'drop,drop,drop,200');
    const id = await submit('Receiver is down.');
    const [delivery] = await deliveriesOf(id);
    const deliveryId = delivery?.id ?? '';
    await waitForAttempts(deliveryId, 1);
    await runRetry(deliveryId);
    await runRetry(deliveryId);
    expect((await deliveriesOf(id))[0]).toMatchObject({ state: 'pending', attempts: 3, lastStatus: null });
    await runRetry(deliveryId);
    expect((await deliveriesOf(id))[0]).toMatchObject({ state: 'delivered', attempts: 4 });
    const attempts = await attemptsOf(deliveryId);
    expect(attempts.map((a) => a.status)).toEqual([null, null, null, 200]);
    expect(attempts[0]?.error).toBeTruthy();
    expect(new Set((await received(box)).map((r) => r.id)).size).toBe(1);
  });

  it('treats a redirect as a failure and never follows it', async () => {
    await addWebhook(db, box, '302');
    const id = await submit('Redirected.');
    const [delivery] = await deliveriesOf(id);
    const [attempt] = await waitForAttempts(delivery?.id ?? '', 1);
    expect(attempt).toMatchObject({ status: 302 });
    expect(attempt?.error).toMatch(/redirect/i);
    expect((await deliveriesOf(id))[0]).toMatchObject({ state: 'pending' });
    expect(await received(`${box}-redirected`)).toEqual([]);
  });

  it('disables the subscription at once on 410 Gone and emails the department', async () => {
    const subscriptionId = await addWebhook(db, box, '410');
    const id = await submit('Nobody home.');
    const [delivery] = await deliveriesOf(id);
    await waitForAttempts(delivery?.id ?? '', 1);
    const subscription = await eventually(async () => {
      const row = await db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).get();
      return row?.state === 'disabled' ? row : undefined;
    });
    expect(subscription).toMatchObject({ state: 'disabled' });
    expect(subscription?.disabledReason).toMatch(/410/);
    const told = await eventually(() =>
      db.select().from(sentEmails).where(eq(sentEmails.about, subscriptionId)).get(),
    );
    expect(told).toMatchObject({ kind: 'subscription-disabled', to: 'waste@anytown.example.gov.uk' });
    expect(await attemptDelivery(env, delivery?.id ?? '', Date.now())).toBe('skipped');
  });

  it('disables a subscription that has failed for three days, and a success resets the count', async () => {
    const subscriptionId = await addWebhook(db, box, '500');
    const id = await submit('Failing.');
    const [delivery] = await deliveriesOf(id);
    const deliveryId = delivery?.id ?? '';
    const health = () => db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).get();
    const first = (await attemptsOf(deliveryId))[0]?.attemptedAt ?? '';
    expect((await health())?.failingSince).toBe(first);

    const day = 24 * 3600 * 1000;
    await db.update(deliveries).set({ dueAt: new Date(Date.parse(first) + day).toISOString() });
    expect(await attemptDelivery(env, deliveryId, Date.parse(first) + day)).toBe('retrying');
    expect((await health())?.failingSince).toBe(first);

    await db.update(deliveries).set({ dueAt: new Date(Date.parse(first) + 3 * day).toISOString() });
    expect(await attemptDelivery(env, deliveryId, Date.parse(first) + 3 * day)).toBe('disabled');
    expect((await health())?.disabledReason).toMatch(/has failed/);
    expect(await db.select().from(sentEmails).where(eq(sentEmails.about, subscriptionId))).toEqual([
      expect.objectContaining({ kind: 'subscription-disabled', to: 'waste@anytown.example.gov.uk' }),
    ]);
  });

  it('clears the failing mark when a delivery succeeds', async () => {
    const subscriptionId = await addWebhook(db, box, '500,200');
    const id = await submit('Fails, then works.');
    const [delivery] = await deliveriesOf(id);
    const health = () => db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).get();
    expect((await health())?.failingSince).not.toBeNull();
    await runRetry(delivery?.id ?? '');
    expect((await health())?.failingSince).toBeNull();
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const result = await postWebhook(
      {
        target: `${env.RECEIVER_ORIGIN}/hook/${box}/hang`,
        secret: 'whsec_dGVsbHVzLXRlc3Qtc2VjcmV0LW9mLTMyLWJ5dGVzISE=',
        previousSecret: null,
        previousSecretUntil: null,
      },
      'msg_hang',
      '{}',
      env,
      Date.now(),
      300,
    );
    expect(result).toEqual({ ok: false, status: null, error: 'No answer within 0.3 s' });
  });

  it('never sends the same delivery twice at once', async () => {
    await addWebhook(db, box, '200', { state: 'disabled' });
    const id = await submit('Only once, please.');
    await db.update(subscriptions).set({ state: 'active' });
    const deliveryId = newId();
    await db.insert(deliveries).values({
      id: deliveryId,
      feedbackId: id,
      subscriptionId: `sub-${box}`,
      kind: 'each',
      dueAt: new Date().toISOString(),
    });
    const outcomes = await Promise.all([1, 2, 3].map(() => attemptDelivery(env, deliveryId, Date.now())));
    expect(outcomes.filter((o) => o === 'delivered')).toHaveLength(1);
    expect(await received(box)).toHaveLength(1);
  });
});

describe('the cron sweep', () => {
  it('delivers a delivery left pending by a crash between the commit and the first attempt', async () => {
    const subscriptionId = await addWebhook(db, box, '200', { state: 'disabled' });
    const id = await submit('Stored, then the worker died.');
    await db.update(subscriptions).set({ state: 'active' });
    const deliveryId = newId();
    const stored = await db.select().from(feedback).where(eq(feedback.id, id)).get();
    await db.insert(deliveries).values({
      id: deliveryId,
      feedbackId: id,
      subscriptionId,
      kind: 'each',
      dueAt: stored?.createdAt ?? '',
    });
    expect(await received(box)).toEqual([]);

    await onSchedule(
      createScheduledController({ scheduledTime: Date.now() + 60_000, cron: '* * * * *' }),
      env,
    );
    expect((await received(box)).map((r) => [r.verified, r.id])).toEqual([
      [true, webhookMessageId(deliveryId)],
    ]);
    expect(await db.select().from(deliveries).where(eq(deliveries.id, deliveryId)).get()).toMatchObject({
      state: 'delivered',
    });
  });

  it('takes back a delivery whose attempt died holding the lease', async () => {
    const subscriptionId = await addWebhook(db, box, '200', { state: 'disabled' });
    const id = await submit('The attempt crashed mid-flight.');
    await db.update(subscriptions).set({ state: 'active' });
    const now = Date.now();
    await db.insert(deliveries).values({
      id: newId(),
      feedbackId: id,
      subscriptionId,
      kind: 'each',
      dueAt: new Date(now - 120_000).toISOString(),
      leaseUntil: new Date(now - 60_000).toISOString(),
    });
    await onSchedule(minute(now), env);
    expect(await received(box)).toHaveLength(1);
  });

  it('leaves deliveries that are not yet due, and ones in flight, alone', async () => {
    const subscriptionId = await addWebhook(db, box, '200', { state: 'disabled' });
    const id = await submit('Later.');
    await db.update(subscriptions).set({ state: 'active' });
    const now = Date.now();
    await db.insert(deliveries).values([
      {
        id: newId(),
        feedbackId: id,
        subscriptionId,
        kind: 'each',
        dueAt: new Date(now + 600_000).toISOString(),
      },
      {
        id: newId(),
        feedbackId: id,
        subscriptionId,
        kind: 'each',
        dueAt: new Date(now).toISOString(),
        leaseUntil: new Date(now + 30_000).toISOString(),
      },
    ]);
    await onSchedule(createScheduledController({ scheduledTime: now + 1000, cron: '* * * * *' }), env);
    expect(await received(box)).toEqual([]);
  });
});

describe('email subscriptions', () => {
  it('sends an urgent story to a daily subscription at once', async () => {
    const subscriptionId = await addEmail(db, 'duty-manager@anytown.example.gov.uk', { mode: 'daily' });
    const id = await submit('The driver threatened me with a knife when I asked about the bin.');
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ kind: 'each', subscriptionId });
    const email = await eventually(() =>
      db
        .select()
        .from(sentEmails)
        .where(eq(sentEmails.about, delivery?.id ?? ''))
        .get(),
    );
    expect(email).toMatchObject({ kind: 'story', to: 'duty-manager@anytown.example.gov.uk' });
    expect(email?.subject).toMatch(/^URGENT: Report a missed bin collection: rated 2\/5/);
    expect((await deliveriesOf(id))[0]).toMatchObject({ state: 'delivered' });
    expect((await db.select().from(feedback).where(eq(feedback.id, id)).get())?.severity).toBe('urgent');
  });

  it('sends an each-mode email per story', async () => {
    await addEmail(db, 'waste-team@anytown.example.gov.uk');
    const id = await submit('<script>alert(1)</script> bins');
    const [delivery] = await deliveriesOf(id);
    const email = await eventually(() =>
      db
        .select()
        .from(sentEmails)
        .where(eq(sentEmails.about, delivery?.id ?? ''))
        .get(),
    );
    expect(email).toMatchObject({
      kind: 'story',
      subject: 'Report a missed bin collection: rated 2/5 (Poor)',
    });
  });

  it('emails a story with its UK time, its page in the console and the filter that sent it', async () => {
    const raws = emailsSent();
    await addEmail(db, 'bins@anytown.example.gov.uk', {
      services: ['missed-bin-collection', 'bulky-waste'],
      maxRating: 2,
    });
    const id = await submit('Skipped again.');
    const email = await PostalMime.parse((await eventually(async () => raws[0])) ?? '');
    const story = await db.select().from(feedback).where(eq(feedback.id, id)).get();
    expect(email.text).toContain(`Received: ${ukDateTime(story?.createdAt ?? '')}\n`);
    expect(email.text).toContain(`${env.PUBLIC_URL}/console/stories/${id}`);
    expect(email.text).toContain(
      'You get this because your subscription sends stories of Report a missed bin collection and Book a bulky waste collection rated 2 or lower as they arrive.',
    );
  });

  it('holds normal stories for the daily digest, then sends them all in one email', async () => {
    const raws = emailsSent();
    const subscriptionId = await addEmail(db, 'digest@anytown.example.gov.uk', { mode: 'daily' });
    const ids = [
      await submit('One.'),
      await submit('Two.', { rating: 4 }),
      await submit('Three.', { rating: 5 }),
    ];
    const pending = (await Promise.all(ids.map(deliveriesOf))).flat();
    expect(pending.map((d) => [d.kind, d.state])).toEqual([
      ['digest', 'pending'],
      ['digest', 'pending'],
      ['digest', 'pending'],
    ]);
    await onSchedule(minute(Date.now()), env);
    expect(await db.select().from(sentEmails)).toEqual([]);

    const digestTime = nextDigestAt(Date.now());
    await onSchedule(minute(digestTime), env);
    const emails = await db.select().from(sentEmails);
    expect(emails).toEqual([
      expect.objectContaining({
        kind: 'digest',
        about: subscriptionId,
        to: 'digest@anytown.example.gov.uk',
        subject: `Tellus daily digest for ${ukDate(digestTime)}: 3 stories`,
      }),
    ]);
    const after = (await Promise.all(ids.map(deliveriesOf))).flat();
    expect(after.every((d) => d.state === 'delivered')).toBe(true);
    const digest = await PostalMime.parse(raws[0] ?? '');
    for (const id of ids) expect(digest.text).toContain(`${env.PUBLIC_URL}/console/stories/${id}`);
    expect(digest.text).toContain(
      'You get this because your subscription sends stories of all services in a daily digest, and urgent ones as they arrive.',
    );

    await onSchedule(minute(digestTime + 60_000), env);
    await onSchedule(minute(digestTime + 86_400_000), env);
    expect(await db.select().from(sentEmails)).toHaveLength(1);
  });

  it('sends a big backlog from several services in digests of at most 200, each story once', async () => {
    const subscriptionId = await addEmail(db, 'digest@anytown.example.gov.uk', { mode: 'daily' });
    const digestTime = nextDigestAt(Date.now());
    const total = DIGEST_MAX_STORIES + 30;
    for (let i = 0; i < total; i++) {
      const feedbackId = newId();
      await db.insert(feedback).values({
        id: feedbackId,
        serviceId: i % 2 ? 'bulky-waste' : 'missed-bin-collection',
        rating: 3,
        story: `Story ${i}`,
        idempotencyKey: `backlog-${i}-${feedbackId}`,
        fingerprint: 'x',
      });
      await db.insert(deliveries).values({
        id: newId(),
        feedbackId,
        subscriptionId,
        kind: 'digest',
        dueAt: new Date(digestTime).toISOString(),
      });
    }
    await onSchedule(minute(digestTime), env);
    await onSchedule(minute(digestTime + 60_000), env);
    const emails = await db.select().from(sentEmails).orderBy(sentEmails.id);
    expect(emails.map((e) => e.subject)).toEqual([
      expect.stringMatching(/: 200 stories$/),
      expect.stringMatching(/: 30 stories$/),
    ]);
    expect(await db.select().from(deliveries).where(eq(deliveries.state, 'pending'))).toEqual([]);
    expect(await db.select().from(deliveryAttempts)).toHaveLength(total);
  });
});
