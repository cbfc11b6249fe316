/**
 * The form token: the worker signs the moment it showed a service's widget, and a submission must
 * bring it back. A post sooner than a person could have filled the form waits, measured by the
 * worker's clock on both ends, never the browser's. Each token carries a random nonce, so no two
 * widgets share one, and makes one story (the store refuses a token already spent).
 */
import { keyedHash, randomCode, sameString } from './keys';

/** How long a token stays good: longer than the widget keeps an unsent story (a week). */
export const FORM_TOKEN_MAX_AGE_MS = 8 * 24 * 3600 * 1000;

/** A token for `service`, issued at `now`: `<issued ms>.<nonce>.<signature>`. */
export async function signFormToken(secret: string, service: string, now: number): Promise<string> {
  const nonce = randomCode();
  return `${now}.${nonce}.${await keyedHash(secret, `form:${service}:${now}:${nonce}`)}`;
}

export type FormTokenCheck =
  | { state: 'ok' | 'invalid' }
  /** Genuine, but younger than the minimum: good in `waitMs`. */
  | { state: 'too-fast'; waitMs: number };

/** Whether `token` was signed by us for `service`, long enough ago and not too long ago. */
export async function checkFormToken(
  secret: string,
  service: string,
  token: string | undefined,
  now: number,
  minimumMs: number,
): Promise<FormTokenCheck> {
  // Tokens from before the nonce (`<issued ms>.<signature>`) still come back from citizens'
  // outboxes for up to eight days after an upgrade; they are checked as they were signed.
  const parts = (token ?? '').split('.');
  const [issued = '', nonce, signature] = parts.length === 2 ? [parts[0], undefined, parts[1]] : parts;
  const issuedAt = Number(issued);
  const wellFormed =
    parts.length <= 3 && /^\d{13}$/.test(issued) && (nonce === undefined || /^[\w-]{22}$/.test(nonce));
  if (!signature || !wellFormed) return { state: 'invalid' };
  const signed = nonce === undefined ? `form:${service}:${issuedAt}` : `form:${service}:${issuedAt}:${nonce}`;
  if (!sameString(signature, await keyedHash(secret, signed))) return { state: 'invalid' };
  const age = now - issuedAt;
  if (age < 0 || age > FORM_TOKEN_MAX_AGE_MS) return { state: 'invalid' };
  return age < minimumMs ? { state: 'too-fast', waitMs: minimumMs - age } : { state: 'ok' };
}
