import { describe, expect, it } from 'vitest';
import { median, percentile, round } from './stats';

describe('benchmark statistics', () => {
  it('takes the nearest-rank percentile of unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('rounds large figures to whole numbers and small ones to decimals', () => {
    expect(round(1234.567)).toBe(1235);
    expect(round(12.3456)).toBe(12.35);
    expect(round(0.012345, 3)).toBe(0.012);
  });
});
