/**
 * What the widget keeps in the browser's localStorage: each story waiting to be sent, and each
 * receipt, under a key of its own, so two tabs never write over each other. Listing the keys reads
 * no values, so a page with nothing kept parses nothing.
 */
import type { FeedbackSubmissionInput } from '../shared';
import type { TurnstileSettings } from './parts/turnstile';

/** A story waiting to be sent: `tellus:outbox:<idempotency key>`. */
export const OUTBOX = 'tellus:outbox:';
/** A receipt, for the returning citizen: `tellus:receipt:<service>:<code>`. */
export const RECEIPT = 'tellus:receipt:';

export interface Kept {
  endpoint: string;
  submission: FeedbackSubmissionInput;
  /** When the device stops trying (ms since 1970): a story is never kept for good. */
  until?: number;
  /** The service's Turnstile settings: a story kept for later passes a fresh challenge. */
  turnstile?: TurnstileSettings;
}

/** Stores `value` under `key` (removes the key without one); false when the browser would not. */
export function store(key: string, value?: unknown): boolean {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** The keys under `prefix`, without reading a value. */
export function keys(prefix: string): string[] {
  try {
    return Object.keys(localStorage).filter((key) => key.startsWith(prefix));
  } catch {
    return [];
  }
}

export function read<T>(key: string): T | undefined {
  try {
    return JSON.parse(localStorage.getItem(key) as string) ?? undefined;
  } catch {
    return undefined;
  }
}
