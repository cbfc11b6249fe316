/**
 * Part 4: how soon a story reaches its department. The time from each 201 to its signed webhook
 * arriving; then a backlog built while the receiver was down, drained once it is back.
 */
import { performance } from 'node:perf_hooks';
import { OPERATOR_TOKEN, type Worker } from '../demo/test/harness.ts';
import type { Receiver } from './receiver.ts';
import { percentile } from './stats.ts';
import { formToken, SUBSCRIPTION, storyRequest } from './stories.ts';

/** Posts one new story with a form token of its own (a token makes one story). */
async function post(worker: Worker, hostOrigin: string) {
  const token = await formToken(worker.origin);
  const res = await fetch(`${worker.origin}/v1/feedback`, {
    method: 'POST',
    ...storyRequest(hostOrigin, token),
  });
  const answeredAt = performance.now();
  if (res.status !== 201) throw new Error(`Expected 201, got ${res.status}: ${await res.text()}`);
  return { id: ((await res.json()) as { id: string }).id, answeredAt };
}

/** Resolves once `done()` holds, checking every 50 ms; rejects after `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Stories one at a time, as citizens send them: 201 → webhook latency of each. */
export async function measureLatency(worker: Worker, receiver: Receiver, hostOrigin: string, count: number) {
  const sent: { id: string; answeredAt: number }[] = [];
  for (let i = 0; i < count; i++) sent.push(await post(worker, hostOrigin));
  await until(() => sent.every(({ id }) => receiver.arrivals.has(id)), 60_000, 'every webhook');
  const latencies = sent.map(({ id, answeredAt }) => (receiver.arrivals.get(id) ?? 0) - answeredAt);
  return {
    stories: count,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
  };
}

/** Runs `tasks` with at most `limit` in flight. */
async function inParallel<T>(count: number, limit: number, task: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let started = 0;
  const lane = async () => {
    while (started < count) {
      started++;
      results.push(await task());
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results;
}

/**
 * A backlog: `count` stories posted while the receiver answers 503, each tried and retried (the
 * queue's 5-second retry) and now waiting minutes for its next attempt. The receiver comes back,
 * the department replays the subscription, and the clock runs until the last story has arrived.
 */
export async function measureBacklog(worker: Worker, receiver: Receiver, hostOrigin: string, count: number) {
  receiver.setDown(true);
  const refusedBefore = receiver.refused();
  const built = performance.now();
  const sent = await inParallel(count, 8, () => post(worker, hostOrigin));
  await until(() => receiver.refused() - refusedBefore >= 2 * count, 180_000, 'two failed attempts each');
  const buildSeconds = (performance.now() - built) / 1000;

  receiver.setDown(false);
  const back = performance.now();
  const replay = await fetch(`${worker.origin}/v1/admin/subscriptions/${SUBSCRIPTION}/replay`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
  });
  const { due } = (await replay.json()) as { due: number };
  await until(() => sent.every(({ id }) => receiver.arrivals.has(id)), 300_000, 'the backlog to drain');
  const drainSeconds = (performance.now() - back) / 1000;
  return { stories: count, due, buildSeconds, drainSeconds, perSecond: count / drainSeconds };
}
