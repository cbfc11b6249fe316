/**
 * `GET /v1/widget.js`, its versioned copies and its parts (`/v1/<part>.<hash>.js`): the built
 * widget, loadable from any page.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { problem } from '../problem';

// The plain URL changes with every release, and names that release's parts, which the next one
// replaces: caches keep it five minutes and revalidate in the background for an hour at most, so a
// page is never long on a widget.js whose parts are gone (it would still work, without them). A
// versioned URL (widget.<hash>.js, and every part) never changes, so it is cached for a year.
const LATEST = 'public, max-age=300, stale-while-revalidate=3600';
const IMMUTABLE = 'public, max-age=31536000, immutable';

export const widgetRoutes = new Hono<AppEnv>();

widgetRoutes.get('/:file{widget\\.(js|json)|[a-z]+\\.[0-9a-f]{12}\\.js}', async (c) => {
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  if (asset.status === 404) {
    throw problem(404, 'not-found', { detail: `There is no ${c.req.param('file')}; run npm run build` });
  }
  const res = new Response(asset.body, asset);
  const versioned = /^[a-z]+\.[0-9a-f]{12}\.js$/.test(c.req.param('file'));
  res.headers.set('Access-Control-Allow-Origin', '*');
  res.headers.set('Cache-Control', versioned ? IMMUTABLE : LATEST);
  res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  res.headers.set('X-Content-Type-Options', 'nosniff');
  return res;
});
