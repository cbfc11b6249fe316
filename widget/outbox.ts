/** The browser's outbox: a story stays in localStorage, with its idempotency key, until sent. */
import type { FeedbackSubmissionInput } from '../shared';
import { sendFeedback } from './api';
import type { FailureCode } from './messages';

interface Pending {
  endpoint: string;
  submission: FeedbackSubmissionInput;
  savedAt: number;
}

const KEY = 'tellus:outbox';
/** Stories older than this are dropped unsent: a week-old retry would surprise everyone. */
const MAX_AGE_MS = 7 * 864e5;

/** Failures worth trying again later: no answer, or the service itself failing. */
export const retryable = (code: FailureCode) =>
  code === 'network-error' || code === 'offline' || code === 'internal-error';

function read(): Pending[] {
  try {
    const items = JSON.parse(localStorage.getItem(KEY) ?? '[]') as Pending[];
    return items.filter((item) => Date.now() - item.savedAt < MAX_AGE_MS);
  } catch {
    return [];
  }
}

function write(items: Pending[]) {
  try {
    localStorage.setItem(KEY, JSON.stringify(items));
  } catch {
    // Storage can be full or switched off; sending still works, only the safety net is lost.
  }
}

/** Keeps a submission until `forget` is called for its key. */
export function keep(endpoint: string, submission: FeedbackSubmissionInput) {
  const key = submission.idempotency_key;
  write([
    ...read().filter((item) => item.submission.idempotency_key !== key),
    { endpoint, submission, savedAt: Date.now() },
  ]);
}

export function forget(key: string) {
  write(read().filter((item) => item.submission.idempotency_key !== key));
}

/** Sends every kept submission for this endpoint; returns the keys that reached the server. */
export async function flush(endpoint: string): Promise<string[]> {
  const sent: string[] = [];
  for (const { submission } of read().filter((item) => item.endpoint === endpoint)) {
    const result = await sendFeedback(endpoint, submission);
    if (result.ok || !retryable(result.code)) forget(submission.idempotency_key);
    if (result.ok) sent.push(submission.idempotency_key);
  }
  return sent;
}
