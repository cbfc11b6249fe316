/** `/v1/services/…`: what any page may read about a service. */
import { Hono } from 'hono';
import { findService } from '../db/queries';
import type { AppEnv } from '../env';
import { problem } from '../problem';
import { signFormToken } from '../spam/form-token';
import { tellusSecret } from '../spam/secret';

export const serviceRoutes = new Hono<AppEnv>();

/**
 * What the widget needs as it renders: the service's own words, a form token signed now (the
 * proof, when the story comes, that a person had time to write it), and Turnstile's site key for
 * a service that turned it on. Never cached: each showing gets its own token.
 */
serviceRoutes.get('/:id/widget', async (c) => {
  const service = await findService(c.var.db, c.req.param('id'));
  if (!service)
    throw problem(404, 'service-not-found', { detail: `No service has the id ${c.req.param('id')}` });
  // Public, cookie-free and the same for every page: any origin may read it.
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Cache-Control', 'no-store');
  return c.json({
    messages: service.wording,
    token: await signFormToken(tellusSecret(c.env), service.id, Date.now()),
    ...(service.turnstileSitekey
      ? { turnstile: { sitekey: service.turnstileSitekey, script: c.env.TURNSTILE_SCRIPT_URL } }
      : {}),
  });
});
