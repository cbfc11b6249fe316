// How long ago the widget was seen, in words, and which sightings are on sites the service has not registered.
import { describe, expect, it } from 'vitest';
import { sightingsOf, timeAgo } from './service-sightings';

describe('timeAgo', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it.each([
    [0, 'just now'],
    [59_000, 'just now'],
    [60_000, '1 minute ago'],
    [5 * 60_000 + 30_000, '5 minutes ago'],
    [3_600_000, '1 hour ago'],
    [2 * 3_600_000 + 59 * 60_000, '2 hours ago'],
    [24 * 3_600_000, '1 day ago'],
    [30 * 24 * 3_600_000, '30 days ago'],
    [-5 * 60_000, 'just now'],
  ])('says %i ms ago as “%s”', (ms, words) => {
    expect(timeAgo(ago(ms), now)).toBe(words);
  });

  it('gives the day itself after a month', () => {
    expect(timeAgo('2026-09-03T10:00:00Z', now)).toBe('on 3 Sept 2026');
  });
});

describe('sightingsOf', () => {
  it('gives each site its last sighting, and the strangers of the last 30 days newest first', () => {
    const { sites, strangers } = sightingsOf(
      ['https://www.anytown.gov.uk', 'https://beta.anytown.gov.uk'],
      [
        { origin: 'https://old.example', lastSeenAt: '2026-11-01T00:00:00.000Z' },
        { origin: 'https://www.anytown.gov.uk', lastSeenAt: '2026-11-30T10:00:00.000Z' },
        { origin: 'https://copy.example', lastSeenAt: '2026-11-29T00:00:00.000Z' },
        { origin: 'https://long-ago.example', lastSeenAt: '2026-10-30T00:00:00.000Z' },
      ],
      Date.parse('2026-11-30T12:00:00.000Z'),
    );
    expect(sites).toEqual([
      { origin: 'https://www.anytown.gov.uk', lastSeenAt: '2026-11-30T10:00:00.000Z' },
      { origin: 'https://beta.anytown.gov.uk', lastSeenAt: undefined },
    ]);
    expect(strangers.map((s) => s.origin)).toEqual(['https://copy.example', 'https://old.example']);
  });
});
