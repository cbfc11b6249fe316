// Spam defences through POST /v1/feedback in workerd with the real D1: each refuses, stores
// nothing, and leaves honest stories (and retries of them) alone.
import { createScheduledController } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { feedback, services, spentFormTokens } from '../db/schema';
import { onSchedule } from '../delivery/handlers';
import { TEST_TELLUS_SECRET, TURNSTILE_TEST_SECRETS } from '../test/constants';
import { clientAddress, formToken, ORIGIN, seed } from '../test/seed';
import { FORM_TOKEN_MAX_AGE_MS, signFormToken } from './form-token';
import { refuseSpam } from './guard';
import { keyedHash } from './keys';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

async function post(overrides: Record<string, unknown> = {}, address = clientAddress()) {
  const body = {
    service: 'missed-bin-collection',
    rating: 2,
    story: `The lorry missed us again ${crypto.randomUUID()}`,
    idempotency_key: crypto.randomUUID(),
    token: await formToken(),
    ...overrides,
  };
  const res = await exports.default.fetch('https://tellus.test/v1/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ORIGIN, 'CF-Connecting-IP': address },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
    sent: body as Record<string, unknown>,
  };
}

/** Sends the same body again, as the widget does after waiting or after a lost answer. */
async function resend(first: { sent: Record<string, unknown> }, address = clientAddress()) {
  const res = await exports.default.fetch('https://tellus.test/v1/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ORIGIN, 'CF-Connecting-IP': address },
    body: JSON.stringify(first.sent),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function stored() {
  const [row] = await db.select({ n: count() }).from(feedback);
  return row?.n ?? 0;
}

describe('the honeypot', () => {
  it('refuses a submission that filled the field people never see, and stores nothing', async () => {
    const res = await post({ website: 'https://cheap-pills.example' });
    expect(res).toMatchObject({ status: 422, body: { code: 'spam-suspected' } });
    expect(await stored()).toBe(0);
    expect((await post({ website: '' })).status).toBe(201);
  });
});

describe('the form token', () => {
  it('is required: a post without one, or with a forged one, is refused and nothing stored', async () => {
    expect((await post({ token: undefined })).body).toMatchObject({
      code: 'form-token-invalid',
      errors: [{ pointer: '/token' }],
    });
    const genuine = await formToken();
    const forged = `${genuine.slice(0, -3)}AAA`;
    expect((await post({ token: forged })).body.code).toBe('form-token-invalid');
    const otherService = await formToken('bulky-waste');
    expect((await post({ token: otherService })).body.code).toBe('form-token-invalid');
    expect(await stored()).toBe(0);
  });

  it('refuses a story sent sooner after the form was shown than a person could write one', async () => {
    const justNow = await signFormToken(
      'test-tellus-secret-not-for-production',
      'missed-bin-collection',
      Date.now(),
    );
    expect(await post({ token: justNow })).toMatchObject({ status: 422, body: { code: 'form-too-fast' } });
    const threeSecondsAgo = await formToken('missed-bin-collection', Date.now() - 3000);
    expect((await post({ token: threeSecondsAgo })).status).toBe(201);
    expect(await stored()).toBe(1);
  });

  it('tells a quick sender how long to wait, and takes the same story once that time has passed', async () => {
    // Shown a moment ago: however slowly the post arrives, well inside the two-second minimum.
    const shownAt = Date.now() - 100;
    const quick = await post({ token: await formToken('missed-bin-collection', shownAt) });
    expect(quick).toMatchObject({ status: 422, body: { code: 'form-too-fast' } });
    expect(quick.headers.get('Content-Type')).toBe('application/problem+json');
    // The widget reads it across origins: it must be exposed to the page's script.
    expect(quick.headers.get('Retry-After')).toBe('2');
    expect(quick.headers.get('Access-Control-Expose-Headers')).toMatch(/Retry-After/i);
    expect(await stored()).toBe(0);
    await new Promise((wake) => setTimeout(wake, 1000 * Number(quick.headers.get('Retry-After'))));
    const retried = await resend(quick);
    expect(retried.status).toBe(201);
    expect(await stored()).toBe(1);
  });

  it('lets a token make one story: a second story with it is refused, a retry of the first is not', async () => {
    const token = await formToken();
    const first = await post({ token, story: 'The first story.' });
    expect(first.status).toBe(201);
    const second = await post({ token, story: 'A different story with the same token.' });
    expect(second).toMatchObject({
      status: 409,
      body: { code: 'form-token-used', errors: [{ pointer: '/token' }] },
    });
    expect(second.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await stored()).toBe(1);
    // The widget retrying the first story after a lost answer, and the outbox, still work.
    const retry = await resend(first);
    expect(retry).toMatchObject({ status: 201, body: { id: first.body.id } });
    expect(await stored()).toBe(1);
  });

  it('keeps a token spent after its story is deleted, until the token is too old to take anyway', async () => {
    const token = await formToken();
    const first = await post({ token, story: 'A story that is then deleted.' });
    const receipt = await exports.default.fetch(`https://tellus.test/v1/receipts/${first.body.receipt}`, {
      method: 'DELETE',
    });
    expect(receipt.status).toBeLessThan(300);
    expect(await stored()).toBe(0);
    expect((await post({ token, story: 'A second story on the freed token.' })).status).toBe(409);
    // The sweep forgets a spent token only once it has expired.
    await onSchedule(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env);
    expect(await db.select().from(spentFormTokens)).toHaveLength(1);
    const later = Date.now() + FORM_TOKEN_MAX_AGE_MS + 60_000;
    await onSchedule(createScheduledController({ scheduledTime: later, cron: '* * * * *' }), env);
    expect(await db.select().from(spentFormTokens)).toHaveLength(0);
  });

  it('makes one story of one token when two different stories race with it', async () => {
    const token = await formToken();
    const statuses = (
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => post({ token, story: `Story number ${i} raced the others.` })),
      )
    ).map((res) => res.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(5);
    expect(await stored()).toBe(1);
  });

  it('gives each widget a token of its own, even in the same millisecond', async () => {
    const now = Date.now();
    const a = await signFormToken(TEST_TELLUS_SECRET, 'missed-bin-collection', now);
    const b = await signFormToken(TEST_TELLUS_SECRET, 'missed-bin-collection', now);
    expect(a).not.toBe(b);
  });

  it('still takes a token signed before tokens had a nonce, as a story kept offline brings it', async () => {
    const issued = Date.now() - 60_000;
    const legacy = `${issued}.${await keyedHash(TEST_TELLUS_SECRET, `form:missed-bin-collection:${issued}`)}`;
    expect((await post({ token: legacy })).status).toBe(201);
    expect((await post({ token: `${legacy.slice(0, -3)}AAA` })).body.code).toBe('form-token-invalid');
  });

  it('keeps a minimum when FORM_MIN_SECONDS is missing or broken', async () => {
    const service = await db.select().from(services).where(eq(services.id, 'missed-bin-collection')).get();
    for (const broken of [undefined, 'two', '', ' ']) {
      const token = await formToken('missed-bin-collection', Date.now());
      const arrival = {
        submission: {
          service: 'missed-bin-collection',
          rating: 3,
          locale: 'en' as const,
          idempotency_key: 'k'.repeat(16),
          token,
        },
        service: service as NonNullable<typeof service>,
        client: 'client',
        address: undefined,
        now: Date.now(),
      };
      await expect(
        refuseSpam({ ...env, FORM_MIN_SECONDS: broken as unknown as string }, arrival),
      ).rejects.toMatchObject({
        status: 422,
      });
    }
  });

  it('refuses a token older than the widget keeps an unsent story', async () => {
    const nineDaysAgo = await formToken('missed-bin-collection', Date.now() - 9 * 86_400_000);
    expect((await post({ token: nineDaysAgo })).body.code).toBe('form-token-invalid');
  });
});

describe('the burst limit', () => {
  it('answers 429 with Retry-After past tens of stories a minute from one address, and not for others', async () => {
    // The limiter's windows are whole minutes of the wall clock: start in a fresh one, so that a
    // slow machine's 32 posts never straddle two and get 60 through.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 30_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 50));
    const address = clientAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await post({}, address)).status);
    expect(statuses.slice(0, 30).every((status) => status === 201)).toBe(true);
    const limited = await post({}, address);
    expect(limited).toMatchObject({ status: 429, body: { code: 'rate-limited' } });
    expect(limited.headers.get('Retry-After')).toBe('60');
    expect(limited.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await stored()).toBe(30);
    expect((await post({}, clientAddress())).status).toBe(201);
  }, 90_000);
});

