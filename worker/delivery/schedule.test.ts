import { describe, expect, it } from 'vitest';
import { nextAttemptAt, nextDigestAt, RETRY_DELAYS_SECONDS, shouldDisable } from './schedule';

const now = Date.UTC(2026, 10, 26, 12, 0, 0);
const middle = () => 0.5;

describe('nextAttemptAt', () => {
  it('follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then 10 h again', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20].map(
      (failures) => (nextAttemptAt(failures, now, middle) - now) / 1000,
    );
    expect(delays).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000, 36000, 36000]);
    expect(RETRY_DELAYS_SECONDS).toHaveLength(7);
  });

  it('spreads retries by up to 10% either way', () => {
    expect(nextAttemptAt(2, now, () => 0) - now).toBe(270_000);
    expect(nextAttemptAt(2, now, () => 0.999999) - now).toBe(330_000);
  });
});

describe('shouldDisable', () => {
  it('gives up after three days of failures, not before', () => {
    const day = 24 * 3600 * 1000;
    expect(shouldDisable(now - 3 * day + 1000, now)).toBe(false);
    expect(shouldDisable(now - 3 * day, now)).toBe(true);
  });
});

describe('nextDigestAt', () => {
  it('is 07:00 UTC today before seven, tomorrow from seven on', () => {
    expect(new Date(nextDigestAt(Date.UTC(2026, 10, 26, 6, 59))).toISOString()).toBe(
      '2026-11-26T07:00:00.000Z',
    );
    expect(new Date(nextDigestAt(Date.UTC(2026, 10, 26, 7, 0))).toISOString()).toBe(
      '2026-11-27T07:00:00.000Z',
    );
    expect(new Date(nextDigestAt(Date.UTC(2026, 11, 31, 23, 0))).toISOString()).toBe(
      '2027-01-01T07:00:00.000Z',
    );
  });
});
