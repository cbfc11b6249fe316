import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client';
import { deliveries, subscriptions } from '../db/schema';
import { consumeRetries } from '../delivery/handlers';
import { newId } from '../ids';
import worker from '../index';
import { TEST_OPERATOR_TOKEN } from '../test/constants';
import { addWebhook, received, seed, submitStory } from '../test/seed';
import { failedDeliveriesLimit } from './admin';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

async function call(method: string, path: string, body?: unknown, token = TEST_OPERATOR_TOKEN) {
  const ctx = createExecutionContext();
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await worker.fetch(
    new Request(`https://tellus.test${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('the operator API', () => {
  it.each([
    ['no token', ''],
    ['a wrong token', 'not-the-token'],
  ])('answers 401 problem+json with a challenge for %s', async (_, token) => {
    const res = await call('GET', '/v1/admin/departments', undefined, token);
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ code: 'unauthorized' });
  });

  it('registers a department and a service with its origins, and lists them', async () => {
    const department = await call('POST', '/v1/admin/departments', {
      id: 'parking',
      name: 'Parking Services',
      contact_email: 'parking@anytown.example.gov.uk',
    });
    expect(department.status).toBe(201);
    const service = await call('POST', '/v1/admin/services', {
      id: 'resident-permits',
      department_id: 'parking',
      name: 'Apply for a resident parking permit',
      origins: ['https://www.anytown.example.gov.uk', 'http://localhost:8787'],
    });
    expect(service.status).toBe(201);
    const list = await call('GET', '/v1/admin/services');
    expect(list.body.services).toContainEqual(
      expect.objectContaining({
        id: 'resident-permits',
        departmentId: 'parking',
        origins: ['https://www.anytown.example.gov.uk', 'http://localhost:8787'],
      }),
    );
    expect((await call('GET', '/v1/admin/departments')).body.departments).toContainEqual(
      expect.objectContaining({
        id: 'parking',
        contactEmail: 'parking@anytown.example.gov.uk',
        retentionDays: 365,
      }),
    );
  });

  it('refuses duplicates with 409, and bad input with 422 naming the field', async () => {
    const dup = await call('POST', '/v1/admin/departments', {
      id: 'waste',
      name: 'Again',
      contact_email: 'a@b.example',
    });
    expect(dup).toMatchObject({ status: 409, body: { code: 'conflict' } });
    const badOrigin = await call('POST', '/v1/admin/services', {
      id: 'x',
      department_id: 'waste',
      name: 'X',
      origins: ['https://www.anytown.example.gov.uk/path'],
    });
    expect(badOrigin.status).toBe(422);
    expect(badOrigin.body.errors).toContainEqual(expect.objectContaining({ pointer: '/origins/0' }));
    const unknownDepartment = await call('POST', '/v1/admin/services', {
      id: 'y',
      department_id: 'nobody',
      name: 'Y',
    });
    expect(unknownDepartment.body.errors).toContainEqual(expect.objectContaining({ field: 'department_id' }));
  });

  it("sets a service's own wording for its widget, per language, and refuses wording it cannot show", async () => {
    const wording = {
      en: { signposting: 'Not for emergencies. To complain, use the complaints form on this site.' },
      cy: { storyHint: 'Peidiwch â chynnwys eich enw na’ch cyfeiriad.' },
    };
    const updated = await call('PATCH', '/v1/admin/services/missed-bin-collection', { wording });
    expect(updated).toMatchObject({ status: 200, body: { id: 'missed-bin-collection', wording } });
    expect((await call('GET', '/v1/admin/services')).body.services).toContainEqual(
      expect.objectContaining({ id: 'missed-bin-collection', wording }),
    );

    const tooLong = await call('PATCH', '/v1/admin/services/missed-bin-collection', {
      wording: { en: { signposting: 'x'.repeat(301) } },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors).toContainEqual(
      expect.objectContaining({ pointer: '/wording/en/signposting' }),
    );
    const unknownKey = await call('PATCH', '/v1/admin/services/missed-bin-collection', {
      wording: { fr: { signposting: 'Pas pour les urgences' } },
    });
    expect(unknownKey.status).toBe(422);
    expect((await call('GET', '/v1/admin/services')).body.services).toContainEqual(
      expect.objectContaining({ id: 'missed-bin-collection', wording }),
    );
    expect((await call('PATCH', '/v1/admin/services/nothing-here', { wording })).status).toBe(404);
  });

  it('creates a webhook subscription, shows its secret once, and never lists it', async () => {
    const created = await call('POST', '/v1/admin/subscriptions', {
      department_id: 'waste',
      kind: 'webhook',
      target: 'https://hooks.anytown.example.gov.uk/tellus',
      min_severity: 'urgent',
      max_rating: 2,
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body).toMatchObject({
      kind: 'webhook',
      minSeverity: 'urgent',
      maxRating: 2,
      mode: 'each',
      state: 'active',
    });
    const listed = await call('GET', '/v1/admin/subscriptions?department=waste');
    expect(JSON.stringify(listed.body)).not.toContain(String(created.body.secret));
    expect(listed.body.subscriptions).toEqual([
      expect.objectContaining({ id: created.body.id, hasSecret: true }),
    ]);
  });

  it.each([
    [{ kind: 'webhook', target: 'http://hooks.example.org/x' }, 'target', 'must use https'],
    [{ kind: 'webhook', target: 'https://10.1.2.3/x' }, 'target', 'IP address'],
    [{ kind: 'webhook', target: 'https://hooks.example.org/x', mode: 'daily' }, 'mode', 'each'],
    [{ kind: 'email', target: 'not-an-address' }, 'target', 'email'],
  ])('refuses the subscription %j', async (fields, field, words) => {
    const res = await call('POST', '/v1/admin/subscriptions', { department_id: 'waste', ...fields });
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({ field, detail: expect.stringContaining(words) }),
    );
  });

  it('sends a test event that the receiver verifies', async () => {
    const id = await addWebhook(db, `box-${newId()}`, '200');
    const box =
      (await db.select().from(subscriptions).where(eq(subscriptions.id, id)).get())?.target.split('/')[4] ??
      '';
    const res = await call('POST', `/v1/admin/subscriptions/${id}/test`);
    expect(res.body).toMatchObject({ ok: true, status: 200 });
    expect(await received(box)).toEqual([
      expect.objectContaining({ verified: true, body: expect.objectContaining({ type: 'tellus.test' }) }),
    ]);
  });

  it('rotates a secret and keeps signing with the old one too, so receivers can switch over', async () => {
    const box = `box-${newId()}`;
    const id = await addWebhook(db, box, '200');
    const rotated = await call('POST', `/v1/admin/subscriptions/${id}/rotate-secret`);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    await call('POST', `/v1/admin/subscriptions/${id}/test`);
    const [got] = await received(box);
    expect(got?.verified).toBe(true);
    expect(got?.signature?.split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': got?.id ?? '',
      'webhook-timestamp': got?.timestamp ?? '',
      'webhook-signature': got?.signature ?? '',
    };
    expect(() => new Webhook(String(rotated.body.secret)).verify(got?.raw ?? '', headers)).not.toThrow();

    const again = await call('POST', `/v1/admin/subscriptions/${id}/rotate-secret`);
    expect(again).toMatchObject({ status: 409, body: { code: 'conflict' } });
  });

  it('lists failed deliveries and replays them', async () => {
    const box = `box-${newId()}`;
    const id = await addWebhook(db, box, '500,200');
    await submitStory(undefined, { rating: 1 });
    const failed = await call('GET', `/v1/admin/deliveries/failed?subscription=${id}`);
    const [delivery] = failed.body.deliveries as { id: string; lastStatus: number }[];
    expect(delivery).toMatchObject({ lastStatus: 500 });
    const replay = await call('POST', `/v1/admin/deliveries/${delivery?.id}/replay`);
    expect(replay.body).toMatchObject({ outcome: 'delivered' });
    expect((await call('GET', `/v1/admin/deliveries/failed?subscription=${id}`)).body.deliveries).toEqual([]);
    const attempts = await call('GET', `/v1/admin/deliveries/${delivery?.id}/attempts`);
    expect((attempts.body.attempts as { status: number }[]).map((a) => a.status)).toEqual([500, 200]);
  });

  it('reads a failed-deliveries limit that is not a positive number as 100, never as no limit', async () => {
    expect([undefined, '-1', '0', 'x', '2', '9999'].map(failedDeliveriesLimit)).toEqual([
      100, 100, 100, 100, 2, 500,
    ]);
    const box = `box-${newId()}`;
    const id = await addWebhook(db, box, '500');
    for (let i = 0; i < 3; i++) await submitStory(undefined, { rating: 1 });
    const listed = async (limit: string) =>
      (
        (await call('GET', `/v1/admin/deliveries/failed?subscription=${id}&limit=${limit}`)).body
          .deliveries as unknown[]
      ).length;
    expect(await listed('2')).toBe(2);
    expect(await listed('-1')).toBe(3);
  });

  it('re-enables a disabled subscription and replays what waited through the queue', async () => {
    const box = `box-${newId()}`;
    const id = await addWebhook(db, box, '200', { state: 'disabled', disabledReason: '410' });
    const storyIds = [await submitStory('One.', { rating: 3 }), await submitStory('Two.', { rating: 3 })];
    const waiting = storyIds.map((feedbackId) => ({
      id: newId(),
      feedbackId,
      subscriptionId: id,
      kind: 'each' as const,
      dueAt: new Date(Date.now() + 3600_000).toISOString(),
    }));
    await db.insert(deliveries).values(waiting);
    expect((await call('POST', `/v1/admin/subscriptions/${id}/enable`)).body).toMatchObject({
      state: 'active',
      disabledReason: null,
    });
    const enqueued = vi.spyOn(env.DELIVERIES, 'sendBatch');
    const replay = await call('POST', `/v1/admin/subscriptions/${id}/replay`);
    expect(replay).toMatchObject({ status: 202, body: { due: 2 } });
    // Each delivery is a queue message at once, not left for the minute sweep.
    const messages = enqueued.mock.calls.flatMap(([batch]) => [...batch]);
    expect(messages.map((m) => (m.body as { deliveryId: string }).deliveryId).sort()).toEqual(
      waiting.map((w) => w.id).sort(),
    );
    await consumeRetries(
      { queue: 'q', messages: messages.map(({ body }) => ({ body, ack() {}, retry() {} })) } as never,
      env,
    );
    expect(await received(box)).toHaveLength(2);
  });

  it('adds console members, refuses a second of the same address, and removes them', async () => {
    const added = await call('POST', '/v1/admin/departments/waste/members', {
      email: ' Ward.Manager@Anytown.example.gov.uk ',
    });
    expect(added).toMatchObject({
      status: 201,
      body: { departmentId: 'waste', email: 'ward.manager@anytown.example.gov.uk' },
    });
    const again = await call('POST', '/v1/admin/departments/waste/members', {
      email: 'ward.manager@anytown.example.gov.uk',
    });
    expect(again.status).toBe(409);
    expect(
      (await call('POST', '/v1/admin/departments/nope/members', { email: 'someone@anytown.example.gov.uk' }))
        .status,
    ).toBe(422);
    expect(
      (await call('POST', '/v1/admin/departments/waste/members', { email: 'not-an-address' })).status,
    ).toBe(422);
    const listed = await call('GET', '/v1/admin/departments/waste/members');
    expect(listed.body.members).toHaveLength(1);
    expect((await call('DELETE', `/v1/admin/members/${added.body.id}`)).body).toMatchObject({
      removed: true,
    });
    expect((await call('GET', '/v1/admin/departments/waste/members')).body.members).toEqual([]);
    expect((await call('DELETE', `/v1/admin/members/${added.body.id}`)).status).toBe(404);
  });

  it('says who disabled a subscription, and never shows its count of test events', async () => {
    const id = await addWebhook(db, `box-${newId()}`, '200');
    expect((await call('POST', `/v1/admin/subscriptions/${id}/test`)).body).toMatchObject({ ok: true });
    const disabled = await call('POST', `/v1/admin/subscriptions/${id}/disable`);
    expect(disabled.body).toMatchObject({
      state: 'disabled',
      disabledBy: 'operator',
      disabledReason: 'Disabled by an operator',
      testedOkAt: expect.any(String),
    });
    const [listed] = (await call('GET', '/v1/admin/subscriptions?department=waste')).body
      .subscriptions as Record<string, unknown>[];
    expect(listed).toMatchObject({ id, disabledBy: 'operator' });
    expect(Object.keys(listed ?? {})).not.toContain('testsInWindow');
    expect(Object.keys(listed ?? {})).not.toContain('testWindowStartedAt');
    expect((await call('POST', `/v1/admin/subscriptions/${id}/enable`)).body).toMatchObject({
      state: 'active',
      disabledBy: null,
      disabledAt: null,
    });
  });

  it('refuses to replay a disabled subscription', async () => {
    const id = await addWebhook(db, `box-${newId()}`, '200', { state: 'disabled' });
    expect(await call('POST', `/v1/admin/subscriptions/${id}/replay`)).toMatchObject({ status: 409 });
  });
});
