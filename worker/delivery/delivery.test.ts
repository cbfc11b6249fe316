// Delivery end to end inside workerd with the real D1, against a real receiver on 127.0.0.1 that
// verifies every webhook with the official standardwebhooks library.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { deliveries, deliveryAttempts, feedback, sentEmails, subscriptions } from '../db/schema';
import { newId } from '../ids';
import worker from '../index';
import { addEmail, addWebhook, eventually, ORIGIN, received, seed } from '../test/seed';
import { attemptDelivery } from './deliver';
import { consumeRetries, DIGEST_CRON, onSchedule } from './handlers';
import { nextDigestAt } from './schedule';
import { webhookMessageId } from './signing';

let db: Db;
let box: string;
beforeEach(async () => {
  db = await seed();
  box = `box-${newId()}`;
});

/** Posts a story as a citizen's browser would, then lets the work after the 201 finish. */
async function submit(story: string, overrides: Record<string, unknown> = {}) {
  const ctx = createExecutionContext();
  const request = new Request('https://tellus.test/v1/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
    body: JSON.stringify({
      service: 'missed-bin-collection',
      rating: 2,
      story,
      idempotency_key: crypto.randomUUID(),
      ...overrides,
    }),
  });
  const res = await worker.fetch(request, env, ctx);
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await waitOnExecutionContext(ctx);
  return id;
}

const deliveriesOf = (feedbackId: string) =>
  db.select().from(deliveries).where(eq(deliveries.feedbackId, feedbackId));
const attemptsOf = (deliveryId: string) =>
  db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.deliveryId, deliveryId))
    .orderBy(deliveryAttempts.id);

/** Runs the queue consumer directly, as Cloudflare Queues would once the retry's delay is over. */
async function runRetry(deliveryId: string) {
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
  );
  expect(acked).toEqual([deliveryId]);
}

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
    const id = await submit('First try fails.');
    const [delivery] = await deliveriesOf(id);
    const [firstAttempt] = await waitForAttempts(delivery?.id ?? '', 1);
    expect(firstAttempt).toMatchObject({ status: 500, error: 'HTTP 500' });
    const pending = (await deliveriesOf(id))[0];
    expect(pending).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500 });
    const delay = Date.parse(pending?.dueAt ?? '') - Date.parse(firstAttempt?.attemptedAt ?? '');
    expect(delay).toBeGreaterThanOrEqual(4500);
    expect(delay).toBeLessThanOrEqual(5500);

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
      return row?.state === 'disabled' && row;
    });
    expect(subscription).toMatchObject({ state: 'disabled' });
    expect(subscription && subscription.disabledReason).toMatch(/410/);
    const told = await eventually(() =>
      db.select().from(sentEmails).where(eq(sentEmails.about, subscriptionId)).get(),
    );
    expect(told).toMatchObject({ kind: 'subscription-disabled', to: 'waste@anytown.example.gov.uk' });
    expect(await attemptDelivery(env, delivery?.id ?? '', Date.now())).toBe('skipped');
  });

  it('disables a subscription that has failed for three days', async () => {
    const subscriptionId = await addWebhook(db, box, '500', {
      failingSince: new Date(Date.now() - 3 * 24 * 3600 * 1000 - 1000).toISOString(),
      state: 'disabled',
    });
    const id = await submit('Still failing.');
    expect(await deliveriesOf(id)).toEqual([]);
    await db.update(subscriptions).set({ state: 'active' }).where(eq(subscriptions.id, subscriptionId));
    const deliveryId = newId();
    await db.insert(deliveries).values({
      id: deliveryId,
      feedbackId: id,
      subscriptionId,
      kind: 'each',
      dueAt: new Date().toISOString(),
    });
    expect(await attemptDelivery(env, deliveryId, Date.now())).toBe('disabled');
    const row = await db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).get();
    expect(row?.disabledReason).toMatch(/has failed/);
    expect(await db.select().from(sentEmails).where(eq(sentEmails.about, subscriptionId))).toHaveLength(1);
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
    expect(email && email.subject).toMatch(/^URGENT: Report a missed bin collection: rated 2\/5/);
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

  it('holds normal stories for the daily digest, then sends them all in one email', async () => {
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
    await onSchedule(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env);
    expect(await db.select().from(sentEmails)).toEqual([]);

    const digestTime = nextDigestAt(Date.now());
    await onSchedule(createScheduledController({ scheduledTime: digestTime, cron: DIGEST_CRON }), env);
    const emails = await db.select().from(sentEmails);
    expect(emails).toEqual([
      expect.objectContaining({
        kind: 'digest',
        about: subscriptionId,
        to: 'digest@anytown.example.gov.uk',
        subject: `Tellus daily digest for ${new Date(digestTime).toISOString().slice(0, 10)}: 3 stories`,
      }),
    ]);
    const after = (await Promise.all(ids.map(deliveriesOf))).flat();
    expect(after.every((d) => d.state === 'delivered')).toBe(true);

    await onSchedule(
      createScheduledController({ scheduledTime: digestTime + 86_400_000, cron: DIGEST_CRON }),
      env,
    );
    expect(await db.select().from(sentEmails)).toHaveLength(1);
  });
});
