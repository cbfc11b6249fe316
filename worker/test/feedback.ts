// Posting stories to `POST /v1/feedback` in worker tests, and checking what came back.
import { env, exports } from 'cloudflare:workers';
import { count } from 'drizzle-orm';
import { expect } from 'vitest';
import { createDb } from '../db/client';
import { feedback } from '../db/schema';
import { clientAddress, ORIGIN } from './seed';

export const FEEDBACK_URL = 'https://tellus.test/v1/feedback';

/** A valid submission with `token`, as the widget sends it, with any field replaced. */
export function newSubmission(token: string, overrides: Record<string, unknown> = {}) {
  return {
    service: 'missed-bin-collection',
    rating: 2,
    story: 'The bin lorry skipped our street two weeks running.',
    page: '/bins/report-missed',
    locale: 'en',
    idempotency_key: crypto.randomUUID(),
    token,
    ...overrides,
  };
}

/** Sends a body as it is, from the registered origin and a client address of its own. */
export function send(body: BodyInit | null, headers: Record<string, string> = {}) {
  return exports.default.fetch(FEEDBACK_URL, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: ORIGIN,
      'CF-Connecting-IP': clientAddress(),
      ...headers,
    },
    body,
  });
}

/** Posts a submission (JSON-encoded unless it is text already). */
export function post(body: unknown, headers: Record<string, string> = {}) {
  return send(typeof body === 'string' ? body : JSON.stringify(body), headers);
}

/** How many stories D1 holds. */
export async function rowCount() {
  const [row] = await createDb(env.DB).select({ n: count() }).from(feedback);
  return row?.n ?? 0;
}

/** Expects a problem+json answer with this status and code; returns its body. */
export async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `urn:tellus:problem:${code}` });
  expect(typeof body.title).toBe('string');
  return body;
}
