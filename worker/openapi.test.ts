// The OpenAPI document against the app itself: every route it serves is described, and every
// example validates against the shared schema the worker checks that body with.
import { exports } from 'cloudflare:workers';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { app } from './app';
import { BODY_SCHEMAS, OPERATIONS } from './openapi';

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with generated schemas', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.schemas.FeedbackSubmission?.properties ?? {})).toEqual(
      expect.arrayContaining(['service', 'rating', 'story', 'idempotency_key', 'token']),
    );
    expect(doc.paths['/v1/feedback']).toHaveProperty('post.requestBody');
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

  it('has examples that the shared schemas accept', () => {
    const examples = Object.values(OPERATIONS).flatMap((methods) =>
      Object.values(methods).flatMap((op) => (op.body ? [op.body] : [])),
    );
    expect(examples.length).toBeGreaterThan(5);
    for (const { schema, example } of examples) {
      const result = v.safeParse(BODY_SCHEMAS[schema], example);
      expect(result.issues, `${schema}: ${JSON.stringify(example)}`).toBeUndefined();
    }
  });
});
