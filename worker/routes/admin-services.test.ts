// The operator API's services: origins stored as browsers send them, the privacy link through to
// the widget's configuration, and each change in the department's audit log.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { auditEvents, serviceOrigins, services } from '../db/schema';
import worker from '../index';
import { TEST_OPERATOR_TOKEN } from '../test/constants';
import { seed } from '../test/seed';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

async function call(method: string, path: string, body?: unknown) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://tellus.test${path}`, {
      method,
      headers: { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const newService = { id: 'garden-waste', department_id: 'waste', name: 'Garden waste' };
const audit = () =>
  db
    .select({
      actor: auditEvents.actor,
      action: auditEvents.action,
      subject: auditEvents.subject,
      before: auditEvents.before,
      after: auditEvents.after,
    })
    .from(auditEvents)
    .orderBy(auditEvents.id);

describe('POST /v1/admin/services', () => {
  it('stores origins as browsers send them: lowercase, punycode, no default port or trailing /', async () => {
    const res = await call('POST', '/v1/admin/services', {
      ...newService,
      origins: ['https://Bücher.example/', 'https://WWW.Anytown.example.gov.uk:443'],
    });
    expect(res.status).toBe(201);
    expect(res.body.origins).toEqual(['https://xn--bcher-kva.example', 'https://www.anytown.example.gov.uk']);
    const stored = await db
      .select({ origin: serviceOrigins.origin })
      .from(serviceOrigins)
      .where(eq(serviceOrigins.serviceId, 'garden-waste'));
    expect(stored.map((row) => row.origin).sort()).toEqual([
      'https://www.anytown.example.gov.uk',
      'https://xn--bcher-kva.example',
    ]);
  });

  it.each([
    ['plain http', ['http://www.anytown.example.gov.uk'], 'only localhost may use http://'],
    ['a path', ['https://www.anytown.example.gov.uk/bins'], 'has a path'],
    ['a wildcard', ['https://*.anytown.example.gov.uk'], 'has a wildcard'],
    ['the same origin twice', ['https://a.example', 'https://A.example/'], 'each origin may be given once'],
  ])('refuses %s with 422, the same rules as the console, and stores nothing', async (_, origins, why) => {
    const res = await call('POST', '/v1/admin/services', { ...newService, origins });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.errors)).toContain(why);
    expect(await db.select().from(services).where(eq(services.id, 'garden-waste'))).toEqual([]);
    expect(await audit()).toEqual([]);
  });

  it('writes the service and each origin to the audit log, by the operator', async () => {
    await call('POST', '/v1/admin/services', { ...newService, origins: ['https://a.example'] });
    expect(await audit()).toEqual([
      {
        actor: 'operator',
        action: 'service.created',
        subject: 'garden-waste',
        before: null,
        after: expect.objectContaining({
          name: 'Garden waste',
          origins: ['https://a.example'],
          turnstile: 'off',
        }),
      },
      {
        actor: 'operator',
        action: 'origin.added',
        subject: 'garden-waste',
        before: null,
        after: { origin: 'https://a.example' },
      },
    ]);
  });
});

describe('the privacy link', () => {
  const config = async (id: string) =>
    (await (
      await worker.fetch(new Request(`https://tellus.test/v1/services/${id}/widget`), env)
    ).json()) as Record<string, unknown>;

  it('goes from the operator API to the widget’s configuration, and null takes it away', async () => {
    const link = 'https://www.anytown.example.gov.uk/privacy/garden-waste';
    expect(
      (await call('POST', '/v1/admin/services', { ...newService, privacy_url: link })).body,
    ).toMatchObject({ privacyUrl: link });
    expect(await config('garden-waste')).toMatchObject({ privacy_url: link });

    const changed = await call('PATCH', '/v1/admin/services/garden-waste', { privacy_url: null });
    expect(changed.body).toMatchObject({ privacyUrl: null });
    expect(await config('garden-waste')).not.toHaveProperty('privacy_url');
  });

  it('must be an https address', async () => {
    const res = await call('PATCH', '/v1/admin/services/missed-bin-collection', {
      privacy_url: 'http://www.anytown.example.gov.uk/privacy',
    });
    expect(res.status).toBe(422);
    expect((await config('missed-bin-collection')).privacy_url).toBeUndefined();
  });
});

