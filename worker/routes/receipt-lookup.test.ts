// The returning citizen's lookup, in workerd with the real D1: which of the receipts a device keeps
// for a service name a story, with the team's answers, in one request and one round trip.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { RECEIPT_LOOKUP_MAX, type Status } from '../../shared';
import type { Db } from '../db/client';
import { answers, departments, feedback, services } from '../db/schema';
import { newId } from '../ids';
import worker from '../index';
import { randomCode, sha256Hex } from '../spam/keys';
import { countingD1 } from '../test/d1-trips';
import { expectProblem, newSubmission, post } from '../test/feedback';
import { clientAddress, formToken, insertStory, seed } from '../test/seed';

const URL = 'https://tellus.test/v1/receipts/lookup';
const SERVICE = 'missed-bin-collection';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

/** A stored story with a receipt code of its own, as if sent through the widget; returns its code. */
async function story({
  service = SERVICE,
  status = 'new',
  createdAt = '2026-11-02T09:00:00.000Z',
}: {
  service?: string;
  status?: Status;
  createdAt?: string;
} = {}) {
  const code = randomCode();
  const id = await insertStory(db, {
    serviceId: service,
    receiptHash: await sha256Hex(code),
    status,
    createdAt,
  });
  return { code, id };
}

async function answer(feedbackId: string, text: string, createdAt: string, change?: string) {
  await db.insert(answers).values({
    id: newId(),
    feedbackId,
    text,
    changed: change !== undefined,
    change: change ?? null,
    createdAt,
  });
}