describe('the burst limit on IPv6', () => {
  it('counts a whole /64 as one client, so fresh addresses from it do not escape the limit', async () => {
    const network = `2001:db8:${crypto.getRandomValues(new Uint16Array(1))[0]?.toString(16)}:7`;
    const statuses: number[] = [];
    for (let i = 1; i <= 31; i++) statuses.push((await post({}, `${network}::${i.toString(16)}`)).status);
    expect(statuses.slice(0, 30).every((status) => status === 201)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect((await post({}, `${network.slice(0, -1)}8::1`)).status).toBe(201);
  });
});

describe('near-identical repeats', () => {
  it('drops the same words from the same address minutes later quietly, answering with the first id', async () => {
    const address = clientAddress();
    const first = await post({ story: 'Nobody came for the green bin.' }, address);
    const again = await post({ story: 'nobody came for the green bin!!' }, address);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    // Never the first story's receipt: at a shared address that may be someone else's story.
    expect(again.body.receipt).not.toBe(first.body.receipt);
    expect(await stored()).toBe(1);
    await post({ story: 'Nobody came for the green bin.', rating: 4 }, address);
    expect(await stored()).toBe(2);
    const elsewhere = await post({ story: 'Nobody came for the green bin.' }, clientAddress());
    expect(elsewhere.body.id).not.toBe(first.body.id);
    expect(await stored()).toBe(3);
  });

  it('keeps ratings without words from one busy address: a library full of people may all say yes', async () => {
    const address = clientAddress();
    await post({ story: undefined, rating: 5 }, address);
    await post({ story: undefined, rating: 5 }, address);
    expect(await stored()).toBe(2);
  });

  it('keeps the same words again once the window has passed', async () => {
    const address = clientAddress();
    const first = await post({ story: 'Bin day moved without notice.' }, address);
    await db
      .update(feedback)
      .set({ createdAt: new Date(Date.now() - 11 * 60_000).toISOString() })
      .where(eq(feedback.id, first.body.id as string));
    const later = await post({ story: 'Bin day moved without notice.' }, address);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await stored()).toBe(2);
  });
});

