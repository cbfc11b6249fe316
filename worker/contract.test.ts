// The API document is the contract: requests generated from GET /v1/openapi.json (valid ones from
// each schema and example, ones that break each rule, ones without or with wrong credentials) go
// to the worker with a real D1, and every answer is checked against the document. No 5xx; no
// request the document allows refused for its shape; every one it refuses refused as problem+json;
// every status, media type and body as documented. Seeded throughout, so a run repeats.
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from './openapi';
import {
  ApiOracle,
  type Breaking,
  breakings,
  type DocumentedOperation,
  type JsonSchema,
  longString,
} from './test/api-document';
import { type Credentials, FIXTURES_BY_OPERATION, type Fixture, prepare } from './test/contract-fixtures';

/** Every operation, by its id: the document is read from the worker in beforeAll. */
const OPERATION_IDS = Object.values(OPERATIONS).flatMap((methods) =>
  Object.values(methods).map((op) => op.id),
);
/** Valid requests generated for each operation, besides its example. */
const VALID_PER_OPERATION = 4;

let oracle: ApiOracle;
let credentials: Credentials;

beforeAll(async () => {
  credentials = await prepare();
  const res = await exports.default.fetch('https://tellus.test/v1/openapi.json');
  oracle = new ApiOracle(await res.json());
});

interface Sent {
  label: string;
  status: number;
  type: string;
  headers: Headers;
  body: unknown;
}

/** Ids that name nothing, some of them odd (escaped, long, quoted, in upper case). */
const UNKNOWN_IDS = [
  'no-such-thing',
  '0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B',
  '%25%00',
  "x' OR '1'='1",
  'x'.repeat(2000),
];

/** Problems that say a request was refused for its shape (or its form token), not for the state. */
const SHAPE_CODES = ['validation-failed', 'form-token-invalid', 'spam-suspected'];

/** Which path parameters, and which of an operation's variants (a page or JSON, say). */
interface Variant {
  params?: Record<string, string>;
  variant?: number;
}

interface Call {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  label: string;
}

/** Sends one request and checks the answer against the operation's documented responses. */
async function send(op: DocumentedOperation, call: Call): Promise<Sent> {
  const url = new URL(`https://tellus.test${call.path}`);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
  const text =
    call.body === undefined
      ? undefined
      : typeof call.body === 'string'
        ? call.body
        : JSON.stringify(call.body);
  const res = await exports.default.fetch(url, {
    method: call.method.toUpperCase(),
    // A header given as '' is left out: that is how a test sends none.
    headers: Object.fromEntries(
      Object.entries({
        ...(text === undefined ? {} : { 'Content-Type': call.contentType ?? 'application/json' }),
        ...call.headers,
      }).filter(([, value]) => value !== ''),
    ),
    body: text,
  });
  const type = res.headers.get('Content-Type')?.split(';')[0]?.trim() ?? '';
  const raw = await res.text();
  const where = `${call.method.toUpperCase()} ${url.pathname}${url.search} (${call.label}) → ${res.status} ${type}: ${raw.slice(0, 300)}`;
  expect(res.status, `a 5xx: ${where}`).toBeLessThan(500);
  const answer = op.responses[String(res.status)];
  expect(answer, `an undocumented status: ${where}`).toBeDefined();
  const media = answer?.content;
  if (!media) {
    expect(raw, `a body where none is documented: ${where}`).toBe('');
    return { label: call.label, status: res.status, type, headers: res.headers, body: undefined };
  }
  expect(Object.keys(media), `an undocumented media type: ${where}`).toContain(type);
  const schema = media[type]?.schema;
  const body = type.endsWith('json') ? JSON.parse(raw) : raw;
  if (schema) expect(oracle.errors(schema, body), `a body unlike its schema: ${where}`).toBeUndefined();
  return { label: call.label, status: res.status, type, headers: res.headers, body };
}

