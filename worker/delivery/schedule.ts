/** When to try a failed delivery again, when to give up on a subscription, when digests go out. */

/** Seconds to wait after the 1st, 2nd, … failed attempt; the last delay repeats. */
export const RETRY_DELAYS_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];

/** A subscription failing without a single success for this long is disabled. */
export const DISABLE_AFTER_MS = 3 * 24 * 3600 * 1000;

/** How long an attempt may hold a delivery before another may start: past the 15 s timeout. */
export const LEASE_MS = 60_000;

/** The hour (UTC) at which daily digests are sent; matches the digest cron in wrangler.toml. */
export const DIGEST_HOUR_UTC = 7;

/** Plus or minus this share of each delay, so retries from one outage do not arrive together. */
const JITTER = 0.1;

/**
 * When to try again after `failedAttempts` failures (1 or more), with jitter drawn from `random`
 * (a number in [0, 1)).
 */
export function nextAttemptAt(
  failedAttempts: number,
  now: number,
  random: () => number = Math.random,
): number {
  const index = Math.min(Math.max(failedAttempts, 1), RETRY_DELAYS_SECONDS.length) - 1;
  const delayMs = (RETRY_DELAYS_SECONDS[index] ?? 0) * 1000;
  return now + Math.round(delayMs * (1 + JITTER * (2 * random() - 1)));
}

/** True when a subscription that started failing at `failingSince` should now be disabled. */
export function shouldDisable(failingSince: number, now: number): boolean {
  return now - failingSince >= DISABLE_AFTER_MS;
}

/** The next daily digest time strictly after `now`. */
export function nextDigestAt(now: number): number {
  const next = new Date(now);
  next.setUTCHours(DIGEST_HOUR_UTC, 0, 0, 0);
  if (next.getTime() <= now) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime();
}
