/** `/v1/services/…`: what any page may read about a service. */
import { type Context, Hono } from 'hono';
import { DEFAULT_STORY_HINT, type Locale, PUBLISHED_NOTE, type ServiceWording } from '../../shared';
import { findService, findWidgetService } from '../db/queries';
import { recordSighting, STRANGERS_KEPT_MS } from '../db/sightings';
import { publishedStories, serviceSummary } from '../db/stories';
import type { AppEnv } from '../env';
import { problem } from '../problem';
import { isOwnOrigin } from '../public-origin';
import { signFormToken } from '../spam/form-token';
import { sha256Hex } from '../spam/keys';
import { tellusSecret } from '../spam/secret';
import { readQuery } from './department';
import { cachedSummary } from './stories-summary';

export const serviceRoutes = new Hono<AppEnv>();

/** The service's words with the note that stories may be published added to its hint, in each language. */
function withPublishedNote(wording: ServiceWording): ServiceWording {
  const note = (lang: Locale) => ({
    ...wording[lang],
    storyHint: `${wording[lang]?.storyHint ?? DEFAULT_STORY_HINT[lang]} ${PUBLISHED_NOTE[lang]}`,
  });
  return { en: note('en'), cy: note('cy') };
}

/** Where a widget was shown is written at most once in this long, per service and origin. */
export const SIGHTING_INTERVAL_MS = 5 * 60 * 1000;
/**
 * Whether `origin` is a web origin exactly as a browser sends it (`http` or `https`, lowercase
 * host, no default port, no path). Plain `http` is noted too: a page served that way is one of the
 * mistakes the console shows.
 */
function isSerialisedOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

/** Origins a service does not register that are noted, at most (registered ones always are). */
export const UNREGISTERED_SIGHTINGS_MAX = 20;

/**
 * Notes, after the response, the origin of the page showing the service's widget (from the
 * request's Origin header): nothing about the citizen. Not for a request without one or with one
 * that is not a plain origin, nor for Tellus's own (the console's preview).
 */
function noteSighting(c: Context<AppEnv>, serviceId: string) {
  const origin = c.req.header('Origin');
  // No longer than a host name may be (253), with a scheme and a port.
  const wellFormed = origin && origin.length <= 300 && isSerialisedOrigin(origin);
  if (!wellFormed || isOwnOrigin(c.env, c.req.url, origin)) return;
  const now = Date.now();
  const sighting = {
    serviceId,
    origin,
    at: new Date(now),
    unchangedSince: new Date(now - SIGHTING_INTERVAL_MS),
    unregisteredMax: UNREGISTERED_SIGHTINGS_MAX,
    strangersSince: new Date(now - STRANGERS_KEPT_MS),
  };
  c.executionCtx.waitUntil(
    recordSighting(c.var.db, sighting).catch((err) => console.error('Could not note a sighting', err)),
  );
}

/** Published stories a page when the caller does not say. */
const STORIES_PAGE_SIZE = 20;

/**
 * A service's published stories with the department's answers, newest first, and the summary of
 * all its stories. Public and cacheable: an ETag lets a page ask again for the price of a 304.
 * The stories are read each time; the summary comes from the cache for up to a minute.
 */
serviceRoutes.get('/:id/stories', async (c) => {
  const service = await findService(c.var.db, c.req.param('id'));
  // A service that does not publish shows nothing at all, not even its summary.
  if (!service?.publishing) {
    throw problem(404, 'service-not-found', {
      detail: `No service publishes stories as ${c.req.param('id')}`,
    });
  }
  const { cursor, limit, ...filters } = readQuery(c.req.query());
  if (Object.keys(filters).length) {
    throw problem(422, 'validation-failed', { detail: 'Published stories take only cursor and limit' });
  }
  const { stories, more } = await publishedStories(c.var.db, service.id, cursor, limit ?? STORIES_PAGE_SIZE);
  const body = {
    service: { id: service.id, name: service.name },
    summary: await cachedSummary(new URL(c.req.url).origin, service.id, () =>
      serviceSummary(c.var.db, service.id),
    ),
    stories,
    next_cursor: more ? (stories.at(-1)?.id ?? null) : null,
  };
  const etag = `"${(await sha256Hex(JSON.stringify(body))).slice(0, 32)}"`;
  const headers = {
    ETag: etag,
    'Cache-Control': 'public, max-age=60',
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'ETag',
  };
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);
  return c.json(body, 200, headers);
});

/**
 * What the widget needs as it renders: the service's own words, a form token signed now (the
 * proof, when the story comes, that a person had time to write it), Turnstile's site key for a
 * service that turned it on, the department's retention in days (the widget keeps a receipt on
 * the device no longer than the story is kept), and the link to the service's privacy notice when
 * it has one. Never cached: each showing gets its own token.
 */
serviceRoutes.get('/:id/widget', async (c) => {
  const service = await findWidgetService(c.var.db, c.req.param('id'));
  if (!service)
    throw problem(404, 'service-not-found', { detail: `No service has the id ${c.req.param('id')}` });
  noteSighting(c, service.id);
  // Public, cookie-free and the same for every page: any origin may read it.
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Cache-Control', 'no-store');
  return c.json({
    messages: service.publishing ? withPublishedNote(service.wording) : service.wording,
    token: await signFormToken(tellusSecret(c.env), service.id, Date.now()),
    retention_days: service.retentionDays,
    ...(service.turnstileSitekey
      ? { turnstile: { sitekey: service.turnstileSitekey, script: c.env.TURNSTILE_SCRIPT_URL } }
      : {}),
    ...(service.privacyUrl ? { privacy_url: service.privacyUrl } : {}),
  });
});
