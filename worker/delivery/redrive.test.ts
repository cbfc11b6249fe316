// Re-drive on recovery, in workerd with the real D1: when a receiver answers again, the deliveries
// that wait for a later retry go now, through the queue, each once; a receiver that fails again
// stops it, and the rest keep their retry schedule.
import { env } from 'cloudflare:workers';
import { eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client';
import { claimDelivery, recordSuccess } from '../db/deliveries';
import { deliveries, subscriptions } from '../db/schema';
import { newId } from '../ids';
import { addWebhook, insertStory, received, seed } from '../test/seed';
import { attemptDelivery, REDRIVE_SLICE, type RetryMessage } from './deliver';
import { consumeRetries } from './handlers';
import { LEASE_MS } from './schedule';

let db: Db;
let box: string;
/** Queue messages sent and not yet consumed, in the order they were sent. */
let queued: RetryMessage[];
/** Each call's message bodies, to see what one re-drive sent. */
let sends: RetryMessage[][];
beforeEach(async () => {
  db = await seed();
  box = `redrive-${newId()}`;
  queued = [];
  sends = [];
  vi.spyOn(env.DELIVERIES, 'sendBatch').mockImplementation(async (messages) => {
    const bodies = [...messages].map((m) => m.body as RetryMessage);
    sends.push(bodies);
    queued.push(...bodies);
    return { metadata: {} } as QueueSendBatchResponse;
  });
});

const LATER = () => new Date(Date.now() + 5 * 60_000).toISOString();

/** `count` stories whose delivery to `subscription` failed once (`lastStatus`) and waits for its retry, oldest first. */
async function backlog(subscription: string, count: number, lastStatus: number | null = 503) {
  const rows = [];
  for (let i = 0; i < count; i++) {
    const feedbackId = await insertStory(db, { story: `Backlog story ${i}` });
    rows.push({
      id: newId(),
      feedbackId,
      subscriptionId: subscription,
      kind: 'each' as const,
      attempts: 1,
      lastStatus,
      dueAt: LATER(),
    });
  }
  // D1 binds at most 100 parameters a statement.
  for (const row of rows) await db.insert(deliveries).values(row);
  return rows;
}

/** A new story's delivery, due now, attempted as right after its 201. */
async function freshDelivery(subscription: string) {
  const feedbackId = await insertStory(db, { story: 'A new story.' });
  const id = newId();
  await db
    .insert(deliveries)
    .values({ id, feedbackId, subscriptionId: subscription, kind: 'each', dueAt: new Date().toISOString() });
  return id;
}

/** Consumes the queue as Cloudflare Queues would, until nothing is left on it. */
async function drain() {
  while (queued.length) {
    const batch = queued.splice(0, 10).map((body) => ({ body, ack() {}, retry() {} }));
    await consumeRetries({ queue: 'tellus-deliveries', messages: batch } as never, env);
  }
}

/** The rows of these deliveries as they stand now. */
const rowsOf = (some: { id: string }[]) =>
  db
    .select()
    .from(deliveries)
    .where(
      inArray(
        deliveries.id,
        some.map((delivery) => delivery.id),
      ),
    );

describe('re-drive on recovery', () => {
  it('sends a receiver’s whole backlog as soon as it answers again, oldest first, each delivery once', async () => {
    const subscription = await addWebhook(db, box, '200');
    const waiting = await backlog(subscription, 23);
    expect(await attemptDelivery(env, await freshDelivery(subscription), Date.now())).toBe('delivered');
    expect(sends[0]?.map((m) => m.deliveryId)).toEqual(waiting.slice(0, REDRIVE_SLICE).map((w) => w.id));
    await drain();
    const rows = await db.select().from(deliveries).where(eq(deliveries.subscriptionId, subscription));
    expect(rows.filter((row) => row.state !== 'delivered')).toEqual([]);
    const ids = (await received(box)).map((hook) => hook.id);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
  });

  it('stops when the receiver fails again: the re-driven wait for their next retry, the rest keep theirs', async () => {
    const subscription = await addWebhook(db, box, '200,503');
    const waiting = await backlog(subscription, 12);
    await attemptDelivery(env, await freshDelivery(subscription), Date.now());
    await drain();
    const tried = waiting.slice(0, REDRIVE_SLICE).map((w) => w.id);
    const rows = await rowsOf(waiting);
    for (const row of rows) {
      const before = waiting.find((w) => w.id === row.id);
      expect(row.state).toBe('pending');
      if (tried.includes(row.id)) {
        expect(row.attempts).toBe(2);
        expect(Date.parse(row.dueAt)).toBeGreaterThan(Date.now() + 60_000);
      } else {
        expect(row).toMatchObject({ attempts: 1, dueAt: before?.dueAt });
      }
    }
    // The success, then the re-driven slice's failures, and nothing more.
    expect(await received(box)).toHaveLength(1 + REDRIVE_SLICE);
  });

  it('gives two re-drives that race different deliveries, and sends none twice', async () => {
    const subscription = await addWebhook(db, box, '200');
    await backlog(subscription, 12);
    const [a, b] = [await freshDelivery(subscription), await freshDelivery(subscription)];
    await Promise.all([attemptDelivery(env, a, Date.now()), attemptDelivery(env, b, Date.now())]);
    const [first = [], second = []] = sends.map((bodies) => bodies.map((m) => m.deliveryId));
    expect(first).toHaveLength(REDRIVE_SLICE);
    expect(second).toHaveLength(REDRIVE_SLICE);
    expect(first.filter((id) => second.includes(id))).toEqual([]);
    // The same delivery put on the queue twice still goes once: the lease holds.
    queued.push(...queued.slice(0, 3));
    await drain();
    const ids = (await received(box)).map((hook) => hook.id);
    expect(ids).toHaveLength(14);
    expect(new Set(ids).size).toBe(14);
  });

  it('re-drives a delivery once: one that failed again keeps its schedule when the receiver answers again', async () => {
    const subscription = await addWebhook(db, box, `200,${Array(REDRIVE_SLICE).fill('503').join(',')},200`);
    const waiting = await backlog(subscription, REDRIVE_SLICE);
    await attemptDelivery(env, await freshDelivery(subscription), Date.now());
    await drain();
    expect(await attemptDelivery(env, await freshDelivery(subscription), Date.now())).toBe('delivered');
    expect(sends).toHaveLength(1);
    const rows = await rowsOf(waiting);
    expect(rows.map((row) => [row.state, row.attempts])).toEqual(waiting.map(() => ['pending', 2]));
  });

  it('never re-drives a delivery the receiver refused for itself (a 4xx), nor one of a paused subscription', async () => {
    const subscription = await addWebhook(db, box, '200');
    const refused = await backlog(subscription, 2, 400);
    await attemptDelivery(env, await freshDelivery(subscription), Date.now());
    expect(sends).toEqual([]);
    const unchanged = await rowsOf(refused);
    expect(unchanged.map((row) => row.dueAt)).toEqual(refused.map((r) => r.dueAt));

    const paused = await addWebhook(db, `${box}-paused`, '200');
    await backlog(paused, 3);
    const inFlight = await freshDelivery(paused);
    const lease = await claimDelivery(db, inFlight, Date.now(), LEASE_MS);
    await db
      .update(subscriptions)
      .set({ state: 'disabled', disabledBy: 'department' })
      .where(eq(subscriptions.id, paused));
    const attempt = {
      deliveryId: inFlight,
      attemptedAt: Date.now(),
      status: 200,
      error: null,
      durationMs: 1,
    };
    expect(await recordSuccess(db, attempt, lease?.leaseUntil ?? '', paused, REDRIVE_SLICE)).toEqual([]);
  });
});
