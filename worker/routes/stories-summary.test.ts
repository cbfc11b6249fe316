// The published stories' summary, in workerd with the real D1 and Cache API: added up by one SQL
// statement, then served from the cache for a minute, so that anonymous readers cannot run up D1 reads.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDb, type Db } from '../db/client';
import { answers, services } from '../db/schema';
import { median, type ServiceSummary as Summary, serviceSummaries } from '../db/stories';
import { newId } from '../ids';
import worker from '../index';
import { countingD1 } from '../test/d1-trips';
import { insertStory, seed } from '../test/seed';
import { cachedSummary, SUMMARY_TTL_SECONDS } from './stories-summary';

const ORIGIN = 'https://tellus.test';
const SERVICE = 'missed-bin-collection';

let db: Db;
beforeEach(async () => {
  db = await seed();
});
afterEach(() => {
  vi.restoreAllMocks();
});

let clock = Date.parse('2026-11-01T09:00:00Z');
/** A story of the service, published or not, and its id. */
async function story(rating: number, { service = SERVICE, published = false } = {}) {
  clock += 60_000;
  const id = await insertStory(db, {
    id: newId(clock),
    serviceId: service,
    rating,
    story: `Rated ${rating}`,
    published,
    createdAt: new Date(clock).toISOString(),
  });
  return { id, createdAt: clock };
}

/** An answer to a story, some milliseconds after it. */
async function answer(to: { id: string; createdAt: number }, msLater: number, changed = false) {
  await db.insert(answers).values({
    id: newId(),
    feedbackId: to.id,
    text: 'Thank you.',
    changed,
    change: changed ? 'New route sheets' : null,
    createdAt: new Date(to.createdAt + msLater).toISOString(),
  });
}

const HOUR = 3_600_000;
const publishing = (on: boolean, service = SERVICE) =>
  db.update(services).set({ publishing: on }).where(eq(services.id, service));

