// Where a service's widget is shown, noted from GET /v1/services/:id/widget with the real D1: the
// page's origin and a time, after the answer, at most once in five minutes, and never more than a
// few origins the service does not register.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { originSightingsOf } from '../db/queries';
import { originSightings } from '../db/schema';
import { STRANGERS_KEPT_MS } from '../db/sightings';
import worker from '../index';
import { ORIGIN, seed } from '../test/seed';
import { SIGHTING_INTERVAL_MS, UNREGISTERED_SIGHTINGS_MAX } from './services';

const SERVICE = 'missed-bin-collection';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

/** Shows the widget on a page at `origin` (none when undefined), and lets the work after the answer finish. */
async function show(origin: string | undefined, service = SERVICE) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://tellus.test/v1/services/${service}/widget`, {
      headers: origin === undefined ? {} : { Origin: origin },
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res.status;
}

const sightings = () => originSightingsOf(db, SERVICE);

/** Moves a sighting's time back, as if it had been noted `ms` ago. */
const age = (origin: string, ms: number) =>
  db
    .update(originSightings)
    .set({ lastSeenAt: new Date(Date.now() - ms).toISOString() })
    .where(and(eq(originSightings.serviceId, SERVICE), eq(originSightings.origin, origin)));

describe('GET /v1/services/:id/widget notes where the widget is shown', () => {
  it('keeps the page’s origin and the time, nothing else', async () => {
    const before = Date.now();
    expect(await show(ORIGIN)).toBe(200);
    const [seen, ...others] = await db.select().from(originSightings);
    expect(others).toEqual([]);
    expect(Object.keys(seen ?? {}).sort()).toEqual(['lastSeenAt', 'origin', 'serviceId']);
    expect(seen).toMatchObject({ serviceId: SERVICE, origin: ORIGIN });
    expect(Date.parse(seen?.lastSeenAt ?? '')).toBeGreaterThanOrEqual(before);
  });

  it('notes a page served over plain http, the mistake the console then shows', async () => {
    expect(await show('http://www.anytown.example.gov.uk')).toBe(200);
    expect((await sightings()).map((s) => s.origin)).toEqual(['http://www.anytown.example.gov.uk']);
  });

  it('notes nothing without an Origin, with one that is not a plain origin, or for Tellus’s own', async () => {
    for (const origin of [
      undefined,
      'null',
      'https://www.example.gov.uk/page',
      'javascript:alert(1)',
      'HTTPS://WWW.EXAMPLE.GOV.UK',
      `https://${'a'.repeat(300)}.example`,
      'https://tellus.test',
      env.PUBLIC_URL,
    ]) {
      expect(await show(origin), String(origin)).toBe(200);
    }
    expect(await sightings()).toEqual([]);
    expect(await show(ORIGIN, 'no-such-service')).toBe(404);
    expect(await db.select().from(originSightings)).toEqual([]);
  });

  it('writes an origin again only once five minutes have passed since it was noted', async () => {
    await show(ORIGIN);
    await age(ORIGIN, SIGHTING_INTERVAL_MS - 10_000);
    const [noted] = await sightings();
    await show(ORIGIN);
    expect(await sightings()).toEqual([noted]);
    await age(ORIGIN, SIGHTING_INTERVAL_MS + 1);
    const before = Date.now();
    await show(ORIGIN);
    const [again] = await sightings();
    expect(Date.parse(again?.lastSeenAt ?? '')).toBeGreaterThanOrEqual(before);
  });

  it('notes at most 20 origins the service does not register, and its own always', async () => {
    expect(UNREGISTERED_SIGHTINGS_MAX).toBe(20);
    const strangers = Array.from({ length: 25 }, (_, i) => `https://site-${i}.example.org`);
    for (const origin of strangers) await show(origin);
    const noted = (await sightings()).map((s) => s.origin);
    expect(noted.sort()).toEqual(strangers.slice(0, 20).sort());
    await show(ORIGIN);
    expect((await sightings()).map((s) => s.origin)).toContain(ORIGIN);
    // One already noted is still kept up to date.
    await age('https://site-3.example.org', SIGHTING_INTERVAL_MS + 1);
    const before = Date.now();
    await show('https://site-3.example.org');
    const site3 = (await sightings()).find((s) => s.origin === 'https://site-3.example.org');
    expect(Date.parse(site3?.lastSeenAt ?? '')).toBeGreaterThanOrEqual(before);
    expect(await sightings()).toHaveLength(21);
  });

  it('lets origins not seen for 30 days stop counting, so junk cannot block a real one for long', async () => {
    const strangers = Array.from({ length: 20 }, (_, i) => `https://junk-${i}.example.org`);
    for (const origin of strangers) await show(origin);
    await show('https://www.forgotten.example.gov.uk');
    expect((await sightings()).map((s) => s.origin)).not.toContain('https://www.forgotten.example.gov.uk');
    for (const origin of strangers) await age(origin, STRANGERS_KEPT_MS + 1);
    await show('https://www.forgotten.example.gov.uk');
    expect((await sightings()).map((s) => s.origin)).toContain('https://www.forgotten.example.gov.uk');
  });
});
