// The demo's cron: wrangler dev fires no cron trigger by itself, so `npm start` asks it to run the
// scheduled handler once a minute. Here that request makes the sweep send a delivery left due.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduled, startCron } from '../scripts/cron.ts';
import { type InboxStory, startInbox } from '../scripts/inbox.ts';
import { startWorker, type Worker, waitFor } from './test/harness';

const INBOX_SECRET = `whsec_${Buffer.from('cron-tests-secret-of-32-bytes!!!').toString('base64')}`;
let worker: Worker;
let inbox: Awaited<ReturnType<typeof startInbox>>;
const events: InboxStory[] = [];

beforeAll(async () => {
  inbox = await startInbox({ port: 0, secret: INBOX_SECRET, onStory: (event) => events.push(event) });
  worker = await startWorker([], { webhook: { url: inbox.url, secret: INBOX_SECRET } });
});
afterAll(async () => {
  await worker?.stop();
  await inbox?.close();
});

/** A story stored with its delivery due now but never attempted, as after a crash before the first try. */
async function storyLeftDue(story: string) {
  const id = randomUUID();
  await worker.query(
    `INSERT INTO feedback (id, service_id, rating, story, idempotency_key, fingerprint) VALUES ('${id}', 'missed-bin-collection', 2, '${story}', '${randomUUID()}', 'x');
     INSERT INTO deliveries (id, feedback_id, subscription_id, kind, due_at) VALUES ('${randomUUID()}', '${id}', 'demo-inbox', 'each', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));`,
  );
  return id;
}

describe('the demo cron', () => {
  it('runs the scheduled handler, whose sweep sends a delivery that was left due', async () => {
    const id = await storyLeftDue('Left due by a crash');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events.find((event) => event.data.id === id)).toBeUndefined();
    expect(await runScheduled(worker.origin)).toBe(true);
    const sent = await waitFor(() => events.find((event) => event.data.id === id));
    expect(sent).toMatchObject({ type: 'feedback.created', data: { story: 'Left due by a crash' } });
  });

  it('runs it on a timer, as npm start does every minute, and says so each time', async () => {
    const id = await storyLeftDue('Swept on the timer');
    const lines: string[] = [];
    const cron = startCron({ origin: worker.origin, everyMs: 300, print: (line) => lines.push(line) });
    try {
      await waitFor(() => events.find((event) => event.data.id === id));
      await waitFor(() => lines.length >= 1);
    } finally {
      cron.stop();
    }
    expect(lines[0]).toMatch(/^\[cron\] \d\d:\d\d UTC: the minute's work ran/);
  });

  it('says when the worker could not run it', async () => {
    expect(await runScheduled('http://127.0.0.1:9')).toBe(false);
  });
});
