/** The browser's outbox: a story stays in localStorage, with its idempotency key, until sent. */
import type { FeedbackSubmissionInput } from '../shared';
import { retryable, type SendResult, sendFeedback } from './api';

interface Pending {
  endpoint: string;
  submission: FeedbackSubmissionInput;
}

const KEY = 'tellus:outbox';

function read(): Pending[] {
  try {
    // Nothing expires here: the worker refuses a story whose form token is over eight days old,
    // and a refused story is forgotten.
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as Pending[];
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
    { endpoint, submission },
  ]);
}

export function forget(key: string) {
  write(read().filter((item) => item.submission.idempotency_key !== key));
}

/**
 * Sends every kept submission for this endpoint. Returns what became of each key that is no
 * longer kept: the worker's answer, whether it stored the story or refused it.
 */
export async function flush(endpoint: string): Promise<Record<string, SendResult>> {
  const done: Record<string, SendResult> = {};
  for (const { submission } of read().filter((item) => item.endpoint === endpoint)) {
    const result = await sendFeedback(endpoint, submission);
    if (result.ok || !retryable(result.code)) {
      forget(submission.idempotency_key);
      done[submission.idempotency_key] = result;
    }
  }
  return done;
}
