import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { feedback } from '../db/schema';
import { storyFingerprint } from '../fingerprint';
import worker from '../index';
import { sha256Hex } from '../spam/keys';
import { TEST_TELLUS_SECRET } from '../test/constants';
import { countingD1 } from '../test/d1-trips';
import { expectProblem, FEEDBACK_URL, newSubmission, post, rowCount } from '../test/feedback';
import { clientAddress, formToken, ORIGIN, OTHER_ORIGIN, seed } from '../test/seed';

const URL = FEEDBACK_URL;

let db: Db;
let token: string;
beforeEach(async () => {
  db = await seed();
  token = await formToken();
});

const submission = (overrides: Record<string, unknown> = {}) => newSubmission(token, overrides);

describe('POST /v1/feedback', () => {
  it('keeps personal details out of the page path too', async () => {
    const res = await post(submission({ page: '/cases/AB123456C/track%40me?x=1' }));
    const { id } = (await res.json()) as { id: string };
    const row = await db.select().from(feedback).where(eq(feedback.id, id)).get();
    expect(row?.page).toBe('/cases/[NI number]/track@me');
  });

  it('decodes a page path before it cuts the query and checks the text: an escaped line break is refused', async () => {
    const res = await post(
      submission({ page: '/apply%0d%0aBcc:%20x@evil.example%0aNext%3Fname%3DJohn%20Smith' }),
    );
    const body = await expectProblem(res, 422, 'validation-failed');
    expect(body.errors).toEqual([expect.objectContaining({ pointer: '/page' })]);
    for (const page of ['/apply%0d%0aBcc/%ZZ', '/a%250Ab', '/a%C2%85b', '/a%E2%80%A8b', '/a\u2029b']) {
      const refused = await post(
        submission({ page, idempotency_key: crypto.randomUUID(), token: await formToken() }),
      );
      expect(refused.status, page).toBe(422);
    }
    expect(await rowCount()).toBe(0);
  });

  it('drops an escaped query string or fragment from the page path, and what it held', async () => {
    const pages = {
      '/apply/Next%3Fname%3DJohn%20Smith': '/apply/Next',
      '/apply%23name=Jo': '/apply',
      '/bins/caf%C3%A9%20corner': '/bins/café corner',
      '/odd/%ZZ/path': '/odd/%ZZ/path',
      '/cases/jo%40example.com/track': '/cases/[email]/track',
      // One malformed escape does not switch decoding, cutting or redaction off for the rest.
      '/cases/jo%40example.com/%ZZ': '/cases/[email]/%ZZ',
      '/x%3Fname%3DJohn%20Smith/%': '/x',
      '/50%off/jo%40example.com': '/50%off/[email]',
      // Encoded twice is decoded twice.
      '/cases/jo%2540example.com': '/cases/[email]',
      '/apply%253Fname%253DJo': '/apply',
    };
    for (const [page, kept] of Object.entries(pages)) {
      const res = await post(
        submission({ page, idempotency_key: crypto.randomUUID(), token: await formToken() }),
      );
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      expect((await db.select().from(feedback).where(eq(feedback.id, id)).get())?.page).toBe(kept);
    }
  });

  it('keeps a keyed fingerprint of the story as stored, from which no redacted detail can be guessed', async () => {
    const story = 'Ring me on 07700 900123 about the bins.';
    const sent = submission({ story, page: '/bins/07700900124' });
    const res = await post(sent);
    const { id } = (await res.json()) as { id: string };
    const row = await db.select().from(feedback).where(eq(feedback.id, id)).get();
    expect(row).toMatchObject({ story: 'Ring me on [phone] about the bins.', page: '/bins/[phone]' });
    const stored = {
      serviceId: sent.service,
      rating: sent.rating,
      story: row?.story ?? null,
      page: row?.page ?? null,
      locale: 'en' as const,
    };
    expect(row?.fingerprint).toBe(await storyFingerprint(TEST_TELLUS_SECRET, stored));
    // Guessing the number back, as anyone who reads D1 could with a plain hash: no guess matches.
    for (let n = 900000; n < 900200; n++) {
      const guess = [sent.service, sent.rating, `Ring me on 07700 ${n} about the bins.`, sent.page, 'en'];
      expect(await sha256Hex(JSON.stringify(guess))).not.toBe(row?.fingerprint);
    }
    expect(JSON.stringify(row)).not.toContain('900123');
  });

  it('answers a replay of a story whose fingerprint the upgrade erased by what is stored', async () => {
    const sent = submission({ story: 'Stored before fingerprints were keyed.' });
    const first = (await (await post(sent)).json()) as { id: string };
    await db.update(feedback).set({ fingerprint: '' }).where(eq(feedback.id, first.id));
    const again = await post(sent);
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).toBe(first.id);
    await expectProblem(await post({ ...sent, story: 'Something else.' }), 422, 'idempotency-key-reused');
    expect(await rowCount()).toBe(1);
  });

  it('answers 201 with an id and stores the story', async () => {
    const sent = submission();
    const res = await post(sent);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const row = await db.select().from(feedback).where(eq(feedback.id, id)).get();
    expect(row).toMatchObject({
      serviceId: 'missed-bin-collection',
      rating: 2,
      story: sent.story,
      page: '/bins/report-missed',
      locale: 'en',
      idempotencyKey: sent.idempotency_key,
    });
    expect(row?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('removes personal details before the story is stored', async () => {
    const res = await post(
      submission({
        story: 'Email me at jane.doe@example.com or ring 07700 900123. NHS number 943 476 5919.',
      }),
    );
    expect(res.status).toBe(201);
    const row = await db.select().from(feedback).get();
    expect(row?.story).toBe('Email me at [email] or ring [phone]. NHS number [NHS number].');
  });

  it('stores a story in one round trip to D1 from an origin this isolate knows: every check and the write in one batch', async () => {
    // A preflight from the page has made its origin known here (the first post from it would too).
    await exports.default.fetch(URL, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    const d1 = countingD1(env.DB);
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(URL, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', Origin: ORIGIN, 'CF-Connecting-IP': clientAddress() },
        body: JSON.stringify(submission()),
      }),
      { ...env, DB: d1.binding },
      ctx,
    );
    expect(res.status).toBe(201);
    expect(d1.trips()).toBe(1);
    await waitOnExecutionContext(ctx);
    expect(await rowCount()).toBe(1);
  });

  it('stores a rating without a story, and Welsh as the locale', async () => {
    const res = await post(submission({ story: undefined, locale: 'cy' }));
    expect(res.status).toBe(201);
    const row = await db.select().from(feedback).get();
    expect(row).toMatchObject({ story: null, locale: 'cy' });
  });

  it('answers a replay of the same idempotency key with the same id and stores nothing new', async () => {
    const sent = submission();
    const first = (await (await post(sent)).json()) as { id: string };
    const again = await post(sent);
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(first.id);
    expect(await rowCount()).toBe(1);
  });

  it('refuses the same idempotency key with a different story, keeping the first', async () => {
    const first = submission();
    await post(first);
    const res = await post({ ...first, story: 'Edited after the first send.' });
    await expectProblem(res, 422, 'idempotency-key-reused');
    const rows = await db.select({ story: feedback.story }).from(feedback);
    expect(rows).toEqual([{ story: first.story }]);
  });

  it('refuses an idempotency key already used for another service', async () => {
    const key = crypto.randomUUID();
    await post(submission({ idempotency_key: key }));
    const res = await post(submission({ idempotency_key: key, service: 'bulky-waste' }), {
      Origin: OTHER_ORIGIN,
    });
    await expectProblem(res, 422, 'idempotency-key-reused');
    expect(await rowCount()).toBe(1);
  });

  it.each([
    ['rating 0', { rating: 0 }, 'rating'],
    ['rating 6', { rating: 6 }, 'rating'],
    ['rating 3.5', { rating: 3.5 }, 'rating'],
    ['a rating as a string', { rating: '4' }, 'rating'],
    ['a missing rating', { rating: undefined }, 'rating'],
    ['a 2,001-character story', { story: 'a'.repeat(2001) }, 'story'],
    ['a missing service', { service: undefined }, 'service'],
    ['a service id that is not a slug', { service: 'Missed Bins!' }, 'service'],
    ['an unknown field', { name: 'Jane' }, 'name'],
    ['a missing idempotency key', { idempotency_key: undefined }, 'idempotency_key'],
    ['a page that is a full URL', { page: 'https://evil.example/x' }, 'page'],
    ['an unknown locale', { locale: 'fr' }, 'locale'],
  ])('answers 422 problem+json naming the field and stores nothing for %s', async (_, overrides, field) => {
    const body = await expectProblem(await post(submission(overrides)), 422, 'validation-failed');
    expect(body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, pointer: `/${field}` })]),
    );
    expect(await rowCount()).toBe(0);
  });

  it.each([
    ['an array', [1, 2]],
    ['null', null],
    ['a number', 42],
  ])('answers 422 pointing at the whole body and stores nothing when the body is %s', async (_, body) => {
    const problem = await expectProblem(await post(body), 422, 'validation-failed');
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: '', field: '' })]);
    expect(await rowCount()).toBe(0);
  });

  it('answers 400 and stores nothing when the body is not JSON', async () => {
    await expectProblem(await post('{"rating": 5,'), 400, 'malformed-json');
    expect(await rowCount()).toBe(0);
  });

  it('accepts the same JSON sent as text/plain', async () => {
    const res = await post(submission(), { 'Content-Type': 'text/plain;charset=UTF-8' });
    expect(res.status).toBe(201);
  });

  it('answers 415 for a form-encoded body', async () => {
    const res = await post('rating=5', { 'Content-Type': 'application/x-www-form-urlencoded' });
    await expectProblem(res, 415, 'unsupported-media-type');
  });

  it('answers 413 and stores nothing when the body is over 16 KB', async () => {
    const res = await post(submission({ story: 'x'.repeat(17 * 1024) }));
    await expectProblem(res, 413, 'payload-too-large');
    expect(await rowCount()).toBe(0);
  });

  it('answers 404 problem+json and stores nothing for an unknown service', async () => {
    const body = await expectProblem(
      await post(submission({ service: 'no-such-service' })),
      404,
      'service-not-found',
    );
    expect(body.detail).toContain('no-such-service');
    expect(await rowCount()).toBe(0);
  });

  it('answers 403 and stores nothing when the origin is registered only for another service', async () => {
    await expectProblem(await post(submission(), { Origin: OTHER_ORIGIN }), 403, 'origin-not-allowed');
    expect(await rowCount()).toBe(0);
  });

  it('checks the origin first: an unregistered site learns nothing about the body or the services', async () => {
    const origin = { Origin: 'https://attacker.example' };
    const answers = [
      await post('{not json', origin),
      await post(submission({ service: 'no-such-service' }), origin),
      await post(submission({ story: 'x'.repeat(20_000) }), origin),
    ];
    const bodies = [];
    for (const res of answers) bodies.push(await expectProblem(res, 403, 'origin-not-allowed'));
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(await rowCount()).toBe(0);
  });

  it('answers 403 and stores nothing when there is no Origin header', async () => {
    const res = await exports.default.fetch(URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(submission()),
    });
    await expectProblem(res, 403, 'origin-not-allowed');
    expect(await rowCount()).toBe(0);
  });
});

