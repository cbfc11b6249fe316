/** Cloudflare Turnstile, for services that turn it on: the widget's token checked server-side. */

/** Cloudflare's verification endpoint; tests point TURNSTILE_VERIFY_URL at a local stub instead. */
export const TURNSTILE_VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

/** How long to wait for Cloudflare before refusing the submission. */
const VERIFY_TIMEOUT_MS = 5000;

export type TurnstileCheck = { ok: true } | { ok: false; reason: string };

/** Asks Turnstile whether `token` was solved for our secret. No answer in time counts as a failure. */
export async function verifyTurnstile(
  secret: string,
  token: string | undefined,
  remoteIp: string | undefined,
  verifyUrl = TURNSTILE_VERIFY_URL,
): Promise<TurnstileCheck> {
  if (!token) return { ok: false, reason: 'missing-input-response' };
  const form = new FormData();
  form.set('secret', secret);
  form.set('response', token);
  if (remoteIp) form.set('remoteip', remoteIp);
  try {
    const res = await fetch(verifyUrl, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
    });
    const outcome = (await res.json()) as { success?: boolean; 'error-codes'?: string[] };
    if (outcome.success === true) return { ok: true };
    return { ok: false, reason: outcome['error-codes']?.join(' ') || 'not-passed' };
  } catch {
    // Fail closed: a challenge nobody could check is a challenge not passed.
    return { ok: false, reason: 'verification-unavailable' };
  }
}
