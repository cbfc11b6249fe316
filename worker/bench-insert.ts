/**
 * `POST /bench/insert`, for `npm run bench` only: one bare D1 insert and a 204, the floor a story's
 * write is measured against. It exists only where BENCH_ROUTES is "true" (the bench's own worker);
 * everywhere else the path is the app's ordinary 404, and it is no part of the API.
 */
import { createDb } from './db/client';
import { spentFormTokens } from './db/schema';

export const BENCH_INSERT_PATH = '/bench/insert';

/** Whether this worker serves the bench's insert and the request asks for it. */
export const isBenchInsert = (request: Request, env: Env) =>
  env.BENCH_ROUTES === 'true' &&
  request.method === 'POST' &&
  new URL(request.url).pathname === BENCH_INSERT_PATH;

/** One insert of a row like a spent form token: small, keyed, and forgotten by the sweep within the hour. */
export async function benchInsert(env: Env): Promise<Response> {
  await createDb(env.DB)
    .insert(spentFormTokens)
    .values({ token: `bench:${crypto.randomUUID()}`, spentAt: new Date().toISOString() });
  return new Response(null, { status: 204 });
}
