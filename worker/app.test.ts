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
    expect(res.headers.get('Allow')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 405, code: 'method-not-allowed' });
  });

  it('reports liveness at /healthz', async () => {
    const res = await exports.default.fetch('https://tellus.test/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('publishes a versioned, immutable copy of the widget with its Subresource Integrity hash', async () => {
    const manifest = await exports.default.fetch('https://tellus.test/v1/widget.json');
    expect(manifest.status).toBe(200);
    const { src, integrity } = (await manifest.json()) as { src: string; integrity: string };
    expect(src).toMatch(/^\/v1\/widget\.[0-9a-f]{12}\.js$/);
    const versioned = await exports.default.fetch(`https://tellus.test${src}`);
    expect(versioned.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(versioned.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const bytes = await versioned.arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', bytes));
    expect(integrity).toBe(`sha384-${btoa(String.fromCharCode(...digest))}`);
    const latest = await (await exports.default.fetch('https://tellus.test/v1/widget.js')).arrayBuffer();
    expect(new Uint8Array(latest)).toEqual(new Uint8Array(bytes));
    expect((await exports.default.fetch('https://tellus.test/v1/widget.000000000000.js')).status).toBe(404);
  });

  it('publishes every part of the widget immutable, each matching the hash widget.js pins it by', async () => {
    const { parts } = (await (await exports.default.fetch('https://tellus.test/v1/widget.json')).json()) as {
      parts: Record<string, { src: string; integrity: string }>;
    };
    expect(Object.keys(parts).sort()).toEqual([
      'cy',
      'dialog',
      'outbox',
      'preview',
      'receipts',
      'stories',
      'turnstile',
    ]);
    const widget = await (await exports.default.fetch('https://tellus.test/v1/widget.js')).text();
    for (const [name, { src, integrity }] of Object.entries(parts)) {
      const res = await exports.default.fetch(`https://tellus.test${src}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', await res.arrayBuffer()));
      expect(integrity).toBe(`sha384-${btoa(String.fromCharCode(...digest))}`);
      // widget.js carries the same file name and hash, so pinning it pins the part.
      expect(widget).toContain(src.slice('/v1/'.length));
      expect(widget).toContain(integrity);
    }
  });

  it('serves the widget to any origin, cached briefly', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/javascript/);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    // Short: it names its release's parts, which the next release replaces.
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300, stale-while-revalidate=3600');
    expect(await res.text()).toContain('Tellus');
  });
});
