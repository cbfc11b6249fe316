import { describe, expect, it } from 'vitest';
import { ukDate, ukDateTime } from './uk-time';

describe('ukDateTime', () => {
  it('writes a winter moment in GMT, as people read it', () => {
    expect(ukDateTime('2026-11-30T02:51:00.000Z')).toBe('Monday 30 November 2026 at 2:51am');
    expect(ukDateTime('2026-11-30T14:05:59.999Z')).toBe('Monday 30 November 2026 at 2:05pm');
  });

  it('writes noon as 12:00pm and midnight as 12:00am', () => {
    expect(ukDateTime('2026-01-15T12:00:00Z')).toBe('Thursday 15 January 2026 at 12:00pm');
    expect(ukDateTime('2026-01-15T00:00:00Z')).toBe('Thursday 15 January 2026 at 12:00am');
    expect(ukDateTime('2026-01-15T23:59:00Z')).toBe('Thursday 15 January 2026 at 11:59pm');
  });

  it('moves the clocks forward an hour at 01:00 UTC on 29 March 2026', () => {
    expect(ukDateTime('2026-03-29T00:59:00Z')).toBe('Sunday 29 March 2026 at 12:59am');
    expect(ukDateTime('2026-03-29T01:00:00Z')).toBe('Sunday 29 March 2026 at 2:00am');
    expect(ukDateTime('2026-07-01T11:30:00Z')).toBe('Wednesday 1 July 2026 at 12:30pm');
  });

  it('moves the clocks back an hour at 01:00 UTC on 25 October 2026', () => {
    expect(ukDateTime('2026-10-25T00:59:00Z')).toBe('Sunday 25 October 2026 at 1:59am');
    expect(ukDateTime('2026-10-25T01:00:00Z')).toBe('Sunday 25 October 2026 at 1:00am');
    expect(ukDateTime('2026-10-25T12:00:00Z')).toBe('Sunday 25 October 2026 at 12:00pm');
  });

  it('takes the day from London, not from UTC, late on a summer evening', () => {
    expect(ukDateTime('2026-06-30T23:30:00Z')).toBe('Wednesday 1 July 2026 at 12:30am');
    expect(ukDate('2026-06-30T23:30:00Z')).toBe('Wednesday 1 July 2026');
    expect(ukDate(Date.parse('2026-11-26T07:00:00Z'))).toBe('Thursday 26 November 2026');
  });
});
