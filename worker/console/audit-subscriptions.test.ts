// Changes to subscriptions, in the console and through the operator API, each leave one audit
// entry written with the change, none for a change refused, and never a secret.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { asc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { findSubscription } from '../db/admin';
import type { Db } from '../db/client';
import { auditEvents, subscriptions } from '../db/schema';
import { enableSubscription } from '../db/subscription-standing';
import { newId } from '../ids';
import worker from '../index';
import { MAX_SUBSCRIPTIONS_PER_DEPARTMENT } from '../subscription-rules';
import { call, MEMBER, type SignedInConsole, signedInConsole } from '../test/console';
import { TEST_OPERATOR_TOKEN } from '../test/constants';
import { addEmail, addWebhook } from '../test/seed';

let db: Db;
let cookie: string;
let post: SignedInConsole['post'];
beforeEach(async () => {
  ({ db, cookie, post } = await signedInConsole());
});

async function operator(method: string, path: string, body?: unknown) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://tellus.test/v1/admin${path}`, {
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

const log = () => db.select().from(auditEvents).orderBy(asc(auditEvents.id));
const entriesOf = async (subject: string) => (await log()).filter((e) => e.subject === subject);

describe('subscription changes in the audit log', () => {
  it('logs a subscription added, paused and resumed in the console as the admin, and never its secret', async () => {
    const target = `${env.RECEIVER_ORIGIN}/hook/audit-${newId()}/200`;
    const added = await post('/console/subscriptions', { kind: 'webhook', target, mode: 'each' });
    const secret = added.text.match(/<code id="secret">(whsec_[^<]+)<\/code>/)?.[1];
    expect(secret).toBeDefined();
    const [row] = await db.select().from(subscriptions).where(eq(subscriptions.target, target));
    const id = row?.id ?? '';
    expect((await post(`/console/subscriptions/${id}/pause`)).status).toBe(303);
    expect((await post(`/console/subscriptions/${id}/resume`)).status).toBe(303);

    const entries = await log();
    expect(entries).toEqual([
      expect.objectContaining({
        departmentId: 'waste',
        actor: MEMBER,
        action: 'subscription.created',
        subject: id,
        before: null,
        after: {
          kind: 'webhook',
          target,
          services: null,
          minSeverity: 'normal',
          maxRating: null,
          mode: 'each',
        },
      }),
      expect.objectContaining({
        actor: MEMBER,
        action: 'subscription.paused',
        subject: id,
        before: { state: 'active', disabledBy: null, target },
        after: { state: 'disabled', disabledBy: 'department', target },
      }),
      expect.objectContaining({
        actor: MEMBER,
        action: 'subscription.resumed',
        before: { state: 'disabled', disabledBy: 'department', target },
        after: { state: 'active', disabledBy: null, target },
      }),
    ]);
    expect(JSON.stringify(entries)).not.toContain('whsec_');

    const page = await call('/console/audit', { cookie });
    expect(page.text).toContain(`Paused subscription ${id} to ${target}`);
    expect(page.text).toContain('state: active → disabled');
    expect(page.text).toContain(`Created subscription ${id} to ${target}`);
    expect(page.text).not.toContain(secret ?? 'whsec_');
  });

  it('logs what an operator does through the API as the operator: created, secret rotated, disabled, enabled', async () => {
    const target = `${env.RECEIVER_ORIGIN}/hook/audit-${newId()}/200`;
    const created = await operator('POST', '/subscriptions', {
      department_id: 'waste',
      kind: 'webhook',
      target,
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const rotated = await operator('POST', `/subscriptions/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect((await operator('POST', `/subscriptions/${id}/disable`)).status).toBe(200);
    // Disabled already by an operator, enabled already: nothing changes, nothing is logged.
    expect((await operator('POST', `/subscriptions/${id}/disable`)).status).toBe(200);
    expect((await operator('POST', `/subscriptions/${id}/enable`)).status).toBe(200);
    expect((await operator('POST', `/subscriptions/${id}/enable`)).status).toBe(200);

    const entries = await entriesOf(id);
    expect(entries.map((e) => [e.actor, e.action, e.departmentId])).toEqual([
      ['operator', 'subscription.created', 'waste'],
      ['operator', 'subscription.secret-rotated', 'waste'],
      ['operator', 'subscription.disabled', 'waste'],
      ['operator', 'subscription.enabled', 'waste'],
    ]);
    expect(entries[1]?.after).toEqual({ previousSecretUntil: rotated.body.previous_secret_valid_until });
    expect(entries[2]).toMatchObject({
      before: { state: 'active', disabledBy: null },
      after: { state: 'disabled', disabledBy: 'operator' },
    });
    expect(entries[3]).toMatchObject({ before: { state: 'disabled', disabledBy: 'operator' } });
    const json = JSON.stringify(entries);
    expect(json).not.toContain('whsec_');
    expect(json).not.toContain(String(created.body.secret));
    expect(json).not.toContain(String(rotated.body.secret));
    // The rotation still kept the first secret for the overlap.
    expect((await findSubscription(db, id))?.previousSecret).toBe(created.body.secret);
  });

  it('logs nothing for a change refused: resuming what an operator disabled, pausing what is not sending', async () => {
    const id = await addWebhook(db, `refused-${newId()}`);
    await operator('POST', `/subscriptions/${id}/disable`);
    expect((await post(`/console/subscriptions/${id}/resume`)).status).toBe(409);
    expect((await post(`/console/subscriptions/${id}/pause`)).status).toBe(409);
    expect((await entriesOf(id)).map((e) => e.action)).toEqual(['subscription.disabled']);
  });

  it('logs no resume that lost its compare-and-set to an operator disabling it meanwhile', async () => {
    const id = await addWebhook(db, `race-${newId()}`);
    expect((await post(`/console/subscriptions/${id}/pause`)).status).toBe(303);
    const asRead = await findSubscription(db, id);
    await operator('POST', `/subscriptions/${id}/disable`);
    expect(await enableSubscription(db, id, { actor: MEMBER, as: asRead })).toBeUndefined();
    expect((await findSubscription(db, id))?.disabledBy).toBe('operator');
    expect((await entriesOf(id)).map((e) => e.action)).toEqual([
      'subscription.paused',
      'subscription.disabled',
    ]);
  });

  it('logs no subscription taken back because its department had the most it may', async () => {
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_DEPARTMENT; i++)
      await addEmail(db, `team${i}@anytown.example.gov.uk`);
    const form = { kind: 'email', target: 'one-more@anytown.example.gov.uk', mode: 'each' };
    expect((await post('/console/subscriptions', form)).status).toBe(409);
    const api = await operator('POST', '/subscriptions', { department_id: 'waste', ...form });
    expect(api.status).toBe(409);
    expect(await log()).toEqual([]);
  });

  it('keeps each department’s subscription changes in its own log', async () => {
    const theirs = await operator('POST', '/subscriptions', {
      department_id: 'parking',
      kind: 'email',
      target: 'parking@anytown.example.gov.uk',
    });
    expect(await entriesOf(String(theirs.body.id))).toEqual([
      expect.objectContaining({ departmentId: 'parking', action: 'subscription.created' }),
    ]);
    expect((await call('/console/audit', { cookie })).text).not.toContain(String(theirs.body.id));
  });
});
