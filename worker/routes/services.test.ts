import { exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { services } from '../db/schema';
import { seed } from '../test/seed';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

describe('GET /v1/services/:id/widget', () => {
  it("gives any page the service's own wording, cacheable and without cookies", async () => {
    const wording = {
      en: { signposting: 'Not for emergencies: call 999. To complain, use our complaints form.' },
    };
    await db.update(services).set({ wording }).where(eq(services.id, 'missed-bin-collection'));
    const res = await exports.default.fetch('https://tellus.test/v1/services/missed-bin-collection/widget', {
      headers: { Origin: 'https://any.example.org' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ messages: wording });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('gives no wording for a service that set none, so the widget keeps its own', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/services/bulky-waste/widget');
    expect(await res.json()).toEqual({ messages: {} });
  });

  it('answers 404 problem+json for a service nobody registered', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/services/no-such-service/widget');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'service-not-found' });
  });
});
