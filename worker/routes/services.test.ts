import { exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { departments, services } from '../db/schema';
import { checkFormToken } from '../spam/form-token';
import { TEST_TELLUS_SECRET, TURNSTILE_TEST_SECRETS } from '../test/constants';
import { seed } from '../test/seed';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

describe('GET /v1/services/:id/widget', () => {
  it("gives any page the service's own wording and a fresh form token, uncached and without cookies", async () => {
    const wording = {
      en: { signposting: 'Not for emergencies: call 999. To complain, use our complaints form.' },
    };
    await db.update(services).set({ wording }).where(eq(services.id, 'missed-bin-collection'));
    const res = await exports.default.fetch('https://tellus.test/v1/services/missed-bin-collection/widget', {
      headers: { Origin: 'https://any.example.org' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { messages: unknown; token: string };
    expect(body).toEqual({
      messages: wording,
      token: expect.stringMatching(/^\d{13}\.[\w-]{22}\.[\w-]{43}$/),
      retention_days: 365,
    });
    expect(
      await checkFormToken(TEST_TELLUS_SECRET, 'missed-bin-collection', body.token, Date.now(), 0),
    ).toEqual({ state: 'ok' });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('gives no wording for a service that set none, so the widget keeps its own', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/services/bulky-waste/widget');
    expect(await res.json()).toMatchObject({ messages: {} });
  });

  it('tells citizens, in the hint, that a publishing service may publish their story', async () => {
    await db.update(services).set({ publishing: true }).where(eq(services.id, 'missed-bin-collection'));
    const res = await exports.default.fetch('https://tellus.test/v1/services/missed-bin-collection/widget');
    const { messages } = (await res.json()) as { messages: Record<string, { storyHint: string }> };
    expect(messages.en?.storyHint).toContain('may be published on this site with the team’s answer');
    expect(messages.en?.storyHint).toMatch(/^Do not include personal details/);
    expect(messages.cy?.storyHint).toContain('heb fanylion personol');
  });

  it("gives the department's retention in days, so the widget keeps a receipt no longer than the story", async () => {
    await db.insert(departments).values({
      id: 'parking',
      name: 'Parking Services',
      contactEmail: 'parking@anytown.example.gov.uk',
      retentionDays: 90,
    });
    await db
      .insert(services)
      .values({ id: 'parking-permit', departmentId: 'parking', name: 'Apply for a permit' });
    const short = await exports.default.fetch('https://tellus.test/v1/services/parking-permit/widget');
    expect(short.status).toBe(200);
    expect(await short.json()).toMatchObject({ retention_days: 90 });
    // A change of retention shows at once, for that department's services only.
    await db.update(departments).set({ retentionDays: 30 }).where(eq(departments.id, 'waste'));
    const waste = await exports.default.fetch('https://tellus.test/v1/services/bulky-waste/widget');
    expect(await waste.json()).toMatchObject({ retention_days: 30 });
    const again = await exports.default.fetch('https://tellus.test/v1/services/parking-permit/widget');
    expect(await again.json()).toMatchObject({ retention_days: 90 });
  });

  it("gives Turnstile's site key only for a service that turned Turnstile on", async () => {
    const before = await exports.default.fetch(
      'https://tellus.test/v1/services/missed-bin-collection/widget',
    );
    expect(await before.json()).not.toHaveProperty('turnstile');
    await db
      .update(services)
      .set({ turnstileSitekey: '1x00000000000000000000AA', turnstileSecret: TURNSTILE_TEST_SECRETS.pass })
      .where(eq(services.id, 'missed-bin-collection'));
    const after = await exports.default.fetch('https://tellus.test/v1/services/missed-bin-collection/widget');
    const body = await after.json();
    expect(body).toMatchObject({
      turnstile: {
        sitekey: '1x00000000000000000000AA',
        script: 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit',
      },
    });
    expect(JSON.stringify(body)).not.toContain(TURNSTILE_TEST_SECRETS.pass);
  });

  it('answers 404 problem+json for a service nobody registered', async () => {
    const res = await exports.default.fetch('https://tellus.test/v1/services/no-such-service/widget');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'service-not-found' });
  });
});