/** The credentials each kind of operation is sent with, and those it must refuse. */
function authorization(op: DocumentedOperation): {
  good: Record<string, string>;
  bad: { label: string; headers: Record<string, string>; status: number }[];
} {
  const scheme = Object.keys(op.security?.[0] ?? {})[0];
  if (scheme === 'operatorToken') {
    return {
      good: { Authorization: `Bearer ${credentials.operator}` },
      bad: [
        { label: 'no credentials', headers: {}, status: 401 },
        { label: 'a wrong token', headers: { Authorization: 'Bearer not-the-token' }, status: 401 },
        { label: 'a department key', headers: { Authorization: `Bearer ${credentials.full}` }, status: 401 },
        { label: 'not a bearer token', headers: { Authorization: 'Basic b3BlcmF0b3I=' }, status: 400 },
      ],
    };
  }
  if (scheme === 'departmentKey') {
    const writes = op.requestBody !== undefined;
    return {
      good: { Authorization: `Bearer ${credentials.full}` },
      bad: [
        { label: 'no credentials', headers: {}, status: 401 },
        { label: 'an unknown key', headers: { Authorization: 'Bearer tk_not-a-key' }, status: 401 },
        {
          label: 'the operator token',
          headers: { Authorization: `Bearer ${credentials.operator}` },
          status: 401,
        },
        {
          label: 'a key without the scope',
          headers: { Authorization: `Bearer ${writes ? credentials.read : credentials.answer}` },
          status: 403,
        },
      ],
    };
  }
  return { good: {}, bad: [] };
}

/** Query parameters drawn from their documented schemas, each present or not. */
function queryFor(op: DocumentedOperation, seed: number): Record<string, string> {
  const query: Record<string, string> = {};
  op.parameters
    .filter((parameter) => parameter.in === 'query')
    .forEach((parameter, index) => {
      if ((seed + index) % 3 === 0) return;
      // Some of them as long as they may be, in any script.
      const long = seed % 2 ? undefined : longString(oracle, parameter.schema, seed * 31 + index);
      query[parameter.name] = long ?? String(oracle.sample(parameter.schema, seed * 31 + index));
    });
  return query;
}

const operations = () => oracle.operations();

describe('the worker keeps the contract of GET /v1/openapi.json', () => {
  it('documents the operations this test goes through', () => {
    expect(operations().length).toBeGreaterThan(30);
    for (const { op } of operations()) {
      const pathParameters = op.parameters.filter((parameter) => parameter.in === 'path');
      if (pathParameters.length)
        expect(FIXTURES_BY_OPERATION[op.operationId]?.params, op.operationId).toBeDefined();
    }
  });

  // Listed by name so each operation reports on its own; the document is read in beforeAll.
  it.each(OPERATION_IDS)('%s', async (operationId) => {
    const found = operations().find(({ op }) => op.operationId === operationId);
    expect(found, `${operationId} is not in the document`).toBeDefined();
    if (!found) return;
    const subject = new Subject(found.path, found.method, found.op);
    await validRequests(subject);
    await unknownIds(subject);
    await refusals(subject);
    await brokenRequests(subject);
  });
});

/** One operation under test: how to send it a request, and a valid body for it. */
class Subject {
  readonly fixture: Fixture;
  readonly auth: ReturnType<typeof authorization>;
  readonly bodySchema: JsonSchema | undefined;

  constructor(
    readonly path: string,
    readonly method: string,
    readonly op: DocumentedOperation,
  ) {
    this.fixture = FIXTURES_BY_OPERATION[op.operationId] ?? {};
    this.auth = authorization(op);
    this.bodySchema = op.requestBody?.content['application/json']?.schema;
  }

  /** Sends a request with good credentials and fresh path parameters unless told otherwise. */
  async request(label: string, extra: Partial<Call> & Variant = {}) {
    const params = extra.params ?? (await this.fixture.params?.()) ?? {};
    return send(this.op, {
      method: this.method,
      path: this.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? '')),
      label,
      ...extra,
      headers: { ...this.fixture.headers?.(extra.variant ?? 0), ...(extra.headers ?? this.auth.good) },
    });
  }

  /** A body the document allows, with the state it names put in; undefined for none. */
  async validBody(seed: number, optionals: 'some' | 'all' | 'none' = 'some') {
    if (!this.bodySchema) return undefined;
    const body = oracle.sample(this.bodySchema, seed, optionals) as Record<string, unknown>;
    return (await this.fixture.link?.(body)) ?? body;
  }
}

/**
 * The example, then generated requests (a body as JSON, and where documented as text/plain): none
 * refused for its shape, and at least one that succeeds. The first is sent again, as it is and
 * changed where it used something up, and asked for again with its ETag.
 */
