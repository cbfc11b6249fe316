// The OpenAPI document against the app and the shared schemas: every route it serves is described,
// every example passes, and the document and the schemas the worker validates with agree: what
// the document allows the schema takes, and each rule the worker enforces the document states.
import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { STORY_MAX_LENGTH } from '../shared';
import { app } from './app';
import { BODY_SCHEMAS, jsonSchema, OPERATIONS, QUERIES } from './openapi';
import { documentFor, type JsonSchema } from './test/api-document';

const oracle = documentFor();
const bodySchema = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with generated schemas', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as typeof oracle.doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.FeedbackSubmission).toMatchObject({
      required: expect.arrayContaining(['service', 'rating', 'idempotency_key', 'token']),
    });
    expect(doc.paths['/v1/feedback']).toHaveProperty('post.requestBody.content.text/plain');
  });

  it('describes every route the app serves', () => {
    const served = new Set(
      app.routes
        // The console's pages are HTML for people, not the API.
        .filter(
          (route) =>
            route.method !== 'ALL' && !route.path.includes(':file') && !route.path.startsWith('/console'),
        )
        .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`),
    );
    const described = new Set(
      Object.entries(OPERATIONS).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method} ${path}`),
      ),
    );
    // The widget's files are one route in the app (a pattern), two in the document.
    described.delete('get /v1/widget.js');
    described.delete('get /v1/widget.json');
    expect([...served].filter((route) => !described.has(route))).toEqual([]);
    expect([...described].filter((route) => !served.has(route))).toEqual([]);
  });

  it('gives every operation an id, a success with a schema, and problem+json for every error', () => {
    for (const { path, method, op } of oracle.operations()) {
      const statuses = Object.keys(op.responses).map(Number);
      expect(
        statuses.some((status) => status < 300),
        `${method} ${path}`,
      ).toBe(true);
      for (const [status, answer] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(answer.content ?? {})) {
          if (type.includes('json'))
            expect(media.schema, `${method} ${path} ${status} ${type}`).toBeDefined();
        }
        if (Number(status) >= 400 && !answer.content?.['text/html']) {
          expect(Object.keys(answer.content ?? {}), `${method} ${path} ${status}`).toEqual([
            'application/problem+json',
          ]);
        }
      }
    }
  });

  it('has examples that the document and the shared schemas accept', () => {
    const examples = Object.values(OPERATIONS).flatMap((methods) =>
      Object.values(methods).flatMap((op) => (op.body ? [op.body] : [])),
    );
    expect(examples.length).toBeGreaterThan(5);
    for (const { schema, example } of examples) {
      expect(oracle.errors(bodySchema(schema), example), schema).toBeUndefined();
      const result = v.safeParse(BODY_SCHEMAS[schema], example);
      expect(result.issues, `${schema}: ${JSON.stringify(example)}`).toBeUndefined();
    }
  });
});

/** Every `v.check` in a schema, and whether its pipe says in `v.metadata` what it checks. */
function checks(schema: unknown, path = ''): { path: string; described: boolean }[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const found: { path: string; described: boolean }[] = [];
  const pipe = (node.pipe as { type: string; kind: string }[] | undefined) ?? [];
  pipe.forEach((item, index) => {
    if (item.kind === 'validation' && item.type === 'check') {
      // Before or after it: a check after a transform describes the input the metadata comes before.
      found.push({ path, described: pipe.some((other, at) => at !== index && other.type === 'metadata') });
    }
  });
  for (const [key, child] of Object.entries(node.entries ?? {}))
    found.push(...checks(child, `${path}/${key}`));
  for (const key of ['wrapped', 'item'] as const) found.push(...checks(node[key], path));
  for (const item of pipe.slice(1)) if (item.kind === 'schema') found.push(...checks(item, path));
  return found;
}