/** GET the service's published stories through the worker, over the given D1 binding. */
async function stories({
  d1 = env.DB,
  service = SERVICE,
  etag,
}: {
  d1?: D1Database;
  service?: string;
  etag?: string;
} = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}/v1/services/${service}/stories`, {
      headers: etag ? { 'If-None-Match': etag } : {},
    }),
    { ...env, DB: d1 },
    ctx,
  );
  const body =
    res.status === 200 ? ((await res.json()) as { summary: Summary; stories: { id: string }[] }) : null;
  await waitOnExecutionContext(ctx);
  return { status: res.status, etag: res.headers.get('ETag'), body };
}

/** The summary's entry in the cache, as the route stores it, read to the end. */
async function cachedEntry(service = SERVICE) {
  const cache = await caches.open('stories-summary');
  const hit = await cache.match(`${ORIGIN}/v1/services/${service}/stories/summary`);
  return hit ? ((await hit.json()) as { summary: Summary }) : undefined;
}

describe('the summary, added up in SQL', () => {
  it('gives count, average, shares and the median for an odd and an even number of answered stories', async () => {
    // Missed bins: five stories, three answered (1 h, 4 h and 10 h to the first answer): odd median.
    const a = await story(1);
    const b = await story(2);
    const c = await story(2);
    await story(5);
    await story(4);
    await answer(a, 4 * HOUR, true);
    await answer(a, 50 * HOUR);
    await answer(b, 10 * HOUR);
    await answer(c, 1 * HOUR, true);
    await answer(c, 2 * HOUR, true);
    // Bulky waste: four answered stories (30 min, 2 h, 3 h 30 min, 20 h): even median, the mean of 2 h and 3.5 h.
    const bulky = [];
    for (const rating of [3, 3, 4, 5]) bulky.push(await story(rating, { service: 'bulky-waste' }));
    const times = [2 * HOUR, 30 * 60_000, 20 * HOUR, 3.5 * HOUR];
    for (const [i, ms] of times.entries()) await answer(bulky[i] as { id: string; createdAt: number }, ms);

    const summaries = await serviceSummaries(db, [SERVICE, 'bulky-waste', 'nothing-yet']);
    expect(summaries.get(SERVICE)).toEqual({
      stories: 5,
      average_rating: 2.8,
      share_answered: 3 / 5,
      share_changed: 3 / 5,
      median_hours_to_answer: 4,
    });
    expect(summaries.get('bulky-waste')).toEqual({
      stories: 4,
      average_rating: 3.8,
      share_answered: 1,
      share_changed: 0,
      median_hours_to_answer: 2.8,
    });
    expect(median(times.map((ms) => ms / HOUR))).toBe(2.75);
    expect(summaries.get('nothing-yet')).toEqual({
      stories: 0,
      average_rating: null,
      share_answered: null,
      share_changed: null,
      median_hours_to_answer: null,
    });
  });

  it('agrees with the plain median to the millisecond, however many answered stories and ties', async () => {
    const times = [7_201_234, 1, 3_600_000, 3_600_000, 90 * HOUR + 5, 59_999, 13 * HOUR + 333];
    for (let n = 1; n <= times.length; n++) {
      await seed();
      for (const ms of times.slice(0, n)) await answer(await story(3), ms);
      const expected = median(times.slice(0, n)) as number;
      const summary = (await serviceSummaries(db, [SERVICE])).get(SERVICE);
      expect(summary?.median_hours_to_answer, `${n} answered`).toBe(Math.round((expected / HOUR) * 10) / 10);
    }
  });

  it('gets one row a service back from D1, however many stories were answered', async () => {
    for (let i = 0; i < 30; i++) await answer(await story((i % 5) + 1), (i + 1) * HOUR);
    const d1 = countingD1(env.DB);
    const summaries = await serviceSummaries(createDb(d1.binding), [SERVICE, 'bulky-waste']);
    expect(summaries.get(SERVICE)).toMatchObject({
      stories: 30,
      share_answered: 1,
      median_hours_to_answer: 15.5,
    });
    expect(d1.rows()).toBe(1);
  });

  it('reads D1 once for the summary of any number of services', async () => {
    const d1 = countingD1(env.DB);
    await serviceSummaries(createDb(d1.binding), [SERVICE, 'bulky-waste', 'a', 'b', 'c']);
    expect(d1.trips()).toBe(1);
  });
});

describe('the summary, cached', () => {
  it(`serves the summary from the cache for ${SUMMARY_TTL_SECONDS} s, with the same ETag, then adds it up again`, async () => {
    await publishing(true);
    const first = await story(4, { published: true });
    await answer(first, 2 * HOUR);
    const cold = countingD1(env.DB);
    const before = await stories({ d1: cold.binding });
    expect(before.body?.summary).toMatchObject({ stories: 1, average_rating: 4, median_hours_to_answer: 2 });
    expect((await cachedEntry())?.summary).toEqual(before.body?.summary);

    // A story that is not published changes the summary, not the page of stories.
    await story(1);
    const warm = countingD1(env.DB);
    const within = await stories({ d1: warm.binding });
    expect(within.body?.summary).toEqual(before.body?.summary);
    expect(warm.trips()).toBe(cold.trips() - 1);
    expect(within.etag).toBe(before.etag);
    expect((await stories({ etag: before.etag ?? '' })).status).toBe(304);

    // A minute after now, so a minute at least after the summary was added up.
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + SUMMARY_TTL_SECONDS * 1000);
    const after = await stories();
    expect(after.body?.summary).toMatchObject({ stories: 2, average_rating: 2.5, share_answered: 0.5 });
    expect(after.etag).not.toBe(before.etag);
    expect((await stories({ etag: before.etag ?? '' })).status).toBe(200);
    expect((await stories({ etag: after.etag ?? '' })).status).toBe(304);
  });

  it('still reads the stories each time: a newly published story shows at once, with the cached summary', async () => {
    await publishing(true);
    await story(5, { published: true });
    const before = await stories();
    const { id } = await story(1, { published: true });
    const after = await stories();
    expect(after.body?.stories.map((s) => s.id)).toContain(id);
    expect(after.body?.summary).toEqual(before.body?.summary);
    expect(after.etag).not.toBe(before.etag);
  });

  it('keeps each service apart', async () => {
    await publishing(true);
    await publishing(true, 'bulky-waste');
    await story(5, { published: true });
    await story(1, { service: 'bulky-waste', published: true });
    expect((await stories()).body?.summary.average_rating).toBe(5);
    expect((await stories({ service: 'bulky-waste' })).body?.summary.average_rating).toBe(1);
  });

  it('lets the Cache API drop an entry once its max-age has passed', async () => {
    const addUp = vi.fn(async () => (await serviceSummaries(db, [SERVICE])).get(SERVICE) as Summary);
    const now = Date.now();
    // The same `now` each time: only the cache's own expiry can make it add up again.
    await cachedSummary(ORIGIN, SERVICE, addUp, { ttlSeconds: 1, now });
    await cachedSummary(ORIGIN, SERVICE, addUp, { ttlSeconds: 1, now });
    expect(addUp).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await cachedSummary(ORIGIN, SERVICE, addUp, { ttlSeconds: 1, now });
    expect(addUp).toHaveBeenCalledTimes(2);
  });

  it('shows nothing, cached or not, for a service that does not publish', async () => {
    await story(4);
    expect((await stories()).status).toBe(404);
    expect(await cachedEntry()).toBeUndefined();

    await publishing(true);
    expect((await stories()).status).toBe(200);
    expect(await cachedEntry()).toBeDefined();
    await publishing(false);
    expect((await stories()).status).toBe(404);
  });
});
