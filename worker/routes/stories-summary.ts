/** The public summary of a service's stories, kept briefly in the Cache API so that anonymous readers cannot make D1 add up a service on every request. */
import type { ServiceSummary } from '../db/stories';

/** How long a summary is served from the cache before D1 adds it up again, in seconds. */
export const SUMMARY_TTL_SECONDS = 60;

/** A cache of its own, so that nothing else the zone caches can collide with a summary. */
const CACHE_NAME = 'stories-summary';

/** A summary as cached, with when it was added up. */
interface CachedSummary {
  added_up_at: number;
  summary: ServiceSummary;
}

/**
 * The service's summary from this location's cache while it is younger than the TTL, else from
 * `addUp`, cached for the next readers. The summary is the same in every language, so the key is
 * the service alone (under the request's own origin, as the Cache API would have it). The cache
 * is an optimisation: when it fails, the summary comes from D1.
 */
export async function cachedSummary(
  origin: string,
  serviceId: string,
  addUp: () => Promise<ServiceSummary>,
  { ttlSeconds = SUMMARY_TTL_SECONDS, now = Date.now() } = {},
): Promise<ServiceSummary> {
  const key = new Request(new URL(`/v1/services/${encodeURIComponent(serviceId)}/stories/summary`, origin));
  const cache = await caches.open(CACHE_NAME).catch(() => undefined);
  const hit = await cache?.match(key).catch(() => undefined);
  const cached = hit ? await hit.json<CachedSummary>().catch(() => undefined) : undefined;
  // The cache drops an entry after max-age; the time inside it makes the TTL exact whatever the cache does.
  if (cached && now - cached.added_up_at < ttlSeconds * 1000) return cached.summary;
  const summary = await addUp();
  const entry: CachedSummary = { added_up_at: now, summary };
  await cache
    ?.put(key, Response.json(entry, { headers: { 'Cache-Control': `public, max-age=${ttlSeconds}` } }))
    .catch(() => undefined);
  return summary;
}
