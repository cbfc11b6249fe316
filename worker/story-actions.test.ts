// What a department does to a story when someone else moves it at the same moment, in workerd
// with the real D1.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import type { Db } from './db/client';
import { answersTo, statusChangesOf } from './db/department';
import { deliveries, feedback } from './db/schema';
import { answerStory } from './story-actions';
import { addWebhook, insertStory, seed } from './test/seed';

let db: Db;
let id: string;
beforeEach(async () => {
  db = await seed();
  await addWebhook(db, `race-${crypto.randomUUID()}`);
  id = await insertStory(db, { story: 'Collected a day late.' });
});

/** The store as it would be if a member closed the story just before the answer's batch ran. */
function closedJustBeforeWriting(store: Db): Db {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name !== 'batch') return Reflect.get(target, name, receiver);
      return async (statements: Parameters<Db['batch']>[0]) => {
        await target.update(feedback).set({ status: 'closed' }).where(eq(feedback.id, id));
        return target.batch(statements);
      };
    },
  });
}

const actor = { department: 'waste', by: 'API key test' };

it('refuses with 409 an answer made against a status the story has left for closed, and writes none of it', async () => {
  const waited: Promise<unknown>[] = [];
  const result = await answerStory(
    env,
    closedJustBeforeWriting(db),
    actor,
    id,
    { text: 'Sorry', changed: false },
    (p) => waited.push(p),
  );
  expect(result).toEqual({ ok: false, status: 409, detail: expect.stringContaining('meanwhile') });
  expect(waited).toEqual([]);
  expect((await db.select().from(feedback).where(eq(feedback.id, id)).get())?.status).toBe('closed');
  expect(await answersTo(db, id)).toEqual([]);
  expect(await statusChangesOf(db, id)).toEqual([]);
  expect(await db.select().from(deliveries).where(eq(deliveries.feedbackId, id))).toEqual([]);
});

it('stores the answer, its status change and its delivery together when nobody moved the story', async () => {
  const waited: Promise<unknown>[] = [];
  const result = await answerStory(env, db, actor, id, { text: 'Sorry', changed: false }, (p) =>
    waited.push(p),
  );
  await Promise.all(waited);
  expect(result.ok).toBe(true);
  expect((await db.select().from(feedback).where(eq(feedback.id, id)).get())?.status).toBe('answered');
  expect(await answersTo(db, id)).toHaveLength(1);
  expect(await statusChangesOf(db, id)).toEqual([expect.objectContaining({ from: 'new', to: 'answered' })]);
  expect(await db.select().from(deliveries).where(eq(deliveries.feedbackId, id))).toHaveLength(1);
});
