/**
 * A department's webhook endpoint for the benchmarks, on 127.0.0.1: verifies every event with the
 * official standardwebhooks library, notes when each story's event arrived, and can play "down".
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { readWebhookRequest } from '../scripts/inbox.ts';

export const RECEIVER_SECRET = `whsec_${Buffer.from('tellus-benchmark-receiver-secret!').toString('base64')}`;

export async function startReceiver() {
  const verifier = new Webhook(RECEIVER_SECRET);
  /** When each story's event first arrived (performance.now()) while the receiver was up. */
  const arrivals = new Map<string, number>();
  /** How many times each webhook-id was taken (answered 2xx): more than once is a duplicate. */
  const taken = new Map<string, number>();
  let refused = 0;
  let unverified = 0;
  let down = false;
  const server = createServer((req, res) => {
    const arrivedAt = performance.now();
    readWebhookRequest(req).then(({ body, headers }) => {
      if (down) {
        refused++;
        res.writeHead(503).end();
        return;
      }
      try {
        const event = verifier.verify(body, headers) as { data: { id: string } };
        if (!arrivals.has(event.data.id)) arrivals.set(event.data.id, arrivedAt);
        taken.set(headers['webhook-id'], (taken.get(headers['webhook-id']) ?? 0) + 1);
        res.writeHead(204).end();
      } catch {
        unverified++;
        res.writeHead(401).end();
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/tellus`,
    arrivals,
    /** Requests answered 503 while down. */
    refused: () => refused,
    unverified: () => unverified,
    /** Webhook-ids taken more than once. */
    duplicates: () => [...taken.values()].filter((count) => count > 1).length,
    setDown(value: boolean) {
      down = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
