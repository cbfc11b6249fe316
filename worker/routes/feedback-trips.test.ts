// How many round trips to D1 a story costs, and what the per-isolate memory of known origins may and may not skip.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { deliveries, serviceOrigins, services } from '../db/schema';
import worker from '../index';
import { TURNSTILE_TEST_SECRETS } from '../test/constants';
import { countingD1 } from '../test/d1-trips';
import { expectProblem, FEEDBACK_URL, newSubmission, rowCount } from '../test/feedback';
import { addEmail, clientAddress, formToken, ORIGIN, seed } from '../test/seed';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

/** Posts a body from `origin` through a D1 binding that counts its trips; the work after the answer is let finish. */
async function countedPost(
  body: Record<string, unknown>,
  { origin = ORIGIN, address = clientAddress() } = {},
) {
  const d1 = countingD1(env.DB);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(FEEDBACK_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: origin, 'CF-Connecting-IP': address },
      body: JSON.stringify(body),
    }),
    { ...env, DB: d1.binding },
    ctx,
  );
  const trips = d1.trips();
  await waitOnExecutionContext(ctx);
  return { res, trips };
}

const story = async (overrides: Record<string, unknown> = {}) => newSubmission(await formToken(), overrides);

describe('round trips to D1 for a story', () => {
  it('asks D1 about an origin it has not seen known, then takes its next story in one trip', async () => {
    const fresh = `https://feedback-${crypto.randomUUID()}.anytown.example.gov.uk`;
    await db.insert(serviceOrigins).values({ serviceId: 'missed-bin-collection', origin: fresh });
    const first = await countedPost(await story(), { origin: fresh });
    expect(first.res.status).toBe(201);
    expect(first.trips).toBe(2);
    const second = await countedPost(await story(), { origin: fresh });
    expect(second.res.status).toBe(201);
    expect(second.trips).toBe(1);
  });

  it('writes every outbox row in the same trip, past the ids made ahead for ten subscriptions', async () => {
    // Daily digests: no first attempt after the answer adds trips of its own to the count.
    for (let i = 0; i < 12; i++) await addEmail(db, `team${i}@anytown.example.gov.uk`, { mode: 'daily' });
    await countedPost(await story());
    const { res, trips } = await countedPost(await story());
    expect(res.status).toBe(201);
    expect(trips).toBe(1);
    const { id } = (await res.json()) as { id: string };
    const rows = await db.select().from(deliveries).where(eq(deliveries.feedbackId, id));
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((row) => row.id)).size).toBe(12);
    expect(rows.every((row) => row.kind === 'digest')).toBe(true);
    for (const row of rows)
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('answers a repeat of a story in one trip, storing nothing new', async () => {
    const address = clientAddress();
    const first = await story({ story: 'The same words twice.' });
    const again = { ...first, idempotency_key: crypto.randomUUID(), token: await formToken() };
    const stored = await countedPost(first, { address });
    const repeated = await countedPost(again, { address });
    expect(repeated.res.status).toBe(201);
    expect(((await repeated.res.json()) as { id: string }).id).toBe(
      ((await stored.res.json()) as { id: string }).id,
    );
    expect(repeated.trips).toBe(1);
    expect(await rowCount()).toBe(1);
  });

  it('refuses spam, or answers a retry of a stored story that the spam checks now refuse, in one trip: a read instead of the batch', async () => {
    const first = await story();
    await countedPost(first);
    const spam = await countedPost(await story({ website: 'https://cheap-pills.example' }));
    await expectProblem(spam.res, 422, 'spam-suspected');
    expect(spam.trips).toBe(1);
    const retry = await countedPost({ ...first, token: 'spent-or-forged' });
    expect(retry.res.status).toBe(201);
    expect(retry.res.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retry.trips).toBe(1);
  });

  it('takes two trips for a service with Turnstile on: the first brings back its secret, the second stores', async () => {
    await db
      .update(services)
      .set({ turnstileSitekey: '1x00000000000000000000AA', turnstileSecret: TURNSTILE_TEST_SECRETS.pass })
      .where(eq(services.id, 'missed-bin-collection'));
    await countedPost(await story({ turnstile: 'XXXX.DUMMY.TOKEN.XXXX' }));
    const { res, trips } = await countedPost(await story({ turnstile: 'XXXX.DUMMY.TOKEN.XXXX' }));
    expect(res.status).toBe(201);
    expect(trips).toBe(2);
  });
});

describe('an origin an operator removes', () => {
  it('stores no more stories at once, though this isolate still remembers it known', async () => {
    expect((await countedPost(await story())).res.status).toBe(201);
    // As an operator's request in another isolate would: this one's memory is not told.
    await db
      .delete(serviceOrigins)
      .where(and(eq(serviceOrigins.serviceId, 'missed-bin-collection'), eq(serviceOrigins.origin, ORIGIN)));
    const { res, trips } = await countedPost(await story());
    await expectProblem(res, 403, 'origin-not-allowed');
    expect(trips).toBe(1);
    expect(await rowCount()).toBe(1);
  });
});
