// Hostile input to `POST /v1/feedback`: every malformed body is a 4xx problem+json and stores nothing.
import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { feedback } from '../db/schema';
import { expectProblem, FEEDBACK_URL, newSubmission, post, rowCount, send } from '../test/feedback';
import { clientAddress, formToken, ORIGIN, seed } from '../test/seed';

const URL = FEEDBACK_URL;
const OVER_LIMIT = 'x'.repeat(17 * 1024);

let db: Db;
let token: string;
beforeEach(async () => {
  db = await seed();
  token = await formToken();
});

const submission = (overrides: Record<string, unknown> = {}) => newSubmission(token, overrides);

/** A submission as JSON text with one value written in literally, as no JSON.stringify would. */
function withLiteral(field: string, literal: string) {
  const placeholder = '"__literal__"';
  return JSON.stringify(submission({ [field]: '__literal__' })).replace(placeholder, literal);
}

async function expectRefused(res: Response, status: number, code: string, pointer?: string) {
  const body = await expectProblem(res, status, code);
  if (pointer !== undefined) {
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
  }
  expect(await rowCount()).toBe(0);
}

describe('POST /v1/feedback with an oversized body', () => {
  it('answers 413 and stores nothing when the declared Content-Length is over 16 KB', async () => {
    const body = JSON.stringify(submission({ story: OVER_LIMIT }));
    await expectRefused(
      await send(body, { 'Content-Length': String(body.length) }),
      413,
      'payload-too-large',
    );
  });

  it('answers 413 and stores nothing when a streamed body with no length grows past 16 KB', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(submission({ story: OVER_LIMIT })));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 1024) controller.enqueue(bytes.slice(at, at + 1024));
        controller.close();
      },
    });
    const request = new Request(URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'CF-Connecting-IP': clientAddress() },
      body,
    });
    expect(request.headers.has('Content-Length')).toBe(false);
    await expectRefused(await exports.default.fetch(request), 413, 'payload-too-large');
  });

  it('answers 413 without reading a small body whose Content-Length claims more than 16 KB', async () => {
    await expectRefused(await post(submission(), { 'Content-Length': '16385' }), 413, 'payload-too-large');
  });
});

describe('POST /v1/feedback with a body that is not a JSON object', () => {
  it.each([
    ['malformed JSON', '{"rating": 5,'],
    ['single-quoted JSON', "{'rating': 5}"],
    ['trailing garbage', `${JSON.stringify({ rating: 2 })}}`],
    ['an empty body', ''],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
  ])('answers 400 malformed-json and stores nothing for %s', async (_, body) => {
    await expectRefused(await send(body), 400, 'malformed-json');
  });

  it.each([
    ['an empty array', '[]'],
    ['a submission inside an array', JSON.stringify([submission()])],
    ['a JSON string', '"rating=5"'],
    ['null', 'null'],
    ['a number', '42'],
    ['true', 'true'],
    ['8,000 nested arrays', `${'['.repeat(8000)}${']'.repeat(8000)}`],
  ])('answers 422 pointing at the whole body and stores nothing for %s', async (_, body) => {
    await expectRefused(await send(body), 422, 'validation-failed', '');
  });
});