describe('Turnstile, for a service that turns it on', () => {
  async function turnOn(secret: string) {
    await db
      .update(services)
      .set({ turnstileSitekey: '1x00000000000000000000AA', turnstileSecret: secret })
      .where(eq(services.id, 'missed-bin-collection'));
  }
  const DUMMY_TOKEN = 'XXXX.DUMMY.TOKEN.XXXX';

  it('is off by default: no token needed', async () => {
    expect((await post()).status).toBe(201);
  });

  it('stores the story when the token passes', async () => {
    await turnOn(TURNSTILE_TEST_SECRETS.pass);
    expect((await post({ turnstile: DUMMY_TOKEN })).status).toBe(201);
  });

  it.each([
    ['fails', TURNSTILE_TEST_SECRETS.fail, DUMMY_TOKEN, 'invalid-input-response'],
    ['was already spent', TURNSTILE_TEST_SECRETS.spent, DUMMY_TOKEN, 'timeout-or-duplicate'],
    ['is missing', TURNSTILE_TEST_SECRETS.pass, undefined, 'missing-input-response'],
  ])('refuses with 403 and stores nothing when the token %s', async (_, secret, token, reason) => {
    await turnOn(secret);
    const res = await post({ turnstile: token });
    expect(res).toMatchObject({ status: 403, body: { code: 'challenge-failed' } });
    expect(res.body.detail).toContain(reason);
    expect(await stored()).toBe(0);
  });

  it('fails closed when verification does not answer in time', async () => {
    await turnOn(TURNSTILE_TEST_SECRETS.hang);
    const res = await post({ turnstile: DUMMY_TOKEN });
    expect(res).toMatchObject({ status: 403, body: { code: 'challenge-failed' } });
    expect(await stored()).toBe(0);
  }, 15_000);

  it("answers a retry of a stored story with its id, though the retry's token is spent", async () => {
    await turnOn(TURNSTILE_TEST_SECRETS.pass);
    const submission = {
      idempotency_key: crypto.randomUUID(),
      story: 'Sent twice, stored once.',
      turnstile: DUMMY_TOKEN,
    };
    const first = await post(submission);
    await turnOn(TURNSTILE_TEST_SECRETS.spent);
    const retry = await post(submission);
    expect(retry).toMatchObject({ status: 201, body: { id: first.body.id } });
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await stored()).toBe(1);
  });
});
