// JSON requests to the worker's own APIs, as an operator or a department's system makes them.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../index';
import { TEST_OPERATOR_TOKEN } from './constants';

/** Calls `path` with `token` as the bearer (the operator's unless told); the status and the JSON body. */
export async function api(
  method: string,
  path: string,
  { token = TEST_OPERATOR_TOKEN, body }: { token?: string; body?: unknown } = {},
) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://tellus.test${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    env,
    ctx,
  );
  const json = (await res.json()) as Record<string, unknown>;
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: json };
}
