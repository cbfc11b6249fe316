/** The widget's API client: returns a result value and never throws into components. */
import { type FeedbackCreated, type FeedbackSubmissionInput, type FieldIssue, isProblem } from '../shared';
import type { FailureCode } from './messages';

/** How long the widget waits for the worker before telling the citizen it could not send. */
const SEND_TIMEOUT_MS = 15_000;

export type SendResult = { ok: true; id: string } | { ok: false; code: FailureCode; errors?: FieldIssue[] };

/** Posts a submission to `${endpoint}/v1/feedback` without cookies. */
export async function sendFeedback(
  endpoint: string,
  submission: FeedbackSubmissionInput,
): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(`${endpoint}/v1/feedback`, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(submission),
      // Older Safari has no AbortSignal.timeout: it then waits as long as the browser does.
      signal: AbortSignal.timeout?.(SEND_TIMEOUT_MS),
    });
  } catch {
    // No answer at all: offline, timed out, or the browser blocked it (an unregistered site).
    return { ok: false, code: navigator.onLine === false ? 'offline' : 'network-error' };
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (res.ok && typeof (body as FeedbackCreated | undefined)?.id === 'string') {
    return { ok: true, id: (body as FeedbackCreated).id };
  }
  if (isProblem(body)) return { ok: false, code: body.code, errors: body.errors };
  return { ok: false, code: res.status >= 500 ? 'internal-error' : 'network-error' };
}

/** A random key for one submission, made without `crypto.randomUUID` (secure contexts only). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
