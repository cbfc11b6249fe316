/** The worker's own origin: where its widget, API and console are, as host pages and links name it. */

/** `PUBLIC_URL` when it is set, else the origin the request came to; no trailing slash. */
export const publicOrigin = (env: Env, url: string) =>
  (env.PUBLIC_URL || new URL(url).origin).replace(/\/+$/, '');

/**
 * True when a request's `Origin` is Tellus's own (the console's preview page), not a host site's:
 * the origin the request came to, or that of `PUBLIC_URL`.
 */
export function isOwnOrigin(env: Env, url: string, origin: string | undefined): boolean {
  if (!origin) return false;
  return origin === new URL(url).origin || origin === new URL(publicOrigin(env, url)).origin;
}
