// Published stories, in workerd with the real D1: nothing is public until a department publishes it
// on a service that allows publishing, and the summary says how the service answers.
import { exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { answers, feedback, services } from '../db/schema';
import { median } from '../db/stories';
import { newId } from '../ids';
import { TEST_OPERATOR_TOKEN } from '../test/constants';
import { seed } from '../test/seed';

let db: Db;
let key: string;
beforeEach(async () => {
  db = await seed();
  const res = await exports.default.fetch('https://tellus.test/v1/admin/departments/waste/keys', {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ scopes: ['read', 'answer'] }),
  });
  key = ((await res.json()) as { key: string }).key;
});

let clock = Date.parse('2026-11-01T09:00:00Z');
async function story(rating: number, text: string) {
  clock += 60_000;
  const id = newId(clock);
  await db.insert(feedback).values({
    id,
    serviceId: 'missed-bin-collection',
    rating,
    story: text,
    idempotencyKey: crypto.randomUUID(),
    fingerprint: 'x',
    createdAt: new Date(clock).toISOString(),
  });
  return id;
}

async function answer(feedbackId: string, hoursLater: number, changed = false) {
  const row = await db.select().from(feedback).where(eq(feedback.id, feedbackId)).get();
  await db.insert(answers).values({
    id: newId(),
    feedbackId,
    text: `Answer to ${feedbackId}`,
    changed,
    change: changed ? 'New route sheets' : null,
    createdAt: new Date(Date.parse(row?.createdAt ?? '') + hoursLater * 3_600_000).toISOString(),
  });
}

const publish = (id: string, published = true) =>
  exports.default.fetch(`https://tellus.test/v1/feedback/${id}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ published }),
  });

const stories = (query = '', headers: Record<string, string> = {}) =>
  exports.default.fetch(`https://tellus.test/v1/services/missed-bin-collection/stories${query}`, { headers });

describe('GET /v1/services/:id/stories', () => {
  it('shows nothing until a department publishes a story, and only on a service that allows it', async () => {
    const id = await story(4, 'Quick and kind.');
    expect((await stories()).status).toBe(404);
    expect((await publish(id)).status).toBe(409);
    await db.update(services).set({ publishing: true }).where(eq(services.id, 'missed-bin-collection'));
    expect(((await (await stories()).json()) as { stories: unknown[] }).stories).toEqual([]);
    expect((await publish(id)).status).toBe(200);
    const body = (await (await stories()).json()) as { stories: { id: string; story: string }[] };
    expect(body.stories).toEqual([expect.objectContaining({ id, story: 'Quick and kind.', answers: [] })]);
    expect(JSON.stringify(body)).not.toMatch(/idempotency|fingerprint|receipt|page/);
    expect((await publish(id, false)).status).toBe(200);
    expect(((await (await stories()).json()) as { stories: unknown[] }).stories).toEqual([]);
  });

  it('gives published stories newest first with their answers, a page at a time, cacheable by ETag', async () => {
    await db.update(services).set({ publishing: true }).where(eq(services.id, 'missed-bin-collection'));
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const id = await story(3, `Story ${i}`);
      await publish(id);
      ids.push(id);
    }
    await story(1, 'Never published');
    await answer(ids[0] as string, 5, true);

    const first = await stories('?limit=2');
    expect(first.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const page = (await first.json()) as { stories: { id: string }[]; next_cursor: string };
    expect(page.stories.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    const second = (await (await stories(`?limit=2&cursor=${page.next_cursor}`)).json()) as {
      stories: { id: string; answers: unknown[] }[];
      next_cursor: null;
    };
    expect(second.stories).toEqual([
      expect.objectContaining({
        id: ids[0],
        answers: [expect.objectContaining({ changed: true, change: 'New route sheets' })],
      }),
    ]);
    expect(second.next_cursor).toBeNull();

    const etag = first.headers.get('ETag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await stories('?limit=2', { 'If-None-Match': etag })).status).toBe(304);
    await answer(ids[2] as string, 1);
    expect((await stories('?limit=2', { 'If-None-Match': etag })).status).toBe(200);
  });

  it('sums up every story of the service: count, average rating, share answered and changed, median time to answer', async () => {
    await db.update(services).set({ publishing: true }).where(eq(services.id, 'missed-bin-collection'));
    const a = await story(1, 'a');
    const b = await story(2, 'b');
    await story(4, 'c');
    await story(5, 'd');
    await answer(a, 2, true);
    await answer(a, 30);
    await answer(b, 10);
    const { summary } = (await (await stories()).json()) as { summary: Record<string, unknown> };
    expect(summary).toEqual({
      stories: 4,
      average_rating: 3,
      share_answered: 0.5,
      share_changed: 1 / 3,
      median_hours_to_answer: 6,
    });
  });

  it('answers 404 for an unknown service, and 422 for filters it does not take', async () => {
    expect((await exports.default.fetch('https://tellus.test/v1/services/nope/stories')).status).toBe(404);
    await db.update(services).set({ publishing: true }).where(eq(services.id, 'missed-bin-collection'));
    expect((await stories('?status=new')).status).toBe(422);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
