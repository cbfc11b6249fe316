/**
 * The form token: the worker signs the moment it showed a service's widget, and a submission must
 * bring it back. A post sooner than a person could have filled the form is refused, measured by
 * the worker's clock on both ends, never the browser's.
 */
import { keyedHash, sameString } from './keys';

/** How long a token stays good: longer than the widget keeps an unsent story (a week). */
export const FORM_TOKEN_MAX_AGE_MS = 8 * 24 * 3600 * 1000;

/** A token for `service`, issued at `now`: `<issued ms>.<signature>`. */
export async function signFormToken(secret: string, service: string, now: number): Promise<string> {
  return `${now}.${await keyedHash(secret, `form:${service}:${now}`)}`;
}

export type FormTokenCheck = 'ok' | 'invalid' | 'too-fast';

/** Whether `token` was signed by us for `service`, long enough ago and not too long ago. */
export async function checkFormToken(
  secret: string,
  service: string,
  token: string | undefined,
  now: number,
  minimumMs: number,
): Promise<FormTokenCheck> {
  const [issued, signature, ...rest] = (token ?? '').split('.');
  const issuedAt = Number(issued);
  if (!signature || rest.length || !/^\d{13}$/.test(issued ?? '')) return 'invalid';
  if (!sameString(signature, await keyedHash(secret, `form:${service}:${issuedAt}`))) return 'invalid';
  const age = now - issuedAt;
  if (age < 0 || age > FORM_TOKEN_MAX_AGE_MS) return 'invalid';
  return age < minimumMs ? 'too-fast' : 'ok';
}
