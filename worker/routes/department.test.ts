// The department API in workerd with the real D1: keys an operator creates, a department's own
// stories only, filters, pagination that holds while stories arrive, and the status machine.
import { exports } from 'cloudflare:workers';
import { parse } from 'csv-parse/browser/esm/sync';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { apiKeys, deliveries, departments, feedback, services } from '../db/schema';
import { newId } from '../ids';
import { TEST_OPERATOR_TOKEN } from '../test/constants';
import { addWebhook, eventually, formToken, received, seed, submitStory } from '../test/seed';

let db: Db;
beforeEach(async () => {
  db = await seed();
  await db
    .insert(departments)
    .values({ id: 'parks', name: 'Parks', contactEmail: 'parks@anytown.example.gov.uk' });
  await db.insert(services).values({ id: 'park-bookings', departmentId: 'parks', name: 'Book a pitch' });
});

async function request(method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await exports.default.fetch(`https://tellus.test${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** A department key, made through the operator API as an operator would. */
async function keyFor(department: string, scopes = ['read', 'answer']) {
  const res = await request('POST', `/v1/admin/departments/${department}/keys`, TEST_OPERATOR_TOKEN, {
    scopes,
    label: 'case system',
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string };
}

let clock = Date.now() - 3_600_000;
/** Stores a story directly, a millisecond after the one before, so ids keep their order. */
async function story(overrides: Partial<typeof feedback.$inferInsert> = {}) {
  clock += 1;
  const row = {
    id: newId(clock),
    serviceId: 'missed-bin-collection',
    rating: 3,
    story: 'Collected a day late.',
    idempotencyKey: crypto.randomUUID(),
    fingerprint: 'x',
    createdAt: new Date(clock).toISOString(),
    ...overrides,
  };
  await db.insert(feedback).values(row);
  return row.id;
}

const ids = (body: Record<string, unknown>) => (body.stories as { id: string }[]).map((s) => s.id);

describe('department keys', () => {
  it('are shown once, stored only as a hash, listed without the key, and dead once revoked', async () => {
    const { id, key } = await keyFor('waste', ['read']);
    expect(key).toMatch(/^tk_[\w-]{44}$/);
    const stored = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
    expect(JSON.stringify(stored)).not.toContain(key);

    const listed = await request('GET', '/v1/admin/keys?department=waste', TEST_OPERATOR_TOKEN);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.keys).toEqual([expect.objectContaining({ id, scopes: ['read'], lastUsedAt: null })]);

    expect((await request('GET', '/v1/feedback', key)).status).toBe(200);
    expect((await db.select().from(apiKeys).where(eq(apiKeys.id, id)).get())?.lastUsedAt).not.toBeNull();

    expect((await request('POST', `/v1/admin/keys/${id}/revoke`, TEST_OPERATOR_TOKEN)).status).toBe(200);
    expect((await request('GET', '/v1/feedback', key)).status).toBe(401);
  });

  it('answers 401 with a challenge without a key or with a wrong one, and 403 past its scope', async () => {
    for (const token of [undefined, 'tk_not-a-key']) {
      const res = await request('GET', '/v1/feedback', token);
      expect(res).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    }
    const { key } = await keyFor('waste', ['read']);
    const id = await story();
    expect(await request('PATCH', `/v1/feedback/${id}`, key, { status: 'acknowledged' })).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    });
  });
});

describe("a department's own stories", () => {
  it("are all a key sees: another department's story is not found, to read or to change", async () => {
    const waste = await keyFor('waste');
    const parks = await keyFor('parks');
    const bins = await story();
    const pitch = await story({ serviceId: 'park-bookings' });

    expect(ids((await request('GET', '/v1/feedback', waste.key)).body)).toEqual([bins]);
    expect(ids((await request('GET', '/v1/feedback', parks.key)).body)).toEqual([pitch]);
    expect((await request('GET', `/v1/feedback/${bins}`, waste.key)).body).toMatchObject({
      id: bins,
      status: 'new',
    });
    expect((await request('GET', `/v1/feedback/${bins}`, parks.key)).status).toBe(404);
    expect((await request('PATCH', `/v1/feedback/${bins}`, parks.key, { status: 'closed' })).status).toBe(
      404,
    );
    expect((await db.select().from(feedback).where(eq(feedback.id, bins)).get())?.status).toBe('new');
  });

  it('filter by service, status, severity, rating, time and words', async () => {
    const { key } = await keyFor('waste');
    const a = await story({ rating: 1, story: 'Bins left out 100% of weeks', severity: 'urgent' });
    const b = await story({ rating: 4, serviceId: 'bulky-waste', story: 'Sofa taken away' });
    const c = await story({ rating: 5, status: 'closed', story: 'Lovely crew' });
    const since = new Date(clock).toISOString();
    const d = await story({ rating: 2, story: 'The lorry blocked the lane' });
    const list = async (query: string) => ids((await request('GET', `/v1/feedback?${query}`, key)).body);

    expect(await list('service=bulky-waste')).toEqual([b]);
    expect(await list('status=closed')).toEqual([c]);
    expect(await list('severity=urgent')).toEqual([a]);
    expect(await list('rating_min=4')).toEqual([c, b]);
    expect(await list('rating_max=2')).toEqual([d, a]);
    expect(await list(`since=${since}`)).toEqual([d, c]);
    expect(await list(`until=${since}`)).toEqual([b, a]);
    expect(await list('q=LORRY')).toEqual([d]);
    expect(await list('q=100%25')).toEqual([a]);
    // Signs only separate words: a search with no word in it finds nothing.
    expect(await list('q=%25')).toEqual([]);
    expect(await list('rating_max=4&service=missed-bin-collection')).toEqual([d, a]);
  });

  it('refuses bad filters with 422 naming each one', async () => {
    const { key } = await keyFor('waste');
    const offset = await request('GET', '/v1/feedback?since=2026-11-26T09:00:00%2B01', key);
    expect(offset).toMatchObject({ status: 422, body: { errors: [{ pointer: '/since' }] } });
    const res = await request('GET', '/v1/feedback?rating_min=9&since=yesterday&colour=red', key);
    expect(res).toMatchObject({ status: 422, body: { code: 'validation-failed' } });
    expect([...new Set((res.body.errors as { field: string }[]).map((e) => e.field))].sort()).toEqual([
      'colour',
      'rating_min',
      'since',
    ]);
  });

  it('come in pages, newest first, with no story skipped or repeated while new ones arrive', async () => {
    const { key } = await keyFor('waste');
    const first = [];
    for (let i = 0; i < 7; i++) first.push(await story());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await request('GET', `/v1/feedback?limit=3${cursor ? `&cursor=${cursor}` : ''}`, key);
      seen.push(...ids(page.body));
      cursor = page.body.next_cursor as string | null;
      // Stories keep arriving between pages.
      await story();
      await story();
    } while (cursor);
    expect(seen).toEqual([...first].reverse());
  });

  it('take a cursor in upper case as the same cursor, and refuse one that is not an id with 422', async () => {
    const { key } = await keyFor('waste');
    for (let i = 0; i < 5; i++) await story();
    const first = await request('GET', '/v1/feedback?limit=2', key);
    const cursor = first.body.next_cursor as string;
    const lower = await request('GET', `/v1/feedback?limit=2&cursor=${cursor}`, key);
    const upper = await request('GET', `/v1/feedback?limit=2&cursor=${cursor.toUpperCase()}`, key);
    expect(ids(upper.body)).toHaveLength(2);
    expect(upper.body).toEqual(lower.body);
    const bad = await request('GET', '/v1/feedback?cursor=not-a-cursor', key);
    expect(bad).toMatchObject({ status: 422, body: { errors: [{ pointer: '/cursor' }] } });
    expect(bad.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it("carry the instant they were stored twice over: the id's time is created_at", async () => {
    const { key } = await keyFor('waste');
    for (let i = 0; i < 3; i++) {
      const id = await submitStory('The crew left the gate open.');
      const { created_at } = (await request('GET', `/v1/feedback/${id}`, key)).body;
      const idTime = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
      expect(new Date(idTime).toISOString()).toBe(created_at);
    }
  });
});

describe('the status machine', () => {
  it('moves a story forward one step at a time, closes it from any open status, and refuses the rest with 409', async () => {
    const { key } = await keyFor('waste');
    const id = await story();
    const move = (status: string) => request('PATCH', `/v1/feedback/${id}`, key, { status });

    expect((await move('answered')).status).toBe(409);
    expect((await move('acknowledged')).body).toMatchObject({ status: 'acknowledged' });
    // Answered comes with an answer only.
    expect((await move('answered')).status).toBe(409);
    expect((await request('PATCH', `/v1/feedback/${id}`, key, {})).body).toMatchObject({
      status: 'acknowledged',
    });
    const back = await move('new');
    expect(back).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect(back.headers.get('Content-Type')).toBe('application/problem+json');
    expect((await move('closed')).body).toMatchObject({ status: 'closed' });
    expect((await move('acknowledged')).status).toBe(409);
    expect((await db.select().from(feedback).where(eq(feedback.id, id)).get())?.status).toBe('closed');
  });

  it('replaces tags, lower-cased, and refuses tags that are not short words', async () => {
    const { key } = await keyFor('waste');
    const id = await story();
    const tagged = await request('PATCH', `/v1/feedback/${id}`, key, { tags: ['Missed', 'green bin'] });
    expect(tagged.body).toMatchObject({ tags: ['missed', 'green bin'] });
    expect((await request('GET', `/v1/feedback/${id}`, key)).body).toMatchObject({
      tags: ['missed', 'green bin'],
    });
    const bad = await request('PATCH', `/v1/feedback/${id}`, key, { tags: ['<b>loud</b>'] });
    expect(bad).toMatchObject({ status: 422, body: { errors: [{ pointer: '/tags/0' }] } });
  });
});

describe('GET /v1/feedback.csv', () => {
  it('exports the filtered stories as CSV that parses back, formulas neutralised, across many pages', async () => {
    const { key } = await keyFor('waste', ['read']);
    const hostile = await story({
      story: '=HYPERLINK("http://evil.example","click"), "quoted"\nand a second line',
      rating: 1,
    });
    for (let i = 0; i < 510; i++) await story({ rating: 5, story: `Fine ${i}` });
    await story({ serviceId: 'park-bookings', rating: 1, story: 'Not ours' });

    const low = await exports.default.fetch('https://tellus.test/v1/feedback.csv?rating_max=2', {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(low.status).toBe(200);
    expect(low.headers.get('Content-Type')).toContain('text/csv');
    const text = await low.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    // A complete export ends with a record that says so, as wide as the others.
    expect(records.pop()).toEqual(expect.objectContaining({ id: 'end of export: 1 story', story: '' }));
    expect(records).toEqual([
      expect.objectContaining({
        id: hostile,
        rating: '1',
        story: `'=HYPERLINK("http://evil.example","click"), "quoted"\nand a second line`,
      }),
    ]);

    const all = await exports.default.fetch('https://tellus.test/v1/feedback.csv', {
      headers: { Authorization: `Bearer ${key}` },
    });
    const everything = parse(await all.text(), { columns: true }) as Record<string, string>[];
    expect(everything.pop()?.id).toBe('end of export: 511 stories');
    expect(everything).toHaveLength(511);
    expect(new Set(everything.map((r) => r.id)).size).toBe(511);
    expect(everything.some((r) => r.story === 'Not ours')).toBe(false);
  }, 30_000);

  it('needs a department key', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/feedback.csv');
    expect(res.status).toBe(401);
  });
});

