/** The browser's outbox: a story stays in localStorage, with its idempotency key, until sent. */
import type { FeedbackSubmissionInput } from '../shared';
import { type FailureCode, retryable, sendFeedback } from './api';

interface Pending {
  endpoint: string;
  submission: FeedbackSubmissionInput;
  savedAt: number;
}

const KEY = 'tellus:outbox';
/** Stories older than this are dropped unsent: a week-old retry would surprise everyone. */
const MAX_AGE_MS = 7 * 864e5;

function read(): Pending[] {
  try {
    const items = JSON.parse(localStorage.getItem(KEY) ?? '[]') as Pending[];
    return items.filter((item) => Date.now() - item.savedAt < MAX_AGE_MS);
  } catch {
    return [];
  }
}

/** Writes the outbox; false when the browser would not store it (full, or switched off). */
function write(items: Pending[]): boolean {
  try {
    localStorage.setItem(KEY, JSON.stringify(items));
    return true;
  } catch {
    return false;
  }
}

/** Keeps a submission until `forget` is called for its key; false when it could not be kept. */
export function keep(endpoint: string, submission: FeedbackSubmissionInput): boolean {
  const key = submission.idempotency_key;
  return write([
    ...read().filter((item) => item.submission.idempotency_key !== key),
    { endpoint, submission, savedAt: Date.now() },
  ]);
}

export function forget(key: string) {
  write(read().filter((item) => item.submission.idempotency_key !== key));
}

/**
 * Sends every kept submission for this endpoint. Returns what became of each key that is no
 * longer kept: `true` when the worker has it, or the code it was refused with.
 */
export async function flush(endpoint: string): Promise<Record<string, true | FailureCode>> {
  const done: Record<string, true | FailureCode> = {};
  for (const { submission } of read().filter((item) => item.endpoint === endpoint)) {
    const result = await sendFeedback(endpoint, submission);
    if (result.ok || !retryable(result.code)) {
      forget(submission.idempotency_key);
      done[submission.idempotency_key] = result.ok || result.code;
    }
  }
  return done;
}
