// Test data: an empty database with the real migrations, then one department, two services
// and their allowed origins, written through drizzle.
import { applyD1Migrations, createExecutionContext, reset, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { Db } from '../db/client';
import { createDb } from '../db/client';
import {
  departments,
  feedback,
  type NewFeedback,
  type NewSubscription,
  serviceOrigins,
  services,
  subscriptions,
} from '../db/schema';
import { newId } from '../ids';
import worker from '../index';
import { signFormToken } from '../spam/form-token';
import { TEST_TELLUS_SECRET, TEST_WEBHOOK_SECRET } from './constants';

export const ORIGIN = 'https://www.anytown.example.gov.uk';
export const OTHER_ORIGIN = 'https://www.elsewhere.example.org';

/** Empties every binding, replays the migrations and seeds the test services. */
export async function seed() {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  const db = createDb(env.DB);
  await db.batch([
    db.insert(departments).values({
      id: 'waste',
      name: 'Waste and Recycling',
      contactEmail: 'waste@anytown.example.gov.uk',
      retentionDays: 365,
    }),
    db.insert(services).values([
      { id: 'missed-bin-collection', departmentId: 'waste', name: 'Report a missed bin collection' },
      { id: 'bulky-waste', departmentId: 'waste', name: 'Book a bulky waste collection' },
    ]),
    db.insert(serviceOrigins).values([
      { serviceId: 'missed-bin-collection', origin: ORIGIN },
      { serviceId: 'bulky-waste', origin: OTHER_ORIGIN },
    ]),
  ]);
  return db;
}

/**
 * A story written straight into D1, as if it had come through the widget, with every required
 * field given a default; returns its id.
 */
export async function insertStory(db: Db, overrides: Partial<NewFeedback> = {}) {
  const row = {
    id: newId(),
    serviceId: 'missed-bin-collection',
    rating: 2,
    story: 'The bin lorry skipped our street.',
    idempotencyKey: crypto.randomUUID(),
    fingerprint: 'x',
    ...overrides,
  };
  await db.insert(feedback).values(row);
  return row.id;
}

/** A webhook subscription of the waste department to the test receiver, with a script of answers. */
export async function addWebhook(
  db: Db,
  box: string,
  script = '200',
  overrides: Partial<NewSubscription> = {},
) {
  const id = overrides.id ?? `sub-${box}`;
  await db.insert(subscriptions).values({
    id,
    departmentId: 'waste',
    kind: 'webhook',
    target: `${env.RECEIVER_ORIGIN}/hook/${box}/${script}`,
    secret: TEST_WEBHOOK_SECRET,
    ...overrides,
  });
  return id;
}

/**
 * A Teams or Slack subscription of the waste department to the test receiver's stand-in for that
 * platform's incoming webhook, with a script of answers. The path ends in a token, as theirs do.
 */
export async function addChat(
  db: Db,
  kind: 'teams' | 'slack',
  box: string,
  script = '200',
  overrides: Partial<NewSubscription> = {},
) {
  const id = overrides.id ?? `sub-${kind}-${box}`;
  await db.insert(subscriptions).values({
    id,
    departmentId: 'waste',
    kind,
    target: `${env.RECEIVER_ORIGIN}/${kind}/${box}/${script}?token=${CHAT_URL_TOKEN}`,
    ...overrides,
  });
  return id;
}

/** What stands for the secret part of every test Teams and Slack URL: it must never be shown. */
export const CHAT_URL_TOKEN = 'sEcReTtOkEn0123456789abcdef';

/** An email subscription of the waste department. */
export async function addEmail(db: Db, to: string, overrides: Partial<NewSubscription> = {}) {
  const id = overrides.id ?? `sub-${newId()}`;
  await db
    .insert(subscriptions)
    .values({ id, departmentId: 'waste', kind: 'email', target: to, ...overrides });
  return id;
}

/** What the test receiver got in one box. */
export async function received(box: string) {
  const res = await fetch(`${env.RECEIVER_ORIGIN}/received/${box}`);
  return (await res.json()) as import('./constants').ReceivedWebhook[];
}

/** Waits until `check` returns something truthy, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Posts a story as a citizen's browser would, then lets the work after the 201 finish. */
export async function submitStory(story?: string, overrides: Record<string, unknown> = {}) {
  const ctx = createExecutionContext();
  const service = (overrides.service as string | undefined) ?? 'missed-bin-collection';
  const request = new Request('https://tellus.test/v1/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'CF-Connecting-IP': clientAddress() },
    body: JSON.stringify({
      service,
      rating: 2,
      story,
      idempotency_key: crypto.randomUUID(),
      token: await formToken(service),
      ...overrides,
    }),
  });
  const res = await worker.fetch(request, env, ctx);
  if (res.status !== 201) throw new Error(`Expected 201, got ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  await waitOnExecutionContext(ctx);
  return id;
}

/** A form token as the widget would have got it, shown a minute ago (long enough for a person). */
export function formToken(service = 'missed-bin-collection', shownAt = Date.now() - 60_000) {
  return signFormToken(TEST_TELLUS_SECRET, service, shownAt);
}

/** A client address of its own for each request, so one test's stories never trip another's limits. */
export function clientAddress(): string {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3));
  return `10.${a}.${b}.${c}`;
}
