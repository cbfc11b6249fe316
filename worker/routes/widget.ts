/** `GET /v1/widget.js`: the built widget from the static assets, loadable from any page. */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { problem } from '../problem';

// The URL is not versioned per build, so caches keep it a day and revalidate in the background.
const WIDGET_CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';

export const widgetRoutes = new Hono<AppEnv>();

widgetRoutes.get('/widget.js', async (c) => {
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  if (asset.status === 404) {
    throw problem(404, 'not-found', { detail: 'The widget has not been built: run npm run build' });
  }
  const res = new Response(asset.body, asset);
  res.headers.set('Access-Control-Allow-Origin', '*');
  res.headers.set('Cache-Control', WIDGET_CACHE_CONTROL);
  res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  res.headers.set('X-Content-Type-Options', 'nosniff');
  return res;
});