describe('POST /v1/feedback with fields of the wrong shape', () => {
  it.each([
    ['rating "5"', withLiteral('rating', '"5"'), '/rating'],
    ['rating 5.5', withLiteral('rating', '5.5'), '/rating'],
    ['rating -0', withLiteral('rating', '-0'), '/rating'],
    ['rating 1e400 (Infinity once parsed)', withLiteral('rating', '1e400'), '/rating'],
    ['rating 1e308', withLiteral('rating', '1e308'), '/rating'],
    ['rating 99999999999999999999', withLiteral('rating', '99999999999999999999'), '/rating'],
    ['rating null', withLiteral('rating', 'null'), '/rating'],
    ['rating [5]', withLiteral('rating', '[5]'), '/rating'],
    ['rating {"value":5}', withLiteral('rating', '{"value":5}'), '/rating'],
    ['an unknown field', JSON.stringify(submission({ extra: 1 })), '/extra'],
    ['an own "__proto__" field', withLiteral('__proto__', '{"rating":5}'), '/__proto__'],
    ['story ["a"]', JSON.stringify(submission({ story: ['a'] })), '/story'],
    ['story as an object', JSON.stringify(submission({ story: { text: 'a' } })), '/story'],
    [
      'story nested 2,000 objects deep',
      withLiteral('story', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`),
      '/story',
    ],
    [
      'service as an object',
      JSON.stringify(submission({ service: { id: 'missed-bin-collection' } })),
      '/service',
    ],
    ['story with a lone high surrogate escape', withLiteral('story', '"before \\ud800 after"'), '/story'],
    ['story with a lone low surrogate escape', withLiteral('story', '"\\udfff"'), '/story'],
    ['story with surrogate escapes in the wrong order', withLiteral('story', '"\\ude00\\ud83d"'), '/story'],
    ['page with a control character', JSON.stringify(submission({ page: '/bins\u0000' })), '/page'],
  ])('answers 422 naming the field and stores nothing for %s', async (_, body, pointer) => {
    await expectRefused(await post(body), 422, 'validation-failed', pointer);
  });

  it.each([
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['ESC', '\u001b'],
    ['DEL', '\u007f'],
    ['vertical tab', '\u000b'],
    ['form feed', '\u000c'],
  ])('answers 422 for a story containing %s and stores nothing', async (_, control) => {
    const res = await post(submission({ story: `The bin${control} was missed.` }));
    await expectRefused(res, 422, 'validation-failed', '/story');
  });
});

describe('POST /v1/feedback with unusual but acceptable input', () => {
  it('stores a story with tabs, line breaks and an escaped surrogate pair as sent', async () => {
    const body = withLiteral('story', '"Line one\\n\\tLine two\\r\\nLine three \\ud83d\\ude00"');
    expect((await post(body)).status).toBe(201);
    const row = await db.select({ story: feedback.story }).from(feedback).get();
    expect(row?.story).toBe('Line one\n\tLine two\r\nLine three 😀');
  });

  it('stores only the path of a page sent with a query string and fragment', async () => {
    expect((await post(submission({ page: '/bins?postcode=SW1A1AA#top' }))).status).toBe(201);
    const row = await db.select({ page: feedback.page }).from(feedback).get();
    expect(row?.page).toBe('/bins');
  });

  it('accepts the JSON sent as text/plain;charset=UTF-8, as a CORS-simple request', async () => {
    expect((await post(submission(), { 'Content-Type': 'text/plain;charset=UTF-8' })).status).toBe(201);
  });
});

const KNOWN_FIELDS = [
  'service',
  'rating',
  'story',
  'page',
  'locale',
  'idempotency_key',
  'token',
  'website',
  'turnstile',
];
const DROP = Symbol('drop');
const BATCH = 10;
const DAY_MS = 24 * 3600 * 1000;
// Each of these is refused: bad JSON, or a number that is not a whole rating from 1 to 5.
const BAD_RATING_LITERALS = [
  '1e400',
  '-1e400',
  '99999999999999999999',
  '1e308',
  '5e-324',
  '-0',
  '0',
  '6',
  '-5',
  '5.5',
  '0x5',
  '05',
  '+5',
  'NaN',
  'Infinity',
  '"5"',
  'true',
  'null',
  '[5]',
  '{}',
  '5 5',
  '',
];

const contentType = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/json',
      'text/plain;charset=UTF-8',
      'APPLICATION/JSON; charset=utf-16',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      ';',
      'text/html',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json-patch+json',
    ),
  },
);
const contentLength = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.nat({ max: 20_000 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', 'abc', '1e3', '16385', '99999999999999999999') },
);

const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);
/** Text with at least one character no person types: a control character or an unpaired surrogate. */
const untypeable = fc
  .tuple(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.oneof(
      fc.integer({ min: 0, max: 0x08 }),
      fc.integer({ min: 0x0e, max: 0x1f }),
      fc.constantFrom(0x0b, 0x0c, 0x7f),
      fc.integer({ min: 0xd800, max: 0xdfff }),
    ),
    fc.string({ unit: 'binary', maxLength: 20 }),
  )
  .map(([before, code, after]) => `${before}${String.fromCharCode(code)}${after}`);
const unknownField = fc
  .oneof(fc.string({ unit: 'binary' }), fc.constantFrom('__proto__', 'constructor', 'Rating', ' token'))
  .filter((key) => !KNOWN_FIELDS.includes(key));

/** One change that breaks one rule, so a submission carrying it can never be stored. */
function breakingChange(badTokens: string[]): fc.Arbitrary<[string, unknown]> {
  const field = (name: string, ...values: fc.Arbitrary<unknown>[]) =>
    fc.tuple(fc.constant(name), fc.oneof(...values));
  return fc.oneof(
    field(
      'service',
      notAString,
      fc.string({ unit: 'binary' }).filter((s) => s !== 'missed-bin-collection'),
      fc.stringMatching(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).filter((s) => s !== 'missed-bin-collection'),
      fc.constant('bulky-waste'),
    ),
    field(
      'rating',
      notAString.filter((n) => !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 5)),
      fc.string(),
    ),
    field('story', notAString, untypeable, fc.string({ minLength: 2001, maxLength: 2100 })),
    field(
      'page',
      notAString,
      untypeable.map((s) => `/${s}`),
      fc.string().filter((s) => !s.startsWith('/')),
      fc.string({ minLength: 512, maxLength: 600 }).map((s) => `/${s}`),
    ),
    field(
      'locale',
      notAString,
      fc.string({ unit: 'binary' }).filter((s) => s !== 'en' && s !== 'cy'),
    ),
    field(
      'idempotency_key',
      notAString,
      fc.string({ unit: 'binary', maxLength: 200 }).filter((s) => !/^[\w-]{16,128}$/.test(s)),
    ),
    field('token', notAString, fc.string(), fc.constantFrom(...badTokens)),
    field('turnstile', notAString, fc.string({ minLength: 4097, maxLength: 4200 })),
    // A filled honeypot is refused as spam, but an empty one is not: `website` is left out.
    fc.tuple(unknownField, fc.jsonValue()),
    fc.tuple(fc.constantFrom('service', 'rating', 'idempotency_key', 'token'), fc.constant(DROP)),
  );
}

/** A valid submission, with odd but acceptable text, then one to three breaking changes. */
function brokenSubmission(badTokens: string[]) {
  return fc
    .record({
      story: fc.option(fc.string({ unit: 'grapheme', maxLength: 200 }), { nil: undefined }),
      page: fc.string().map((s) => `/${s}`),
      idempotency_key: fc.uuid(),
      changes: fc.array(breakingChange(badTokens), { minLength: 1, maxLength: 3 }),
    })
    .map(({ changes, ...base }) => {
      const fields = new Map<string, unknown>(Object.entries(submission(base)));
      for (const [key, value] of changes) value === DROP ? fields.delete(key) : fields.set(key, value);
      return Object.fromEntries(fields);
    });
}

interface HostileRequest {
  body: string | Uint8Array;
  type: string | undefined;
  length: string | undefined;
}

function hostileRequests(bodies: fc.Arbitrary<string | Uint8Array>) {
  const request = fc.record({ body: bodies, type: contentType, length: contentLength });
  return fc.array(request, { minLength: BATCH, maxLength: BATCH });
}

/** Sends one batch at once and checks that each answer is a 4xx problem+json. */
async function sendAll(requests: HostileRequest[]) {
  await Promise.all(
    requests.map(async ({ body, type, length }) => {
      const headers: Record<string, string> = { Origin: ORIGIN, 'CF-Connecting-IP': clientAddress() };
      if (type !== undefined) headers['Content-Type'] = type;
      if (length !== undefined) headers['Content-Length'] = length;
      const res = await exports.default.fetch(URL, { method: 'POST', headers, body });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(((await res.json()) as { code: unknown }).code).toEqual(expect.any(String));
    }),
  );
  return requests.length;
}

/** Runs `numRuns` batches of requests with these bodies; the number of requests sent. */
async function fuzz(bodies: fc.Arbitrary<string | Uint8Array>, numRuns: number) {
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(hostileRequests(bodies), async (batch) => {
      sent += await sendAll(batch);
    }),
    { numRuns },
  );
  return sent;
}

describe('POST /v1/feedback under generated hostile input', () => {
  it('answers 1,200 broken JSON submissions and values with a 4xx problem+json and stores none', async () => {
    const badTokens = [
      await formToken('bulky-waste'),
      await formToken(undefined, Date.now() + DAY_MS),
      await formToken(undefined, Date.now() - 9 * DAY_MS),
      `${token}.x`,
      token.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
    ];
    const bodies = fc
      .oneof(
        { weight: 6, arbitrary: brokenSubmission(badTokens) },
        { weight: 1, arbitrary: brokenSubmission(badTokens).map((s) => [s]) },
        { weight: 1, arbitrary: brokenSubmission(badTokens).map((s) => ({ submission: s })) },
        { weight: 2, arbitrary: fc.jsonValue() },
      )
      .map((value) => JSON.stringify(value));
    expect(await fuzz(bodies, 120)).toBe(1200);
    expect(await rowCount()).toBe(0);
  }, 90_000);

  it('answers 800 raw bodies of text, bytes and near-JSON with a 4xx problem+json and stores none', async () => {
    const plainAscii = fc.string().map((s) => s.replace(/["\\]/g, ''));
    const bodies = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'binary-ascii' }),
      fc.uint8Array({ maxLength: 256 }),
      fc.json(),
      fc.constantFrom(...BAD_RATING_LITERALS).map((literal) => withLiteral('rating', literal)),
      fc
        .tuple(plainAscii, fc.integer({ min: 0xd800, max: 0xdfff }), plainAscii)
        .map(([before, code, after]) => withLiteral('story', `"${before}\\u${code.toString(16)}${after}"`)),
      fc.nat().map((n) => {
        const text = JSON.stringify(submission());
        return text.slice(0, n % text.length);
      }),
      fc
        .integer({ min: 17 * 1024, max: 40 * 1024 })
        .map((n) => JSON.stringify(submission({ story: 'x'.repeat(n) }))),
    );
    expect(await fuzz(bodies, 80)).toBe(800);
    expect(await rowCount()).toBe(0);
  }, 90_000);
});
