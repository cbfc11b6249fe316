/**
 * Part 5: a receiver that blinks. Stories arrive in a steady stream while the department's receiver
 * answers 503; it comes back while the stream goes on. The clock runs from its return to the
 * arrival of the last story sent while it was down, and every webhook-id is counted: none twice.
 */
import { performance } from 'node:perf_hooks';
import type { Worker } from '../demo/test/harness.ts';
import type { Receiver } from './receiver.ts';
import { formToken, storyRequest } from './stories.ts';

export interface RecoveryPlan {
  /** How long the receiver is down. */
  downSeconds: number;
  /** Stories a second, before and after it comes back. */
  perSecond: number;
  /** How long the stream goes on after it is back. */
  afterSeconds: number;
}

/** Posts one story at the stream's pace; its id, or undefined if it was refused. */
async function postStory(worker: Worker, hostOrigin: string): Promise<string | undefined> {
  const token = await formToken(worker.origin);
  const res = await fetch(`${worker.origin}/v1/feedback`, {
    method: 'POST',
    ...storyRequest(hostOrigin, token),
  });
  return res.status === 201 ? ((await res.json()) as { id: string }).id : undefined;
}

/** Posts a story every 1/perSecond s for `seconds`; the ids of those taken. */
async function stream(worker: Worker, hostOrigin: string, perSecond: number, seconds: number) {
  const posts: Promise<string | undefined>[] = [];
  const started = performance.now();
  for (let i = 0; i < perSecond * seconds; i++) {
    const due = started + (i * 1000) / perSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    posts.push(postStory(worker, hostOrigin));
  }
  return (await Promise.all(posts)).filter((id): id is string => id !== undefined);
}

export async function measureRecovery(
  worker: Worker,
  receiver: Receiver,
  hostOrigin: string,
  { downSeconds, perSecond, afterSeconds }: RecoveryPlan,
) {
  const duplicatesBefore = receiver.duplicates();
  receiver.setDown(true);
  const whileDown = await stream(worker, hostOrigin, perSecond, downSeconds);
  receiver.setDown(false);
  const back = performance.now();
  const afterwards = await stream(worker, hostOrigin, perSecond, afterSeconds);
  const all = [...whileDown, ...afterwards];
  const deadline = Date.now() + 15 * 60_000;
  while (all.some((id) => !receiver.arrivals.has(id))) {
    if (Date.now() > deadline)
      throw new Error('Timed out waiting for the backlog after the receiver came back');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const lastOfBacklog = Math.max(...whileDown.map((id) => receiver.arrivals.get(id) ?? back));
  return {
    downSeconds,
    perSecond,
    backlog: whileDown.length,
    after: afterwards.length,
    /** From the receiver's return to the arrival of the last story sent while it was down. */
    drainedSeconds: Math.max(0, lastOfBacklog - back) / 1000,
    duplicates: receiver.duplicates() - duplicatesBefore,
  };
}