describe('the document and the shared schemas', () => {
  const named = Object.entries(BODY_SCHEMAS);
  const parameters = Object.values(QUERIES).flat();

  it('say beside every check in code what it checks, as JSON Schema', () => {
    const all = [
      ...named.flatMap(([name, schema]) => checks(schema, name)),
      ...parameters.flatMap(({ name, schema }) => checks(schema, `?${name}`)),
    ];
    expect(all.length).toBeGreaterThan(4);
    expect(all.filter((check) => !check.described).map((check) => check.path)).toEqual([]);
  });

  it.each(named)('%s: every body the document allows, the schema takes', (name, schema) => {
    for (let seed = 1; seed <= 40; seed++) {
      const body = oracle.sample(bodySchema(name), seed, seed % 4 === 0 ? 'none' : seed % 2 ? 'all' : 'some');
      const result = v.safeParse(schema, body);
      expect(
        result.issues?.map((issue) => issue.message),
        JSON.stringify(body),
      ).toBeUndefined();
    }
  });

  it.each(named)(
    '%s: any field the document allows, whatever its value, the schema takes',
    (name, schema) => {
      const base = oracle.sample(bodySchema(name), 1, 'all') as Record<string, unknown>;
      fc.assert(
        fc.property(fc.constantFrom(...Object.keys(base)), awkwardValue, (field, value) => {
          const body = { ...base, [field]: value };
          if (oracle.errors(bodySchema(name), body) !== undefined) return;
          const result = v.safeParse(schema, body);
          expect(
            result.issues?.map((issue) => issue.message),
            JSON.stringify(body),
          ).toBeUndefined();
        }),
        { seed: 14, numRuns: 400 },
      );
    },
  );

  it.each(parameters.map((parameter) => [parameter.name, parameter] as const))(
    '?%s: any value the document allows, the schema takes',
    (_, { schema }) => {
      const documented = oracle.validator(jsonSchema(schema));
      fc.assert(
        fc.property(fc.oneof(awkwardString, queryLike), (value) => {
          if (!documented(value)) return;
          expect(v.safeParse(schema, value).issues, JSON.stringify(value)).toBeUndefined();
        }),
        { seed: 14, numRuns: 400 },
      );
    },
  );

  const submission = {
    service: 'missed-bin-collection',
    rating: 4,
    idempotency_key: '3f0c2a9e7b5d4c1a8e6f0b2d4a6c8e0f',
    token: 'x',
  };
  const subscription = { department_id: 'waste', kind: 'webhook', target: 'https://hooks.example.gov.uk/in' };
  const service = { id: 'bins', department_id: 'waste', name: 'Bins' };
  const site = 'https://www.anytown.example.gov.uk';
  it.each([
    ['FeedbackSubmission', 'a rating of 2.5', { ...submission, rating: 2.5 }],
    ['FeedbackSubmission', 'a rating of 0', { ...submission, rating: 0 }],
    ['FeedbackSubmission', 'a rating of 6', { ...submission, rating: 6 }],
    ['FeedbackSubmission', 'a story too long', { ...submission, story: 'a'.repeat(STORY_MAX_LENGTH + 1) }],
    ['FeedbackSubmission', 'a bell in the story', { ...submission, story: 'a\u0007b' }],
    [
      'FeedbackSubmission',
      'an escaped line break in the page',
      { ...submission, page: '/apply%0d%0aBcc:%20x' },
    ],
    ['FeedbackSubmission', 'no token', { ...submission, token: undefined }],
    ['FeedbackSubmission', 'a filled honeypot', { ...submission, website: 'https://cheap-pills.example' }],
    ['FeedbackChange', 'a tag with İ, which lower case makes two characters', { tags: ['İstanbul'] }],
    ['NewAnswer', 'changed without the change', { text: 'We fixed it.', changed: true }],
    ['NewAnswer', 'a blank text', { text: '   ' }],
    ['NewSubscription', 'an http webhook', { ...subscription, target: 'http://hooks.example.gov.uk/in' }],
    ['NewSubscription', 'a webhook to an IP address', { ...subscription, target: 'https://10.0.0.1/in' }],
    [
      'NewSubscription',
      'a webhook to a private name',
      { ...subscription, target: 'https://printer.local/in' },
    ],
    ['NewSubscription', 'a relative webhook URL', { ...subscription, target: '/relative' }],
    ['NewService', 'an http origin', { ...service, origins: ['http://www.anytown.example.gov.uk'] }],
    ['NewService', 'an origin with a path', { ...service, origins: [`${site}/bins`] }],
    ['NewService', 'a wildcard origin', { ...service, origins: ['https://*.anytown.example.gov.uk'] }],
    ['NewService', 'the same origin twice', { ...service, origins: [site, site] }],
    [
      'NewService',
      'an http privacy link',
      { ...service, privacy_url: 'http://www.anytown.example.gov.uk/p' },
    ],
    ['ServiceUpdate', 'a privacy link that is no address', { privacy_url: 'our privacy notice' }],
    ['NewSubscription', 'a daily webhook', { ...subscription, mode: 'daily' }],
    ['NewSubscription', 'a daily Teams channel', { ...subscription, kind: 'teams', mode: 'daily' }],
    ['NewSubscription', 'a daily Slack channel', { ...subscription, kind: 'slack', mode: 'daily' }],
    [
      'NewSubscription',
      'an http Slack URL',
      { ...subscription, kind: 'slack', target: 'http://hooks.slack.com/services/T0/B0/x' },
    ],
    ['NewSubscription', 'a kind it does not know', { ...subscription, kind: 'discord' }],
    [
      'NewSubscription',
      'an email to no address',
      { ...subscription, kind: 'email', target: 'not an address' },
    ],
  ])('%s: the document refuses %s, as the worker does', (name, _, body) => {
    expect(oracle.errors(bodySchema(name), JSON.parse(JSON.stringify(body)))).toBeDefined();
  });

  it.each([
    [
      'teams',
      'https://prod-12.westeurope.logic.azure.com:443/workflows/8f3c/triggers/manual/paths/invoke?sig=x',
    ],
    ['slack', 'https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/aBcDeFgHiJkL'],
  ])('NewSubscription: the document allows a %s channel, as the worker does', (kind, target) => {
    const body = { ...subscription, kind, target, min_severity: 'urgent', max_rating: 2 };
    expect(oracle.errors(bodySchema('NewSubscription'), body)).toBeUndefined();
    expect(v.safeParse(BODY_SCHEMAS.NewSubscription, body).issues).toBeUndefined();
  });

  const parameter = (name: string) =>
    jsonSchema(QUERIES.feedback.find((p) => p.name === name)?.schema ?? v.never());
  it.each([
    ['limit', '101'],
    ['limit', '0'],
    ['rating_min', '0'],
    ['rating_max', '6'],
    ['rating_min', '4.5'],
    ['since', '2026-11-26T09:00:00+01'],
    ['cursor', 'urn:uuid:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'],
    ['q', '   '],
  ])('?%s: the document refuses %j, as the worker does', (name, value) => {
    expect(oracle.validator(parameter(name))(value)).toBe(false);
  });
});

/** Strings that break naive rules: blanks, control characters, lone surrogates, long ones. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2028', '%', '0', 'A', '\u0000'),
    maxLength: 8,
  }),
  fc.integer({ min: 0, max: 2100 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('', ' ', 'İ', 'https://hooks.example.gov.uk/x', 'a@b.co', '/page', '%0a', '/%0A'),
);
/** Query-string-shaped strings: numbers, times and ids, nearly right and not. */
const queryLike = fc.oneof(
  fc.integer({ min: -5, max: 200 }).map(String),
  fc.constantFrom(
    '007',
    '1e2',
    '3.0',
    ' 3',
    '2026-11-26T09:00:00Z',
    '2026-11-26t09:00:00z',
    '2026-11-26T09:00:00+0100',
  ),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
);
/** Any JSON a client might send for one field. */
const awkwardValue = fc.oneof(
  awkwardString,
  queryLike,
  fc.integer({ min: -10, max: 4000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(awkwardString, fc.integer()), { maxLength: 25 }),
  fc.dictionary(fc.constantFrom('en', 'cy', 'storyHint', 'signposting', 'sitekey', 'secret'), awkwardString),
);
