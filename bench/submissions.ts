/**
 * Part 3: stories posted as fast as the worker takes them, against a bare `GET /healthz` and a bare
 * D1 insert (`POST /bench/insert`) on the same `wrangler dev`: first to a department with no
 * subscription (the request alone), then with its webhook (each story's delivery shares the
 * machine). Then a count that every 201 became exactly one row, and what a story takes on disk.
 */
import autocannon from 'autocannon';
import { OPERATOR_TOKEN, type Worker } from '../demo/test/harness.ts';
import type { Receiver } from './receiver.ts';
import { bytesAdded, storedBytes } from './storage.ts';
import { formTokens, SUBSCRIPTION, storyRequest } from './stories.ts';

export interface LoadFigures {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  errors: number;
}

async function load(options: autocannon.Options, onResponse?: (status: number, body: string) => void) {
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    ...options,
    requests: (options.requests ?? [{}]).map((request) => ({
      ...request,
      onResponse: (status: number, body: string) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        onResponse?.(status, body);
      },
    })),
  });
  const requests = result['2xx'] + result.non2xx;
  return {
    requests,
    seconds: result.duration,
    perSecond: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statuses,
    errors: result.errors,
  } satisfies LoadFigures;
}

async function setSubscription(worker: Worker, state: 'enable' | 'disable') {
  const res = await fetch(`${worker.origin}/v1/admin/subscriptions/${SUBSCRIPTION}/${state}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
  });
  if (!res.ok) throw new Error(`Could not ${state} the subscription: ${res.status}`);
}

async function waitForArrivals(receiver: Receiver, ids: string[], timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (ids.some((id) => !receiver.arrivals.has(id))) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the load run’s webhooks');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function measureSubmissions(
  worker: Worker,
  receiver: Receiver,
  hostOrigin: string,
  { amount, connections }: { amount: number; connections: number },
) {
  const healthzUrl = `${worker.origin}/healthz`;
  // Warm both routes up, so neither run pays for the first compile.
  const insertUrl = `${worker.origin}/bench/insert`;
  await load({ url: healthzUrl, connections, amount: 200 });
  const healthz = await load({ url: healthzUrl, connections, amount });
  await load({ url: insertUrl, method: 'POST', connections, amount: 200 });
  const bareInsert = await load({ url: insertUrl, method: 'POST', connections, amount });
  if (bareInsert.statuses['204'] !== bareInsert.requests) {
    throw new Error(
      `The bare insert route answered ${JSON.stringify(bareInsert.statuses)}: is BENCH_ROUTES on?`,
    );
  }

  const created: string[] = [];
  const stories = async (record: boolean) => {
    // A token makes one story: each post brings its own, fetched before the clock starts.
    const tokens = await formTokens(worker.origin, amount + connections);
    return load(
      {
        url: `${worker.origin}/v1/feedback`,
        connections,
        amount,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => ({ ...request, ...storyRequest(hostOrigin, tokens.pop() ?? '') }),
          },
        ],
      },
      (status, body) => {
        if (record && status === 201) created.push((JSON.parse(body) as { id: string }).id);
      },
    );
  };

  await setSubscription(worker, 'disable');
  const alone = await stories(false);
  await setSubscription(worker, 'enable');

  const [before] = await worker.query<{ n: number }>('SELECT count(*) AS n FROM feedback');
  const bytesBefore = storedBytes(worker.dataDir);
  const delivered = await stories(true);
  await waitForArrivals(receiver, created);
  const [after] = await worker.query<{ n: number }>('SELECT count(*) AS n FROM feedback');
  const bytesAfter = storedBytes(worker.dataDir);

  const stored = new Set(
    (await worker.query<{ id: string }>('SELECT id FROM feedback')).map((row) => row.id),
  );
  const rowsAdded = (after?.n ?? 0) - (before?.n ?? 0);
  const missing = created.filter((id) => !stored.has(id)).length;
  return {
    connections,
    healthz,
    bareInsert,
    alone,
    stories: delivered,
    ratio: delivered.perSecond / healthz.perSecond,
    aloneRatio: alone.perSecond / healthz.perSecond,
    aloneVsInsert: alone.perSecond / bareInsert.perSecond,
    insertRatio: bareInsert.perSecond / healthz.perSecond,
    p99AddedMs: delivered.p99Ms - healthz.p99Ms,
    rows: {
      created: created.length,
      added: rowsAdded,
      missing,
      exactlyOneEach:
        missing === 0 && new Set(created).size === created.length && rowsAdded === created.length,
    },
    /** On disk per story with its delivery and one attempt, tables and indexes. */
    bytesPerStory: bytesAdded(bytesBefore, bytesAfter) / Math.max(rowsAdded, 1),
  };
}
