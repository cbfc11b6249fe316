// The per-isolate memory of known origins: positives only, and only for their TTL.
import { describe, expect, it } from 'vitest';
import { KNOWN_ORIGIN_TTL_MS, knownOriginCache } from './known-origins';

const ORIGIN = 'https://www.anytown.example.gov.uk';

/** A cache on a clock the test moves, and a D1 stand-in that counts what it was asked. */
function setUp(answer: { known: boolean }) {
  let clock = 1_000_000;
  const cache = knownOriginCache({ now: () => clock });
  let asked = 0;
  const ask = async () => {
    asked++;
    return answer.known;
  };
  return {
    isKnown: () => cache.isKnown(ORIGIN, ask),
    forget: () => cache.forget(ORIGIN),
    advance: (ms: number) => {
      clock += ms;
    },
    asked: () => asked,
  };
}

describe('knownOriginCache', () => {
  it('asks once for a known origin, then answers from memory within the TTL', async () => {
    const origins = setUp({ known: true });
    expect(await origins.isKnown()).toBe(true);
    origins.advance(KNOWN_ORIGIN_TTL_MS - 1);
    expect(await origins.isKnown()).toBe(true);
    expect(origins.asked()).toBe(1);
  });

  it('asks again once the TTL has passed, and then believes a removal', async () => {
    const answer = { known: true };
    const origins = setUp(answer);
    await origins.isKnown();
    answer.known = false;
    origins.advance(KNOWN_ORIGIN_TTL_MS);
    expect(await origins.isKnown()).toBe(false);
    expect(origins.asked()).toBe(2);
  });

  it('never remembers an unknown origin, so one registered a moment later works at once', async () => {
    const answer = { known: false };
    const origins = setUp(answer);
    expect(await origins.isKnown()).toBe(false);
    answer.known = true;
    expect(await origins.isKnown()).toBe(true);
    expect(origins.asked()).toBe(2);
  });

  it('asks again after forgetting an origin', async () => {
    const origins = setUp({ known: true });
    await origins.isKnown();
    origins.forget();
    await origins.isKnown();
    expect(origins.asked()).toBe(2);
  });
});