async function validRequests(subject: Subject) {
  const { op, fixture, auth } = subject;
  const valid: Sent[] = [];
  const example = op.requestBody?.content['application/json']?.example;
  if (example !== undefined) {
    const body = (await fixture.link?.(example as Record<string, unknown>)) ?? example;
    valid.push(await subject.request('the example', { body }));
  }
  for (let seed = 1; seed <= VALID_PER_OPERATION; seed++) {
    const textPlain = seed % 2 === 0 && op.requestBody?.content['text/plain'] !== undefined;
    const call = {
      body: await subject.validBody(seed, seed === 1 ? 'all' : seed === 2 ? 'none' : 'some'),
      query: queryFor(op, seed),
      params: (await fixture.params?.()) ?? {},
      variant: seed,
      ...(textPlain ? { contentType: 'text/plain;charset=UTF-8' } : {}),
    };
    const sent = await subject.request(`valid #${seed}${textPlain ? ' as text/plain' : ''}`, call);
    valid.push(sent);
    if (seed !== 1) continue;
    await subject.request('the same again', call);
    const again = fixture.again?.(call.body as Record<string, unknown>);
    if (again) await subject.request('again, changed', { ...call, body: again });
    const etag = sent.headers.get('ETag');
    if (etag)
      await subject.request('if none match', { ...call, headers: { ...auth.good, 'If-None-Match': etag } });
  }
  const refusedForShape = valid.filter(
    ({ status, body }) =>
      [400, 413, 415].includes(status) ||
      (status === 422 && SHAPE_CODES.includes((body as { code?: string }).code ?? '')),
  );
  expect(refusedForShape, 'valid by the document, refused for their shape').toEqual([]);
  const succeeded = valid.filter(({ status }) => status < 300);
  expect(succeeded, `no valid request succeeded: ${JSON.stringify(valid)}`).not.toEqual([]);
}

/** Ids that name nothing: answered as documented (404 mostly), never a 5xx. */
async function unknownIds(subject: Subject) {
  const pathParameters = subject.op.parameters.filter((parameter) => parameter.in === 'path');
  if (!pathParameters.length) return;
  for (const id of UNKNOWN_IDS) {
    const params = Object.fromEntries(pathParameters.map(({ name }) => [name, id]));
    await subject.request(`the unknown id ${id.slice(0, 20)}`, { params, body: await subject.validBody(1) });
  }
}

/** Without credentials, with wrong ones, or from where it may not come: refused as documented. */
async function refusals(subject: Subject) {
  for (const bad of [...subject.auth.bad, ...(subject.fixture.refusals ?? [])]) {
    const sent = await subject.request(bad.label, {
      body: await subject.validBody(50),
      headers: bad.headers,
    });
    expect([sent.status, sent.type], bad.label).toEqual([bad.status, 'application/problem+json']);
  }
}

/** Breaking each rule of the body, and of each query parameter: refused with problem+json. */
async function brokenRequests(subject: Subject) {
  const broken: (Breaking & { query?: Record<string, string> })[] = [];
  if (subject.bodySchema) {
    // A body of its own, so that a replay of an earlier request never answers for it.
    const base = await subject.validBody(99, 'all');
    broken.push(...breakings(oracle, oracle.resolve(subject.bodySchema), base, 7));
    const expectations: [string, Partial<Call>, number][] = [
      ['malformed JSON', { body: '{"rating": ' }, 400],
      ['an XML body', { body: '<rating/>', contentType: 'application/xml' }, 415],
      ['a body over 16 KiB', { body: { ...base, story: 'a'.repeat(17 * 1024) } }, 413],
    ];
    for (const [label, call, status] of expectations) {
      const sent = await subject.request(label, call);
      expect([sent.status, sent.type], label).toEqual([status, 'application/problem+json']);
    }
  }
  for (const parameter of subject.op.parameters.filter((p) => p.in === 'query')) {
    for (const { rule, value } of breakings(oracle, parameter.schema, undefined, 7)) {
      if (typeof value !== 'string') continue; // a query string only ever carries strings
      broken.push({
        rule: `?${parameter.name}: ${rule}`,
        value: undefined,
        query: { [parameter.name]: value },
      });
    }
  }
  if (subject.op.parameters.some((p) => p.name === 'cursor')) {
    broken.push({ rule: 'an unknown parameter', value: undefined, query: { unexpected: '1' } });
  }
  for (const { rule, value, query } of broken) {
    const body = query ? await subject.validBody(1) : value;
    const sent = await subject.request(`breaks ${rule}`, { body, ...(query ? { query } : {}) });
    expect(
      [sent.status >= 400 && sent.status < 500, sent.type],
      `accepted though it breaks ${rule}: ${JSON.stringify(body ?? query).slice(0, 200)} → ${sent.status}`,
    ).toEqual([true, 'application/problem+json']);
  }
}
