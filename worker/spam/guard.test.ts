// Spam defences through POST /v1/feedback in workerd with the real D1: each refuses, stores
// nothing, and leaves honest stories (and retries of them) alone.
import { env, exports } from 'cloudflare:workers';
import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { feedback, services } from '../db/schema';
import { TURNSTILE_TEST_SECRETS } from '../test/constants';
import { clientAddress, formToken, ORIGIN, seed } from '../test/seed';
import { signFormToken } from './form-token';
import { refuseSpam } from './guard';

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

  it('keeps a minimum when FORM_MIN_SECONDS is missing or broken', async () => {
    const service = await db.select().from(services).where(eq(services.id, 'missed-bin-collection')).get();
    for (const broken of [undefined, 'two']) {
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
