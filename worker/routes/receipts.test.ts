// A citizen's receipt, in workerd with the real D1: shown once in the 201, kept only as a hash,
// and enough to read the story back or erase it with its pending deliveries.
import { createScheduledController } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { deliveries, departments, feedback, sentEmails } from '../db/schema';
import { onSchedule } from '../delivery/handlers';
import { sha256Hex } from '../spam/keys';
import { addWebhook, clientAddress, formToken, ORIGIN, seed } from '../test/seed';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

const HOSTILE =
  '<script>alert(1)</script> "><img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>';

async function send(overrides: Record<string, unknown> = {}) {
  const res = await exports.default.fetch('https://tellus.test/v1/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'CF-Connecting-IP': clientAddress() },
    body: JSON.stringify({
      service: 'missed-bin-collection',
      rating: 3,
      story: `The crew left the gate open ${crypto.randomUUID()}`,
      idempotency_key: crypto.randomUUID(),
      token: await formToken(),
      ...overrides,
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; receipt: string; receipt_url: string; help?: string };
}

/** Notes in the sent-email log, as sendEmail does, an alert for each of a story's deliveries and a confirmation of an answer by email. */
async function logEmailsAbout(storyId: string) {
  const its = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(eq(deliveries.feedbackId, storyId));
  const sentAt = new Date().toISOString();
  const to = 'waste@anytown.example.gov.uk';
  await db.insert(sentEmails).values([
    ...its.map(({ id }) => ({
      kind: 'story',
      to,
      subject: 'URGENT: 1/5 for a service',
      about: id,
      sentAt,
    })),
    { kind: 'reply-confirmation', to, subject: 'Your answer is published', about: storyId, sentAt },
  ]);
}

/** What the sent-email log says about anything: its kinds and what each is about. */
const emailLog = async () =>
  (await db.select({ kind: sentEmails.kind, about: sentEmails.about }).from(sentEmails)).map(
    ({ kind, about }) => `${kind} ${about}`,
  );

const receipt = (code: string, init: RequestInit = {}) =>
  exports.default.fetch(`https://tellus.test/v1/receipts/${code}`, init);

describe('the 201', () => {
  it('carries a receipt code and its address; D1 keeps only the code’s hash', async () => {
    const created = await send();
    expect(created.receipt).toMatch(/^[\w-]{22}$/);
    expect(created.receipt_url).toBe(`${env.PUBLIC_URL}/v1/receipts/${created.receipt}`);
    const row = await db.select().from(feedback).where(eq(feedback.id, created.id)).get();
    expect(row?.receiptHash).toBe(await sha256Hex(created.receipt));
    expect(JSON.stringify(row)).not.toContain(created.receipt);
  });

  it('gives a retry of the same story the same receipt', async () => {
    const key = crypto.randomUUID();
    const first = await send({ idempotency_key: key, story: 'Sent twice.' });
    const again = await send({ idempotency_key: key, story: 'Sent twice.' });
    expect(again).toEqual(first);
  });

  it.each([
    ['en', 'I feel unsafe at home', 'call 999 now'],
    ['cy', 'Rwy mewn perygl gartref', 'ffoniwch 999 nawr'],
  ])(
    'for an urgent story in %s, says where to get help now, in that language',
    async (locale, story, words) => {
      const created = await send({ story, locale });
      expect(created.help).toContain(words);
      expect(created.help).toContain('116 123');
    },
  );

  it('says nothing of help for an everyday story', async () => {
    expect(await send()).not.toHaveProperty('help');
  });
});

describe('GET /v1/receipts/:code', () => {
  it('shows the citizen their story and its status as JSON, never cached', async () => {
    const created = await send({ story: 'Bin lid broken.', rating: 2 });
    const res = await receipt(created.receipt);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.json()).toMatchObject({
      id: created.id,
      service: { id: 'missed-bin-collection', name: 'Report a missed bin collection' },
      status: 'new',
      rating: 2,
      story: 'Bin lid broken.',
    });
  });

  it('shows a browser a page in the story’s language with the story escaped and nothing that runs', async () => {
    const created = await send({ story: HOSTILE, locale: 'cy' });
    const res = await receipt(created.receipt, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('Set-Cookie')).toBeNull();
    const page = await res.text();
    expect(page).toContain('<html lang="cy">');
    expect(page).toContain('Dileu fy stori');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toMatch(/<script|<img|href="javascript:/i);
  });

  it('answers 404 for a code nobody was given, as JSON or as a page', async () => {
    const json = await receipt('AAAAAAAAAAAAAAAAAAAAAA');
    expect(json.status).toBe(404);
    expect(json.headers.get('Content-Type')).toBe('application/problem+json');
    const page = await receipt('AAAAAAAAAAAAAAAAAAAAAA', { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('There is no story with this receipt');
  });
});

describe('deleting with a receipt', () => {
  async function pendingDeliveries(id: string) {
    const [row] = await db.select({ n: count() }).from(deliveries).where(eq(deliveries.feedbackId, id));
    return row?.n ?? 0;
  }

  it('DELETE erases the story and cancels its pending deliveries', async () => {
    await addWebhook(db, `receipt-${crypto.randomUUID()}`, '500');
    const created = await send();
    expect(await pendingDeliveries(created.id)).toBe(1);
    const res = await receipt(created.receipt, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await db.select().from(feedback).where(eq(feedback.id, created.id)).get()).toBeUndefined();
    expect(await pendingDeliveries(created.id)).toBe(0);
    expect((await receipt(created.receipt)).status).toBe(404);
    expect((await receipt(created.receipt, { method: 'DELETE' })).status).toBe(404);
  });

  it("DELETE erases the sent-email log's lines about the story, and only those", async () => {
    const subscription = `receipt-${crypto.randomUUID()}`;
    await addWebhook(db, subscription, '500');
    const [gone, kept] = [await send(), await send()];
    await logEmailsAbout(gone.id);
    await logEmailsAbout(kept.id);
    const sentAt = new Date().toISOString();
    await db
      .insert(sentEmails)
      .values({ kind: 'digest', to: 'x@example.org', subject: 'Digest', about: subscription, sentAt });
    const [keptDelivery] = await db.select().from(deliveries).where(eq(deliveries.feedbackId, kept.id));

    expect((await receipt(gone.receipt, { method: 'DELETE' })).status).toBe(204);
    expect((await emailLog()).sort()).toEqual(
      [`story ${keptDelivery?.id}`, `reply-confirmation ${kept.id}`, `digest ${subscription}`].sort(),
    );
  });

  it("the page's button erases it too", async () => {
    const created = await send();
    const res = await exports.default.fetch(`https://tellus.test/v1/receipts/${created.receipt}/delete`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Your story has been deleted');
    expect(await db.select().from(feedback).where(eq(feedback.id, created.id)).get()).toBeUndefined();
  });
});

describe('retention', () => {
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

  it("deletes stories older than their department's retention period, with their deliveries", async () => {
    await addWebhook(db, `retention-${crypto.randomUUID()}`, '500');
    await db.update(departments).set({ retentionDays: 30 }).where(eq(departments.id, 'waste'));
    const old = await send();
    const recent = await send();
    await db
      .update(feedback)
      .set({ createdAt: daysAgo(31) })
      .where(eq(feedback.id, old.id));
    await db
      .update(feedback)
      .set({ createdAt: daysAgo(29) })
      .where(eq(feedback.id, recent.id));

    await onSchedule(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env);

    const left = await db.select({ id: feedback.id }).from(feedback);
    expect(left.map((row) => row.id)).toEqual([recent.id]);
    const [outbox] = await db
      .select({ n: count() })
      .from(deliveries)
      .where(eq(deliveries.feedbackId, old.id));
    expect(outbox?.n).toBe(0);
  });

  it("deletes the sent-email log's lines about an expired story, and keeps a younger one's", async () => {
    await addWebhook(db, `retention-${crypto.randomUUID()}`, '500');
    await db.update(departments).set({ retentionDays: 30 }).where(eq(departments.id, 'waste'));
    const [old, recent] = [await send(), await send()];
    await logEmailsAbout(old.id);
    await logEmailsAbout(recent.id);
    await db
      .update(feedback)
      .set({ createdAt: daysAgo(31) })
      .where(eq(feedback.id, old.id));
    const [recentDelivery] = await db.select().from(deliveries).where(eq(deliveries.feedbackId, recent.id));

    await onSchedule(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env);

    expect((await emailLog()).sort()).toEqual([
      `reply-confirmation ${recent.id}`,
      `story ${recentDelivery?.id}`,
    ]);
  });

  it('keeps a story younger than the retention period', async () => {
    const story = await send();
    await db
      .update(feedback)
      .set({ createdAt: daysAgo(364) })
      .where(eq(feedback.id, story.id));
    await onSchedule(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env);
    expect(await db.select().from(feedback).where(eq(feedback.id, story.id)).get()).toBeDefined();
  });
});