/** Asks about `receipts` (or sends `body` as it is) from a client address of its own. */
function lookUp(body: unknown, headers: Record<string, string> = {}) {
  return exports.default.fetch(URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': clientAddress(), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The department seed() registers the services under, by the name citizens know it by. */
const DEPARTMENT = { name: 'Waste and Recycling' };
const receiptUrl = (code: string) => `${env.PUBLIC_URL}/v1/receipts/${code}`;

const receiptsOf = async (res: Response) => {
  expect(res.status).toBe(200);
  return ((await res.json()) as { receipts: { receipt: string }[] }).receipts;
};

describe('POST /v1/receipts/lookup', () => {
  it("lists each code that names a story of the service, once, in the order asked, with the team's answers", async () => {
    const answered = await story({ status: 'answered', createdAt: '2026-11-01T10:00:00.000Z' });
    await answer(answered.id, 'A second word.', '2026-11-04T12:00:00.000Z');
    await answer(
      answered.id,
      'Sorry: collected today.',
      '2026-11-03T12:00:00.000Z',
      'Route sheets are checked.',
    );
    const waiting = await story();
    const elsewhere = await story({ service: 'bulky-waste', status: 'answered' });
    await answer(elsewhere.id, 'Not for this service.', '2026-11-03T12:00:00.000Z');
    const unknown = randomCode();

    const res = await lookUp({
      service: SERVICE,
      receipts: [waiting.code, unknown, answered.code, elsewhere.code, waiting.code],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      receipts: [
        {
          receipt: waiting.code,
          status: 'new',
          answers: [],
          department: DEPARTMENT,
          receipt_url: receiptUrl(waiting.code),
          created_at: '2026-11-02T09:00:00.000Z',
        },
        {
          receipt: answered.code,
          status: 'answered',
          answers: [
            {
              text: 'Sorry: collected today.',
              changed: true,
              change: 'Route sheets are checked.',
              created_at: '2026-11-03T12:00:00.000Z',
            },
            { text: 'A second word.', changed: false, change: null, created_at: '2026-11-04T12:00:00.000Z' },
          ],
          department: DEPARTMENT,
          receipt_url: receiptUrl(answered.code),
          created_at: '2026-11-01T10:00:00.000Z',
        },
      ],
    });
  });

  it('names the team that answers by its department, never a person, and the receipt page POST /v1/feedback gave', async () => {
    await db.insert(departments).values({
      id: 'council-waste',
      name: 'Anytown Council Waste Services',
      contactEmail: 'officer.name@anytown.example.gov.uk',
      retentionDays: 90,
    });
    await db.update(services).set({ departmentId: 'council-waste' }).where(eq(services.id, SERVICE));
    const sent = await post(newSubmission(await formToken()));
    expect(sent.status).toBe(201);
    const { id, receipt, receipt_url } = (await sent.json()) as {
      id: string;
      receipt: string;
      receipt_url: string;
    };
    await db.update(feedback).set({ status: 'answered' }).where(eq(feedback.id, id));
    await answer(id, 'Sorry: collected today.', '2026-11-03T12:00:00.000Z', 'Route sheets are checked.');

    const res = await lookUp({ service: SERVICE, receipts: [receipt] });
    const [found] = (await receiptsOf(res)) as {
      receipt: string;
      department: unknown;
      receipt_url: string;
      answers: unknown[];
    }[];
    expect(found?.department).toEqual({ name: 'Anytown Council Waste Services' });
    expect(found?.receipt_url).toBe(receipt_url);
    expect(found?.receipt_url).toBe(receiptUrl(receipt));
    expect(found?.answers).toHaveLength(1);
    expect(JSON.stringify(found)).not.toContain('@');
    // The page it links to is that story's receipt.
    const page = await exports.default.fetch(receipt_url.replace(env.PUBLIC_URL, 'https://tellus.test'));
    expect(((await page.json()) as { id: string }).id).toBe(id);
  });

  it('answers nothing for codes that name no story of the service: unknown, deleted, or of an unknown service', async () => {
    const { code } = await story();
    expect(
      await receiptsOf(await lookUp({ service: SERVICE, receipts: [randomCode(), randomCode()] })),
    ).toEqual([]);
    expect(await receiptsOf(await lookUp({ service: 'no-such-service', receipts: [code] }))).toEqual([]);
    await db.delete(feedback);
    expect(await receiptsOf(await lookUp({ service: SERVICE, receipts: [code] }))).toEqual([]);
  });

  it('looks up every code in one round trip to D1, however many are known', async () => {
    const known = await Promise.all(Array.from({ length: 3 }, () => story()));
    const codes = [...known.map(({ code }) => code), ...Array.from({ length: 17 }, randomCode)];
    const d1 = countingD1(env.DB);
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(URL, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'CF-Connecting-IP': clientAddress() },
        body: JSON.stringify({ service: SERVICE, receipts: codes }),
      }),
      { ...env, DB: d1.binding },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect((await receiptsOf(res)).map(({ receipt }) => receipt)).toEqual(known.map(({ code }) => code));
    expect(d1.trips()).toBe(1);
  });

  it('takes the JSON as text/plain, so the widget needs no preflight; any page may read it, nothing is cached or kept', async () => {
    const { code } = await story();
    const res = await lookUp(
      { service: SERVICE, receipts: [code] },
      { 'Content-Type': 'text/plain;charset=UTF-8', Origin: 'https://any.example' },
    );
    expect(await receiptsOf(res)).toHaveLength(1);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(res.headers.get('Access-Control-Expose-Headers')).toBeNull();
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('answers a preflight from any page for a JSON POST, without credentials', async () => {
    const res = await exports.default.fetch(URL, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://any.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Allow-Methods')).toBe('POST');
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it.each([
    ['no codes', { service: SERVICE, receipts: [] }, '/receipts'],
    [
      `more than ${RECEIPT_LOOKUP_MAX} codes`,
      { service: SERVICE, receipts: Array.from({ length: RECEIPT_LOOKUP_MAX + 1 }, randomCode) },
      '/receipts',
    ],
    ['a code of the wrong shape', { service: SERVICE, receipts: ['not a receipt'] }, '/receipts/0'],
    ['no service', { receipts: [randomCode()] }, '/service'],
    ['an unknown field', { service: SERVICE, receipts: [randomCode()], story: 'x' }, '/story'],
  ])('refuses %s with 422 problem+json naming the field', async (_, body, pointer) => {
    const res = await lookUp(body);
    const problem = await expectProblem(res, 422, 'validation-failed');
    expect((problem.errors as { pointer: string }[]).map((error) => error.pointer)).toContain(pointer);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('takes the same code given twice as one, but counts both towards the most it takes', async () => {
    const { code } = await story();
    expect(await receiptsOf(await lookUp({ service: SERVICE, receipts: [code, code] }))).toHaveLength(1);
    const many = Array.from({ length: RECEIPT_LOOKUP_MAX + 1 }, () => code);
    await expectProblem(await lookUp({ service: SERVICE, receipts: many }), 422, 'validation-failed');
  });

  it.each([
    ['malformed JSON', '{"service":', {}, 400, 'malformed-json'],
    [
      'a form',
      'service=x',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported-media-type',
    ],
    [
      'a body over 16 KiB',
      JSON.stringify({ service: SERVICE, receipts: ['x'.repeat(17 * 1024)] }),
      {},
      413,
      'payload-too-large',
    ],
    ['a JSON array', '[]', {}, 422, 'validation-failed'],
  ])('answers %s with problem+json', async (_, body, headers, status, code) => {
    await expectProblem(await lookUp(body, headers), status, code);
  });

  it('takes codes only in the body: GET and DELETE are refused, and no code is read from the address', async () => {
    for (const method of ['GET', 'DELETE', 'PUT']) {
      const res = await exports.default.fetch(URL, { method });
      await expectProblem(res, 405, 'method-not-allowed');
      expect(res.headers.get('Allow')).toBe('POST, OPTIONS');
    }
  });

  it('answers 429 with Retry-After past tens of lookups a minute from one client, and not for others', async () => {
    const address = clientAddress();
    const body = { service: SERVICE, receipts: [randomCode()] };
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await lookUp(body, { 'CF-Connecting-IP': address })).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const limited = await lookUp(body, { 'CF-Connecting-IP': address });
    await expectProblem(limited, 429, 'rate-limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
    expect(limited.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect((await lookUp(body)).status).toBe(200);
  });
});
