/**
 * The checks a new story passes before anything is written, cheapest first: the client's burst
 * limit, the honeypot, the form token's age, and Turnstile where the service turned it on.
 */
import type { FeedbackSubmission } from '../../shared';
import type { Service } from '../db/schema';
import { problem } from '../problem';
import { checkFormToken } from './form-token';
import { tellusSecret } from './secret';
import { verifyTurnstile } from './turnstile';

/** The fewest seconds between showing a form and its story, when FORM_MIN_SECONDS says nothing usable. */
const DEFAULT_FORM_MIN_SECONDS = 2;

/** How long a client that hit the burst limit is asked to wait, in seconds (the limiter's period). */
const RETRY_AFTER_SECONDS = 60;

interface Arrival {
  submission: FeedbackSubmission;
  service: Service;
  /** The client's keyed hash; the address itself is only passed to Turnstile, as it asks. */
  client: string;
  address: string | undefined;
  now: number;
}

/** Throws the problem for a submission that looks automated; returns when it may be stored. */
export async function refuseSpam(env: Env, { submission, service, client, address, now }: Arrival) {
  const refusal =
    (await automationRefusal(env, { submission, client, now })) ??
    (await challengeRefusal(env, service.turnstileSecret, submission, address));
  if (refusal) throw refusal;
}

/**
 * The problem with a submission that the checks needing no database refuse (the burst limit, the
 * honeypot, the form token), or undefined. Returned, not thrown: a refused retry of a stored
 * story is still answered as that story.
 */
export async function automationRefusal(
  env: Env,
  { submission, client, now }: Pick<Arrival, 'submission' | 'client' | 'now'>,
) {
  const { success } = await env.SUBMISSIONS.limit({ key: `${submission.service}:${client}` });
  if (!success) {
    return problem(429, 'rate-limited', {
      detail: `Too many stories from one address for ${submission.service}; try again in a minute`,
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    });
  }
  if (submission.website) {
    return problem(422, 'spam-suspected', { detail: 'The submission filled in a field people never see' });
  }
  // A missing or broken setting falls back to the default, never to no minimum at all.
  // (An empty one too: Number('') is 0.)
  const setting = env.FORM_MIN_SECONDS?.trim();
  const seconds = setting ? Number(setting) : Number.NaN;
  const minimumMs = (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_FORM_MIN_SECONDS) * 1000;
  const token = await checkFormToken(tellusSecret(env), submission.service, submission.token, now, minimumMs);
  if (token.state === 'invalid') {
    return problem(422, 'form-token-invalid', {
      detail: 'Send the token from GET /v1/services/:id/widget, as the widget does',
      errors: [{ pointer: '/token', field: 'token', detail: 'Missing, forged or expired' }],
    });
  }
  if (token.state === 'too-fast') {
    // A decisive person can beat the minimum: the widget waits this long and sends the same story again.
    const seconds = Math.ceil(token.waitMs / 1000);
    return problem(422, 'form-too-fast', {
      detail: `A story must come at least ${minimumMs / 1000} seconds after its form was shown; send it again in ${seconds} s`,
      headers: { 'Retry-After': String(seconds) },
    });
  }
  return undefined;
}

/** The problem with a Turnstile token that does not pass, for a service that turned Turnstile on, or undefined. */
export async function challengeRefusal(
  env: Env,
  turnstileSecret: string | null,
  submission: FeedbackSubmission,
  address: string | undefined,
) {
  if (!turnstileSecret) return undefined;
  const check = await verifyTurnstile(
    turnstileSecret,
    submission.turnstile,
    address,
    env.TURNSTILE_VERIFY_URL,
  );
  return check.ok ? undefined : problem(403, 'challenge-failed', { detail: `Turnstile: ${check.reason}` });
}