describe('CORS on /v1/feedback', () => {
  it('lets an allowed origin read the answer, without credentials', async () => {
    const res = await post(submission());
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(res.headers.get('Vary')).toContain('Origin');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it.each([
    ['a validation problem', submission({ rating: 9 }), 422],
    ['an unknown service', submission({ service: 'no-such-service' }), 404],
    ['an oversized body', submission({ story: 'x'.repeat(17 * 1024) }), 413],
    ['malformed JSON', '{', 400],
  ])('lets an allowed origin read %s too, so the widget can explain it', async (_, body, status) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it('answers a preflight from a known origin with the allowed method and header', async () => {
    const res = await exports.default.fetch(URL, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(res.headers.get('Access-Control-Allow-Methods')).toBe('POST');
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toBe('content-type');
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(res.headers.get('Vary')).toContain('Origin');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('lets a site registered for no service read its 403, so its widget stops sending, and nothing more', async () => {
    const origin = 'https://unregistered.example';
    const res = await post(submission(), { Origin: origin, 'Content-Type': 'text/plain' });
    await expectProblem(res, 403, 'origin-not-allowed');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(res.headers.get('Vary')).toBe('Origin');
    expect(res.headers.get('Set-Cookie')).toBeNull();
    const other = await exports.default.fetch(URL, { method: 'PUT', headers: { Origin: origin } });
    await expectProblem(other, 405, 'method-not-allowed');
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('lets a known site read the 403 of a service it is not registered for, as before', async () => {
    const res = await post(submission(), { Origin: OTHER_ORIGIN });
    await expectProblem(res, 403, 'origin-not-allowed');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(OTHER_ORIGIN);
  });

  it('gives a request without an Origin no CORS header to read', async () => {
    const res = await exports.default.fetch(URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(submission()),
    });
    await expectProblem(res, 403, 'origin-not-allowed');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('gives a preflight from an unknown origin no permission', async () => {
    const res = await exports.default.fetch(URL, {
      method: 'OPTIONS',
      headers: { Origin: 'https://attacker.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});