describe('PATCH /v1/admin/services/:id', () => {
  it('writes what changed to the audit log, Turnstile as on or off and never its secret', async () => {
    await call('PATCH', '/v1/admin/services/missed-bin-collection', {
      name: 'Report a missed bin',
      turnstile: { sitekey: '1x00000000000000000000AA', secret: 'a-secret-never-logged' },
    });
    await call('PATCH', '/v1/admin/services/missed-bin-collection', {
      turnstile: { sitekey: '1x00000000000000000000AA', secret: 'another-secret' },
    });
    await call('PATCH', '/v1/admin/services/missed-bin-collection', { name: 'Report a missed bin' });
    const entries = await audit();
    expect(entries).toEqual([
      {
        actor: 'operator',
        action: 'service.updated',
        subject: 'missed-bin-collection',
        before: { name: 'Report a missed bin collection', turnstile: 'off', turnstile_sitekey: null },
        after: {
          name: 'Report a missed bin',
          turnstile: 'on',
          turnstile_sitekey: '1x00000000000000000000AA',
        },
      },
      {
        actor: 'operator',
        action: 'service.updated',
        subject: 'missed-bin-collection',
        before: {},
        after: { turnstile_secret: 'replaced' },
      },
    ]);
    expect(JSON.stringify(entries)).not.toContain('secret-never-logged');
    expect(JSON.stringify(entries)).not.toContain('another-secret');
  });
});

describe('an unchanged service', () => {
  it('writes nothing to the audit log, whatever the order its wording is given in', async () => {
    const wording = { en: { signposting: 'Not for emergencies.', storyHint: 'No names, please.' } };
    await call('PATCH', '/v1/admin/services/missed-bin-collection', { wording });
    await call('PATCH', '/v1/admin/services/missed-bin-collection', {
      wording: { en: { storyHint: 'No names, please.', signposting: 'Not for emergencies.' } },
      name: 'Report a missed bin collection',
    });
    expect((await audit()).map((entry) => entry.action)).toEqual(['service.updated']);
  });
});

describe('changes at the same moment', () => {
  /** A D1 binding that runs `meanwhile` just before the worker's next batch, as a second request would. */
  function raceBefore(d1: D1Database, meanwhile: () => Promise<unknown>): D1Database {
    let raced = false;
    return new Proxy(d1, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop !== 'batch' || typeof value !== 'function')
          return typeof value === 'function' ? value.bind(target) : value;
        return async (statements: D1PreparedStatement[]) => {
          if (!raced) {
            raced = true;
            await meanwhile();
          }
          return value.call(target, statements);
        };
      },
    });
  }

  it('keeps a Turnstile secret replaced meanwhile when a service’s name is changed', async () => {
    await db
      .update(services)
      .set({ turnstileSitekey: '1x00000000000000000000AA', turnstileSecret: 'old-secret' })
      .where(eq(services.id, 'missed-bin-collection'));
    const { changeService } = await import('../db/services');
    const { createDb } = await import('../db/client');
    const racing = createDb(
      raceBefore(env.DB, () =>
        db
          .update(services)
          .set({ turnstileSecret: 'new-secret' })
          .where(eq(services.id, 'missed-bin-collection')),
      ),
    );
    await changeService(racing, 'missed-bin-collection', { name: 'Missed bins' }, { actor: 'operator' });
    expect(
      await db.select().from(services).where(eq(services.id, 'missed-bin-collection')).get(),
    ).toMatchObject({
      name: 'Missed bins',
      turnstileSecret: 'new-secret',
    });
  });

  it('logs one removal when an origin is removed twice at once', async () => {
    const { removeOrigin } = await import('../db/services');
    const service = { id: 'missed-bin-collection', departmentId: 'waste' };
    const origin = 'https://www.anytown.example.gov.uk';
    const results = await Promise.all([
      removeOrigin(db, service, origin, { actor: 'operator' }),
      removeOrigin(db, service, origin, { actor: 'operator' }),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect((await audit()).filter((e) => e.action === 'origin.removed')).toHaveLength(1);
  });
});
