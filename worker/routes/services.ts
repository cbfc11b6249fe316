/** `/v1/services/…`: what any page may read about a service. */
import { Hono } from 'hono';
import { findService } from '../db/queries';
import type { AppEnv } from '../env';
import { problem } from '../problem';

// A service's wording changes rarely; five minutes of caching spares the worker a read per page view.
const WIDGET_SETTINGS_CACHE = 'public, max-age=300';

export const serviceRoutes = new Hono<AppEnv>();

/** What the widget needs to know about its service: the service's own words, per language. */
serviceRoutes.get('/:id/widget', async (c) => {
  const service = await findService(c.var.db, c.req.param('id'));
  if (!service)
    throw problem(404, 'service-not-found', { detail: `No service has the id ${c.req.param('id')}` });
  // Public, cookie-free and the same for every page: any origin may read it.
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Cache-Control', WIDGET_SETTINGS_CACHE);
  return c.json({ messages: service.wording });
});
