/**
 * Part 3: stories posted as fast as the worker takes them, against a bare `GET /healthz` on the same
 * `wrangler dev`, and then a count that every 201 became exactly one row.
 */
import autocannon from 'autocannon';
import type { Worker } from '../demo/test/harness.ts';
import { formToken, storyRequest } from './stories.ts';

export interface LoadFigures {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

function figures(result: autocannon.Result): LoadFigures {
  const requests = result['2xx'] + result.non2xx;
  return {
    requests,
    seconds: result.duration,
    perSecond: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function measureSubmissions(
  worker: Worker,
  hostOrigin: string,
  { amount, connections }: { amount: number; connections: number },
) {
  // Warm both routes up, so neither run pays for the first compile.
  await autocannon({ url: `${worker.origin}/healthz`, connections, amount: 200 });
  const healthz = figures(await autocannon({ url: `${worker.origin}/healthz`, connections, amount }));

  const token = await formToken(worker.origin);
  const [before] = await worker.query<{ n: number }>('SELECT count(*) AS n FROM feedback');
  const created: string[] = [];
  const statuses: Record<string, number> = {};
  const stories = figures(
    await autocannon({
      url: `${worker.origin}/v1/feedback`,
      connections,
      amount,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => ({ ...request, ...storyRequest(hostOrigin, token) }),
          onResponse: (status, body) => {
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === 201) created.push((JSON.parse(body) as { id: string }).id);
          },
        },
      ],
    }),
  );
  const [after] = await worker.query<{ n: number }>('SELECT count(*) AS n FROM feedback');
  const stored = new Set(
    (await worker.query<{ id: string }>('SELECT id FROM feedback')).map((row) => row.id),
  );
  const rowsAdded = (after?.n ?? 0) - (before?.n ?? 0);
  const missing = created.filter((id) => !stored.has(id)).length;
  const distinct = new Set(created).size;
  return {
    connections,
    healthz,
    stories,
    statuses,
    ratio: stories.perSecond / healthz.perSecond,
    p99AddedMs: stories.p99Ms - healthz.p99Ms,
    rows: {
      created: created.length,
      added: rowsAdded,
      missing,
      exactlyOneEach: missing === 0 && distinct === created.length && rowsAdded === created.length,
    },
    createdIds: created,
  };
}
