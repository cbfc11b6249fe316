/**
 * Sending one story: kept in the browser first, handed to `sendBeacon` if the page goes mid-send,
 * forgotten once the worker has it or refuses it for good, and its receipt kept on success.
 */
import type { FeedbackCreated } from '../shared';
import { retryable, type SendResult, sendFeedback } from './api';
import { type Kept, OUTBOX, RECEIPT, store } from './storage';

const DAY_MS = 864e5;
/** How long a story is kept on the device for another try: a week, as long as its form token lasts. */
const KEEP_DAYS = 7;

/** Stories this page is sending now: the outbox leaves them to the send under way. */
export const inFlight = new Set<string>();

/**
 * The receipt, so that a later page of its service can show the team's answer: kept no longer than
 * the department keeps the story, and asked about only where it was sent.
 */
export function keepReceipt(endpoint: string, service: string, sent: FeedbackCreated, retentionDays = 365) {
  const now = Date.now();
  store(`${RECEIPT}${service}:${sent.receipt}`, { at: now, until: now + retentionDays * DAY_MS, endpoint });
}

/** Sends `kept.submission`; `kept` says whether the browser kept it to try again. */
export async function send(
  kept: Kept,
  retentionDays?: number,
): Promise<{ result: SendResult; kept: boolean }> {
  const { endpoint, submission } = kept;
  const key = submission.idempotency_key;
  // Kept before sending: if the tab closes mid-send, the browser sends it as the page goes, and
  // the next page that loads the widget sends it too.
  const stored = store(OUTBOX + key, { ...kept, until: Date.now() + KEEP_DAYS * DAY_MS });
  const body = JSON.stringify(submission);
  const leaving = () => navigator.sendBeacon?.(`${endpoint}/v1/feedback`, body);
  addEventListener('pagehide', leaving);
  inFlight.add(key);
  const result = await sendFeedback(endpoint, submission);
  inFlight.delete(key);
  removeEventListener('pagehide', leaving);
  if (result.ok || !retryable(result)) store(OUTBOX + key);
  if (result.ok) keepReceipt(endpoint, submission.service, result.created, retentionDays);
  return { result, kept: stored };
}
