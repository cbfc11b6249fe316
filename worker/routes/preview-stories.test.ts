// Stories sent from the console's preview, through POST /v1/feedback with the real D1: with a good
// preview token a story is kept as a test and goes nowhere else (no delivery, summary, export,
// list or publishing); with a bad one nothing is kept at all.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { deliveries, feedback, services } from '../db/schema';
import { serviceSummary } from '../db/stories';
import worker from '../index';
import { signPreviewToken } from '../spam/preview-token';
import { CONSOLE_ORIGIN, call, sent, setUpConsole, signIn } from '../test/console';
import { TEST_OPERATOR_TOKEN, TEST_TELLUS_SECRET } from '../test/constants';
import { expectProblem, FEEDBACK_URL, newSubmission, rowCount } from '../test/feedback';
import {
  addEmail,
  addWebhook,
  clientAddress,
  eventually,
  formToken,
  ORIGIN,
  received,
  submitStory,
} from '../test/seed';

const SERVICE = 'missed-bin-collection';

let db: Db;
beforeEach(async () => {
  db = await setUpConsole();
});

const previewToken = (service = SERVICE, openedAt = Date.now()) =>
  signPreviewToken(TEST_TELLUS_SECRET, service, openedAt);

/** Posts a story as the widget on a page at `origin` does, and waits for the work after the answer. */
async function send(overrides: Record<string, unknown>, origin = CONSOLE_ORIGIN) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(FEEDBACK_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: origin, 'CF-Connecting-IP': clientAddress() },
      body: JSON.stringify(newSubmission(await formToken(), overrides)),
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** A department key that reads and answers, made through the operator API. */
async function departmentKey() {
  const res = await exports.default.fetch('https://tellus.test/v1/admin/departments/waste/keys', {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ scopes: ['read', 'answer'] }),
  });
  return ((await res.json()) as { key: string }).key;
}

const api = (path: string, key: string, init: RequestInit = {}) =>
  exports.default.fetch(`https://tellus.test${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
  });

describe('a story sent from the console’s preview', () => {
  it('is kept as a test and delivered nowhere, though the department has a webhook and an email', async () => {
    await addWebhook(db, 'preview');
    await addEmail(db, 'team@anytown.example.gov.uk');
    const emailsBefore = sent.length;
    const res = await send({ story: 'Trying the widget out', preview: await previewToken() });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await db.select().from(feedback).where(eq(feedback.id, id)).get()).toMatchObject({
      test: true,
      story: 'Trying the widget out',
    });
    expect((await db.select({ n: count() }).from(deliveries).get())?.n).toBe(0);
    // A citizen's story after it reaches both, so the test's silence is not the receiver's.
    await submitStory('A citizen’s own story');
    expect(await eventually(async () => (await received('preview')).length)).toBe(1);
    expect((await received('preview'))[0]?.raw).toContain('A citizen’s own story');
    expect(sent.slice(emailsBefore).join('\n')).not.toContain('Trying the widget out');
  });

  it('is a test from a registered page too, and from Tellus’s own origin only with its token', async () => {
    const fromSite = await send({ preview: await previewToken() }, ORIGIN);
    expect(fromSite.status).toBe(201);
    const { id } = (await fromSite.json()) as { id: string };
    expect((await db.select().from(feedback).where(eq(feedback.id, id)).get())?.test).toBe(true);
    await expectProblem(await send({}), 403, 'origin-not-allowed');
    const elsewhere = await send({ preview: await previewToken() }, 'https://www.elsewhere.example.org');
    await expectProblem(elsewhere, 403, 'origin-not-allowed');
    expect(await rowCount()).toBe(1);
  });

  it('refuses an expired token, another service’s, or one Tellus did not sign, and keeps nothing', async () => {
    const tokens = {
      expired: await previewToken(SERVICE, Date.now() - 3600_001),
      'another service’s': await previewToken('bulky-waste'),
      forged: `${Date.now() + 60_000}.${'A'.repeat(43)}`,
      'too long': 'x'.repeat(101),
    };
    for (const [kind, preview] of Object.entries(tokens)) {
      const body = await expectProblem(await send({ preview }), 422, 'validation-failed');
      expect(body.errors, kind).toEqual([expect.objectContaining({ pointer: '/preview', field: 'preview' })]);
    }
    const expired = await expectProblem(await send({ preview: tokens.expired }), 422, 'validation-failed');
    expect(expired.detail).toContain('has expired');
    expect(await rowCount()).toBe(0);
  });

  it('is left out of summaries, exports, lists and published stories, and cannot be published', async () => {
    await db.update(services).set({ publishing: true }).where(eq(services.id, SERVICE));
    const res = await send({ story: 'Only a test', rating: 1, preview: await previewToken() });
    const { id } = (await res.json()) as { id: string };
    const key = await departmentKey();

    expect(await serviceSummary(db, SERVICE)).toMatchObject({ stories: 0, average_rating: null });
    const published = await exports.default.fetch(`https://tellus.test/v1/services/${SERVICE}/stories`);
    expect(await published.json()).toMatchObject({ summary: { stories: 0 }, stories: [] });
    const publish = await api(`/v1/feedback/${id}`, key, { method: 'PATCH', body: '{"published":true}' });
    expect(publish.status).toBe(404);
    expect((await db.select().from(feedback).where(eq(feedback.id, id)).get())?.published).toBe(false);
    expect(await (await api('/v1/feedback', key)).json()).toMatchObject({ stories: [] });
    expect(await (await api('/v1/feedback.csv', key)).text()).not.toContain(id);

    const cookie = await signIn();
    const summary = await call('/console/summary', { cookie });
    expect(summary.text).toContain('Stories</dt><dd class="govuk-summary-list__value">0</dd>');
    expect(summary.text).not.toMatch(/<td class="govuk-table__cell govuk-table__cell--numeric">1<\/td>/);
    expect((await call('/console/stories', { cookie })).text).not.toContain('Only a test');
    expect((await call('/console/export.csv', { cookie })).text).not.toContain(id);
    expect((await call(`/console/stories/${id}`, { cookie })).status).toBe(404);
  });
});
