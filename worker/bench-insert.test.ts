// The bench's bare insert exists only on the bench's own worker: elsewhere the path is a 404.
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import type { Db } from './db/client';
import { spentFormTokens } from './db/schema';
import worker from './index';
import { seed } from './test/seed';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

const count = async () => (await db.select({ n: sql<number>`count(*)` }).from(spentFormTokens).get())?.n;
const insert = () => new Request('https://tellus.test/bench/insert', { method: 'POST' });

it('is the ordinary problem+json 404 and writes nothing where BENCH_ROUTES is not on', async () => {
  const res = await worker.fetch(insert(), env);
  expect(res.status).toBe(404);
  expect(res.headers.get('Content-Type')).toContain('application/problem+json');
  expect(await count()).toBe(0);
});

it('inserts one row and answers 204 on the bench’s worker', async () => {
  const res = await worker.fetch(insert(), { ...env, BENCH_ROUTES: 'true' });
  expect(res.status).toBe(204);
  expect(await count()).toBe(1);
});