describe('answers', () => {
  it('are stored, mark the story answered, reach the webhooks signed as feedback.answered, and show on the receipt', async () => {
    const box = `answers-${crypto.randomUUID()}`;
    await addWebhook(db, box);
    const { key } = await keyFor('waste');
    const created = await exports.default.fetch('https://tellus.test/v1/feedback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://www.anytown.example.gov.uk' },
      body: JSON.stringify({
        service: 'missed-bin-collection',
        rating: 1,
        story: 'Missed three weeks running.',
        idempotency_key: crypto.randomUUID(),
        token: await formToken(),
      }),
    });
    const { id, receipt } = (await created.json()) as { id: string; receipt: string };
    await eventually(async () => (await received(box)).length === 1);

    const answer = await request('POST', `/v1/feedback/${id}/answers`, key, {
      text: 'Sorry. The crew had the wrong route sheet.',
      changed: true,
      change: 'Route sheets now come from the system, not paper.',
    });
    expect(answer).toMatchObject({ status: 201, body: { feedback_id: id, changed: true } });
    expect((await request('GET', `/v1/feedback/${id}`, key)).body).toMatchObject({ status: 'answered' });

    const events = await eventually(async () => {
      const all = await received(box);
      return all.length === 2 ? all : undefined;
    });
    const answered = events?.[1];
    expect(answered?.verified).toBe(true);
    expect(answered?.body).toMatchObject({
      type: 'feedback.answered',
      data: {
        id,
        answer: { text: 'Sorry. The crew had the wrong route sheet.', changed: true },
      },
    });
    expect(answered?.id).not.toBe(events?.[0]?.id);

    const shown = await exports.default.fetch(`https://tellus.test/v1/receipts/${receipt}`);
    expect(await shown.json()).toMatchObject({
      status: 'answered',
      answers: [
        {
          text: 'Sorry. The crew had the wrong route sheet.',
          change: 'Route sheets now come from the system, not paper.',
        },
      ],
    });
    const page = await exports.default.fetch(`https://tellus.test/v1/receipts/${receipt}`, {
      headers: { Accept: 'text/html' },
    });
    expect(await page.text()).toContain('Route sheets now come from the system, not paper.');
  });

  it('reach only the webhooks whose filters want the story, as its first delivery did', async () => {
    const lowRatingsOnly = await addWebhook(db, `filtered-${crypto.randomUUID()}`, '200', { maxRating: 2 });
    const everything = await addWebhook(db, `all-${crypto.randomUUID()}`, '200', { id: 'sub-all' });
    const { key } = await keyFor('waste');
    const id = await story({ rating: 5 });
    expect((await request('POST', `/v1/feedback/${id}/answers`, key, { text: 'Thank you!' })).status).toBe(
      201,
    );
    const outbox = await db.select().from(deliveries).where(eq(deliveries.feedbackId, id));
    expect(outbox.map((row) => row.subscriptionId)).toEqual([everything]);
    expect(outbox.some((row) => row.subscriptionId === lowRatingsOnly)).toBe(false);
  });

  it('need a change described when something changed, a key that may answer, and an open story', async () => {
    const reader = await keyFor('waste', ['read']);
    const { key } = await keyFor('waste');
    const id = await story();
    expect((await request('POST', `/v1/feedback/${id}/answers`, reader.key, { text: 'Thanks' })).status).toBe(
      403,
    );
    const vague = await request('POST', `/v1/feedback/${id}/answers`, key, { text: 'Thanks', changed: true });
    expect(vague).toMatchObject({ status: 422, body: { errors: [{ pointer: '/change' }] } });
    await request('PATCH', `/v1/feedback/${id}`, key, { status: 'closed' });
    expect((await request('POST', `/v1/feedback/${id}/answers`, key, { text: 'Late reply' })).status).toBe(
      409,
    );
    expect((await request('GET', `/v1/feedback/${id}/answers`, key)).body).toEqual({ answers: [] });
  });
});
