import { applyD1Migrations, createExecutionContext, reset, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { auditEvents, deliveries, sentEmails, subscriptions } from '../db/schema';
import { newId } from '../ids';
import worker from '../index';
import { MAX_SUBSCRIPTIONS_PER_DEPARTMENT, TESTS_PER_WINDOW } from '../subscription-rules';
import { call, csrfOf, READER, type SignedInConsole, signedInConsole, signIn } from '../test/console';
import { TEST_OPERATOR_TOKEN } from '../test/constants';
import { addEmail, addWebhook, insertStory, received } from '../test/seed';

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
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const standing = async (id: string) =>
  db
    .select({ state: subscriptions.state, disabledBy: subscriptions.disabledBy })
    .from(subscriptions)
    .where(eq(subscriptions.id, id))
    .get();

describe('subscriptions are for admins', () => {
  it('refuses a member who is not an admin the page and every form with 403, and changes nothing', async () => {
    const box = `reader-${newId()}`;
    const active = await addWebhook(db, box, '200');
    const paused = await addWebhook(db, box, '200', {
      id: `paused-${box}`,
      state: 'disabled',
      disabledBy: 'department',
      disabledReason: 'Paused by an admin',
    });
    const story = await insertStory(db);
    const failed = newId();
    const later = new Date(Date.now() + 3600_000).toISOString();
    await db.insert(deliveries).values({
      id: failed,
      feedbackId: story,
      subscriptionId: active,
      kind: 'each',
      attempts: 1,
      dueAt: later,
    });
    const everything = async () => ({
      subscriptions: await db.select().from(subscriptions).orderBy(subscriptions.id),
      deliveries: await db.select().from(deliveries),
      emails: await db.select().from(sentEmails),
      audit: await db.select().from(auditEvents),
    });
    const reader = await signIn(READER);
    const before = await everything();

    const stories = await call('/console/stories', { cookie: reader });
    expect(stories.text).not.toContain('href="/console/subscriptions"');
    const readerCsrf = csrfOf(stories.text);
    const page = await call('/console/subscriptions', { cookie: reader });
    expect(page.status).toBe(403);
    expect(page.text).toContain('Only your department’s admins can do this');
    expect(page.text).not.toContain(box);
    for (const [path, form] of [
      ['/console/subscriptions', { kind: 'email', target: 'reader@anytown.example.gov.uk', mode: 'each' }],
      [`/console/subscriptions/${active}/pause`, {}],
      [`/console/subscriptions/${paused}/resume`, {}],
      [`/console/subscriptions/${active}/test`, {}],
      [`/console/deliveries/${failed}/replay`, {}],
    ] as const) {
      const res = await call(path, { method: 'POST', cookie: reader, form: { csrf: readerCsrf, ...form } });
      expect(res.status, path).toBe(403);
      expect(res.text, path).toContain('Nothing was changed');
    }
    expect(await everything()).toEqual(before);
    expect(await received(box)).toEqual([]);
  });
});

describe('who may resume a subscription', () => {
  it('never lets the department resume one an operator disabled, nor pause it into one it may', async () => {
    const box = `operator-${newId()}`;
    const id = await addWebhook(db, box, '200');
    expect((await operator('POST', `/subscriptions/${id}/disable`)).body).toMatchObject({
      state: 'disabled',
      disabledBy: 'operator',
    });

    const page = await call('/console/subscriptions', { cookie });
    expect(page.text).not.toContain(`/console/subscriptions/${id}/resume`);
    expect(page.text).not.toContain(`/console/subscriptions/${id}/test`);
    expect(page.text).toContain('Only your Tellus operator can');

    const resumed = await post(`/console/subscriptions/${id}/resume`);
    expect(resumed.status).toBe(409);
    expect(resumed.text).toContain('govuk-error-summary');
    expect(resumed.text).toContain('Only your Tellus operator can enable it again');
    expect((await post(`/console/subscriptions/${id}/pause`)).status).toBe(409);
    expect((await post(`/console/subscriptions/${id}/test`)).status).toBe(409);
    expect(await standing(id)).toEqual({ state: 'disabled', disabledBy: 'operator' });
    expect(await received(box)).toEqual([]);

    // The operator may.
    expect((await operator('POST', `/subscriptions/${id}/enable`)).body).toMatchObject({
      state: 'active',
      disabledBy: null,
    });
  });

  it('lets the department resume one Tellus stopped after failures only once a test is received', async () => {
    const box = `failed-${newId()}`;
    const id = await addWebhook(db, box, '200', {
      state: 'disabled',
      disabledBy: 'failures',
      disabledAt: new Date(Date.now() - 60_000).toISOString(),
      disabledReason: 'The receiver answered 410 Gone: it no longer wants these events.',
    });
    const before = await call('/console/subscriptions', { cookie });
    expect(before.text).not.toContain(`/console/subscriptions/${id}/resume`);
    expect(before.text).toContain(`/console/subscriptions/${id}/test`);
    expect(before.text).toContain('once a test is received, you can resume it');
    expect((await post(`/console/subscriptions/${id}/resume`)).status).toBe(409);
    expect((await standing(id))?.state).toBe('disabled');

    const tested = await post(`/console/subscriptions/${id}/test`);
    expect(tested.headers.get('Location')).toBe('/console/subscriptions?done=test-ok');
    expect(await received(box)).toHaveLength(1);
    expect((await call('/console/subscriptions', { cookie })).text).toContain(
      `/console/subscriptions/${id}/resume`,
    );
    expect((await post(`/console/subscriptions/${id}/resume`)).status).toBe(303);
    expect(await standing(id)).toEqual({ state: 'active', disabledBy: null });
  });

  it('does not count a test received before the failures stopped it', async () => {
    const id = await addWebhook(db, `early-${newId()}`, '200', {
      state: 'disabled',
      disabledBy: 'failures',
      testedOkAt: new Date(Date.now() - 3600_000).toISOString(),
      disabledAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect((await post(`/console/subscriptions/${id}/resume`)).status).toBe(409);
  });

  it('lets the department resume what it paused itself', async () => {
    const id = await addEmail(db, 'team@anytown.example.gov.uk');
    const paused = await post(`/console/subscriptions/${id}/pause`);
    expect(paused.status).toBe(303);
    expect(await standing(id)).toEqual({ state: 'disabled', disabledBy: 'department' });
    const page = (await call(paused.headers.get('location') ?? '', { cookie })).text;
    expect(page).toContain(`/console/subscriptions/${id}/resume`);
    // What a pause does, truly: new stories pass it by; only deliveries it already had wait.
    expect(page).toContain('stories that come in while it is paused are not sent to it');
    expect((await post(`/console/subscriptions/${id}/resume`)).status).toBe(303);
    expect((await standing(id))?.state).toBe('active');
  });
});

describe('caps', () => {
  it(`keeps a department to ${MAX_SUBSCRIPTIONS_PER_DEPARTMENT} subscriptions, through the console and the API`, async () => {
    for (let i = 1; i < MAX_SUBSCRIPTIONS_PER_DEPARTMENT; i++) {
      await addEmail(db, `team${i}@anytown.example.gov.uk`);
    }
    const last = { kind: 'email', target: 'last@anytown.example.gov.uk', mode: 'each' };
    expect((await post('/console/subscriptions', last)).status).toBe(303);

    const refused = await post('/console/subscriptions', {
      ...last,
      target: 'one-more@anytown.example.gov.uk',
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(
      `<a href="#target">Your department has ${MAX_SUBSCRIPTIONS_PER_DEPARTMENT} subscriptions, the most a department may have</a>`,
    );
    expect(refused.text).toContain('value="one-more@anytown.example.gov.uk"');

    const api = await operator('POST', '/subscriptions', {
      department_id: 'waste',
      kind: 'email',
      target: 'api@anytown.example.gov.uk',
    });
    expect(api.status).toBe(409);
    expect(api.headers.get('Content-Type')).toBe('application/problem+json');
    expect(api.body).toMatchObject({ code: 'conflict' });
    const counted = await db
      .select({ n: count() })
      .from(subscriptions)
      .where(eq(subscriptions.departmentId, 'waste'));
    expect(counted).toEqual([{ n: MAX_SUBSCRIPTIONS_PER_DEPARTMENT }]);

    // Another department is not affected.
    const theirs = await operator('POST', '/subscriptions', {
      department_id: 'parking',
      kind: 'email',
      target: 'parking@anytown.example.gov.uk',
    });
    expect(theirs.status).toBe(201);
  });

  it(`sends a subscription ${TESTS_PER_WINDOW} test events an hour, whoever asks`, async () => {
    const box = `tests-${newId()}`;
    const id = await addWebhook(db, box, '200');
    for (let i = 0; i < TESTS_PER_WINDOW - 1; i++) {
      expect((await post(`/console/subscriptions/${id}/test`)).status).toBe(303);
    }
    expect((await operator('POST', `/subscriptions/${id}/test`)).body).toMatchObject({ ok: true });

    const refused = await post(`/console/subscriptions/${id}/test`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(refused.text).toContain(`A subscription may have ${TESTS_PER_WINDOW} test events an hour`);
    const api = await operator('POST', `/subscriptions/${id}/test`);
    expect(api).toMatchObject({ status: 429, body: { code: 'rate-limited' } });
    expect(Number(api.headers.get('Retry-After'))).toBeGreaterThan(3000);
    expect(await received(box)).toHaveLength(TESTS_PER_WINDOW);

    // A new window, a new allowance.
    await db
      .update(subscriptions)
      .set({ testWindowStartedAt: new Date(Date.now() - 3601_000).toISOString() })
      .where(eq(subscriptions.id, id));
    expect((await post(`/console/subscriptions/${id}/test`)).status).toBe(303);
  });
});

describe('test events tell nothing about the network', () => {
  it.each([
    ['a refused connection', 'http://127.0.0.1:1/hook'],
    ['a dropped connection', 'drop'],
  ])('reports %s in fixed words, in the console and the API', async (_, target) => {
    const id = await addWebhook(db, `quiet-${newId()}`, 'drop');
    if (target !== 'drop') await db.update(subscriptions).set({ target }).where(eq(subscriptions.id, id));
    const tested = await post(`/console/subscriptions/${id}/test`);
    expect(tested.headers.get('Location')).toBe('/console/subscriptions?done=test-failed');
    const page = await call('/console/subscriptions?done=test-failed', { cookie });
    expect(page.text).toContain('The test event was not received');
    const api = await operator('POST', `/subscriptions/${id}/test`);
    expect(api.body).toEqual({ ok: false, status: null, error: 'No HTTP answer: the connection failed' });
  });
});

describe('subscriptions disabled before who disabled them was kept', () => {
  it('are read from their reasons, and one nobody can tell is left to an operator', async () => {
    await reset();
    const upTo = env.TEST_MIGRATIONS.findIndex((m) => m.name.startsWith('0009_'));
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS.slice(0, upTo));
    await env.DB.prepare(
      "INSERT INTO departments (id, name, contact_email) VALUES ('waste', 'Waste', 'w@x.example')",
    ).run();
    const reasons: [string, string | null, string][] = [
      ['paused', 'Paused by officer@anytown.example.gov.uk', 'department'],
      ['gone', 'The receiver answered 410 Gone: it no longer wants these events.', 'failures'],
      [
        'failing',
        'Every delivery since 2026-11-01T00:00:00.000Z has failed; the last error was: HTTP 500',
        'failures',
      ],
      ['operator', 'Disabled by an operator', 'operator'],
      ['unknown', null, 'operator'],
    ];
    for (const [id, reason] of reasons) {
      await env.DB.prepare(
        "INSERT INTO subscriptions (id, department_id, kind, target, state, disabled_reason) VALUES (?, 'waste', 'email', 'a@x.example', 'disabled', ?)",
      )
        .bind(id, reason)
        .run();
    }
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    const rows = await db.select().from(subscriptions);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.disabledBy]))).toEqual(
      Object.fromEntries(reasons.map(([id, , by]) => [id, by])),
    );
    expect(rows.every((r) => r.disabledAt !== null)).toBe(true);
  });
});
