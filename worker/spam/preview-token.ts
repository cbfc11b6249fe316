/**
 * The preview token: the console signs one for a service as an admin opens its preview, and a
 * story that brings it back is a test. It lasts an hour and names its service, so it cannot make
 * another service's stories tests, nor live on in a page left open.
 */
import { keyedHash, sameString } from './keys';

/** How long a preview token stays good after the preview page was opened. */
export const PREVIEW_TOKEN_MAX_AGE_MS = 3600 * 1000;

/** A token for previewing `service`, good for an hour from `now`: `<expiry ms>.<signature>`. */
export async function signPreviewToken(secret: string, service: string, now: number): Promise<string> {
  const expiry = now + PREVIEW_TOKEN_MAX_AGE_MS;
  return `${expiry}.${await keyedHash(secret, `preview:${service}:${expiry}`)}`;
}

/** `ok`, or why a story cannot be taken as a test of `service`. */
export type PreviewTokenCheck = 'ok' | 'invalid' | 'expired';

/** Whether `token` was signed by us for `service` and has not expired at `now`. */
export async function checkPreviewToken(
  secret: string,
  service: string,
  token: string,
  now: number,
): Promise<PreviewTokenCheck> {
  const [expiry = '', signature, ...rest] = token.split('.');
  if (!signature || rest.length || !/^\d{13}$/.test(expiry)) return 'invalid';
  if (!sameString(signature, await keyedHash(secret, `preview:${service}:${expiry}`))) return 'invalid';
  // Ours, so never more than an hour ahead; past its expiry it is refused however genuine.
  return Number(expiry) <= now ? 'expired' : 'ok';
}
