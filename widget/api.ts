/** The widget's API client: returns a result value and never throws into components. */
import type { FeedbackCreated, FeedbackSubmissionInput, FieldIssue, Problem, ProblemCode } from '../shared';

/** Why sending failed: a problem the worker reported, or no answer at all (offline or blocked). */
export type FailureCode = ProblemCode | 'network-error';

/** How long the widget waits for the worker before telling the citizen it could not send. */
const SEND_TIMEOUT_MS = 15_000;

export type SendResult =
  | { ok: true; created: FeedbackCreated }
  | { ok: false; code: FailureCode; status: number; errors?: FieldIssue[] };

/**
 * Worth trying again later: no answer at all (status 0), the service failing (5xx), or "not now"
 * (408, 425, 429). Every other 4xx is final: the same story would be refused again.
 */
export const retryable = (result: SendResult) =>
  !result.ok && (!result.status || result.status > 499 || [408, 425, 429].includes(result.status));

/** Posts a submission to `${endpoint}/v1/feedback` without cookies. */
export async function sendFeedback(
  endpoint: string,
  submission: FeedbackSubmissionInput,
  tries = 3,
): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(`${endpoint}/v1/feedback`, {
      method: 'POST',
      // No cookies go: none cross origins, and Tellus sets none for /v1. No Content-Type header:
      // the JSON goes as text/plain, which the worker reads the same, so the browser sends it at
      // once instead of asking first with a CORS preflight.
      body: JSON.stringify(submission),
      // Older Safari has no AbortSignal.timeout: it then waits as long as the browser does.
      signal: AbortSignal.timeout?.(SEND_TIMEOUT_MS),
    });
  } catch {
    // No answer at all: offline, timed out, or the browser blocked it.
    return { ok: false, code: 'network-error', status: 0 };
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (res.ok && typeof (body as FeedbackCreated | undefined)?.id === 'string') {
    return { ok: true, created: body as FeedbackCreated };
  }
  const problem = body as Problem | undefined;
  // A decisive citizen can press Send before the worker's minimum time since the form showed: wait
  // as long as it says (Retry-After; a second if it says nothing), still "Sending…", and send the
  // same story again. Its clock decides, so one wait is enough; a few tries at most.
  if (problem?.code === 'form-too-fast' && --tries) {
    await new Promise((wake) => setTimeout(wake, 1e3 * (+(res.headers.get('Retry-After') as string) || 1)));
    return sendFeedback(endpoint, submission, tries);
  }
  return {
    ok: false,
    code:
      typeof problem?.code === 'string' ? problem.code : res.status > 499 ? 'internal-error' : 'bad-request',
    status: res.status,
    errors: problem?.errors,
  };
}

/**
 * A random key for one submission: 128 random bits as four numbers joined by `-` (such as
 * `3120932716-85116237-2914331104-1180446350`), made without `crypto.randomUUID`, which only
 * secure contexts have.
 */
export function newIdempotencyKey(): string {
  return crypto.getRandomValues(new Uint32Array(4)).join('-');
}
