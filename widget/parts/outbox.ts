/**
 * The browser's outbox: stories kept in localStorage (storage.ts) until the worker has them. Loaded
 * when a send fails or something is kept. It sends them again while the page stays open (every
 * minute, and as soon as the browser is back online), hands them to `sendBeacon` as the page is
 * hidden, and on the next page that loads the widget. The idempotency key of each story makes every
 * resend safe: the worker stores it once, and answers a repeat with what it stored.
 */
import type { FeedbackSubmissionInput } from '../../shared';
import { retryable, type SendResult, sendFeedback } from '../api';
import { type Kept, keys, OUTBOX, read, store } from '../storage';

/** How long the outbox waits between tries while the page stays open. */
export const RETRY_MS = 60_000;

export interface OutboxOptions {
  endpoint: string;
  /** Hears of each story no longer kept: stored, or refused for good. */
  done(kept: Kept, result: SendResult): void;
  /** A fresh Turnstile token for a story kept on a service that uses it; undefined: try later. */
  challenge(kept: Kept): Promise<string | undefined>;
  /** True for a story this page is sending right now, which the outbox leaves alone. */
  busy(kept: Kept): boolean;
}

export function startOutbox({ endpoint, done, challenge, busy }: OutboxOptions) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> | undefined;
  let stopped = false;

  const pending = () =>
    keys(OUTBOX).flatMap((key) => {
      const kept = read<Kept>(key);
      // A story kept past its week is not tried again, nor kept.
      if (kept?.until && kept.until < Date.now()) {
        store(key);
        return [];
      }
      return kept?.endpoint === endpoint ? [kept] : [];
    });

  /** A new form token for the story's service: a kept story's own may have expired. */
  async function freshForm(service: string): Promise<string | undefined> {
    try {
      const res = await fetch(`${endpoint}/v1/services/${service}/widget`);
      return ((await res.json()) as { token?: string }).token;
    } catch {
      return undefined;
    }
  }

  async function sendAll() {
    for (const kept of pending()) {
      if (busy(kept)) continue;
      const key = kept.submission.idempotency_key;
      const submission: FeedbackSubmissionInput = { ...kept.submission };
      if (kept.turnstile) {
        // Never the token it was first sent with: that one may be spent.
        submission.turnstile = await challenge(kept);
        if (!submission.turnstile) continue;
      }
      let result = await sendFeedback(endpoint, submission);
      // Its form token is over a week old: the same story, with the same key, on a new token.
      if (!result.ok && result.code === 'form-token-invalid') {
        submission.token = await freshForm(submission.service);
        if (submission.token) result = await sendFeedback(endpoint, submission);
      }
      if (stopped) return;
      if (result.ok || !retryable(result)) {
        store(OUTBOX + key);
        done(kept, result);
      }
    }
  }

  /** Sends what is kept now; one round at a time, then the next in a minute if any is left. */
  function flush(): Promise<void> {
    flushing ??= sendAll().finally(() => {
      flushing = undefined;
      clearTimeout(timer);
      if (!stopped && pending().length) timer = setTimeout(flush, RETRY_MS);
    });
    return flushing;
  }

  /** A send of this page's failed: its story is tried again in a minute (sooner back online). */
  function later() {
    clearTimeout(timer);
    if (!stopped && !flushing) timer = setTimeout(flush, RETRY_MS);
  }

  /**
   * The page is going: the browser sends what is kept even after it has gone. Not a story being
   * sent now (its own send hands it over), nor one that needs a fresh Turnstile challenge.
   */
  function beacon() {
    for (const kept of pending())
      if (!busy(kept) && !kept.turnstile)
        navigator.sendBeacon?.(`${endpoint}/v1/feedback`, JSON.stringify(kept.submission));
  }

  const online = () => flush();
  addEventListener('online', online);
  addEventListener('pagehide', beacon);
  return {
    flush,
    later,
    stop() {
      stopped = true;
      clearTimeout(timer);
      removeEventListener('online', online);
      removeEventListener('pagehide', beacon);
    },
  };
}
