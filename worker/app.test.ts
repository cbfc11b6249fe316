import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('the worker', () => {
  it('answers an unknown route with 404 problem+json, not HTML', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'not-found' });
  });

  it('answers a method the route does not serve with 405 problem+json and Allow', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/feedback', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('POST, OPTIONS');
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 405, code: 'method-not-allowed' });
  });

  it('reports liveness at /healthz', async () => {
    const res = await exports.default.fetch('https://tellus.test/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the widget to any origin with a long cache', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/javascript/);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Cache-Control')).toMatch(/max-age=\d{5,}/);
    expect(await res.text()).toContain('Tellus');
  });
});
