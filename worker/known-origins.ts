/**
 * Origins that some service takes posts from, remembered for a minute in this isolate, so that a
 * story's CORS check and early gate cost no round trip to D1.
 *
 * Only "known" is remembered, never "unknown": an origin an operator has just registered works at
 * once. An origin an operator removes may still pass the early gate (and get CORS headers) for up
 * to the TTL in an isolate that saw it, but it stores nothing from that moment: the batch that
 * stores a story checks the origin against the story's service itself.
 */

/** How long a positive answer is trusted. */
export const KNOWN_ORIGIN_TTL_MS = 60_000;

export interface KnownOriginOptions {
  ttlMs?: number;
  /** The clock, so a test can step past the TTL without sleeping. */
  now?: () => number;
}

export function knownOriginCache({ ttlMs = KNOWN_ORIGIN_TTL_MS, now = Date.now }: KnownOriginOptions = {}) {
  // Only origins some service registered get in, so the map is no bigger than the registrations.
  const knownUntil = new Map<string, number>();
  return {
    /** Whether the origin is known: from memory while fresh, else from `ask` (D1). */
    async isKnown(origin: string, ask: (origin: string) => Promise<boolean>): Promise<boolean> {
      const until = knownUntil.get(origin);
      if (until !== undefined && now() < until) return true;
      knownUntil.delete(origin);
      const known = await ask(origin);
      if (known) knownUntil.set(origin, now() + ttlMs);
      return known;
    },
    /** Forgets an origin, as this isolate removes it from a service. */
    forget(origin: string) {
      knownUntil.delete(origin);
    },
  };
}

/** This isolate's memory of known origins. */
export const knownOrigins = knownOriginCache();
