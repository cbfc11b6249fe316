/** Where a service's widget has been seen, as its page says it: each site's last sighting, and strangers. */
import { STRANGERS_KEPT_MS } from '../db/sightings';

export interface Sighting {
  origin: string;
  lastSeenAt: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;

/**
 * How long ago `at` was, as people say it: "just now", "5 minutes ago", "2 hours ago", "3 days
 * ago"; after a month, the day itself ("on 3 Nov 2026").
 */
export function timeAgo(at: string, now: number): string {
  const then = Date.parse(at);
  const past = Math.max(0, now - then);
  if (Number.isNaN(then)) return 'at a time not known';
  if (past < MINUTE) return 'just now';
  if (past < HOUR) return count(Math.floor(past / MINUTE), 'minute');
  if (past < DAY) return count(Math.floor(past / HOUR), 'hour');
  if (past < 31 * DAY) return count(Math.floor(past / DAY), 'day');
  const day = new Date(then).toLocaleDateString('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  return `on ${day}`;
}

/** A registered site, with when the widget was last seen there, if it ever was. */
export interface Site {
  origin: string;
  lastSeenAt?: string;
}

/**
 * The service's sites, each with its last sighting, and the sightings of the last 30 days on
 * origins that are not its sites (strangers), newest first.
 */
export function sightingsOf(registered: readonly string[], sightings: readonly Sighting[], now = Date.now()) {
  const seen = new Map(sightings.map((s) => [s.origin, s.lastSeenAt]));
  const sites: Site[] = registered.map((origin) => ({ origin, lastSeenAt: seen.get(origin) }));
  const since = new Date(now - STRANGERS_KEPT_MS).toISOString();
  const strangers = sightings
    .filter((s) => !registered.includes(s.origin) && s.lastSeenAt > since)
    .sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  return { sites, strangers };
}
