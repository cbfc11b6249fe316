/** Recording where a service's widget is shown: an origin and a time, never anything of the citizen. */
import { sql } from 'drizzle-orm';
import type { Db } from './client';

/** How long an origin the service does not register is shown, and counts against the limit of them. */
export const STRANGERS_KEPT_MS = 30 * 24 * 3600 * 1000;

export interface Sighting {
  serviceId: string;
  origin: string;
  /** When it was seen (now). */
  at: Date;
  /** A sighting noted after this is not written again: one write an origin per interval. */
  unchangedSince: Date;
  /** How many origins the service does not register may be noted; registered ones always are. */
  unregisteredMax: number;
  /** Unregistered origins last seen before this no longer count against `unregisteredMax`. */
  strangersSince: Date;
}

/**
 * Notes that the service's widget was shown on `origin`, in one statement: a new origin only while
 * it is registered or the service has fewer than `unregisteredMax` unregistered ones noted
 * since `strangersSince` (so that a script cannot fill the table, nor block it for long), and a known one only if it was last noted before
 * `unchangedSince`. Whether a write happened is not reported: nothing waits on it.
 */
export async function recordSighting(db: Db, s: Sighting) {
  const at = s.at.toISOString();
  await db.run(sql`
    INSERT INTO origin_sightings (service_id, origin, last_seen_at)
    SELECT ${s.serviceId}, ${s.origin}, ${at}
    WHERE EXISTS (SELECT 1 FROM service_origins WHERE service_id = ${s.serviceId} AND origin = ${s.origin})
      OR EXISTS (SELECT 1 FROM origin_sightings WHERE service_id = ${s.serviceId} AND origin = ${s.origin})
      OR (
        SELECT count(*) FROM origin_sightings AS seen
        WHERE seen.service_id = ${s.serviceId} AND seen.last_seen_at > ${s.strangersSince.toISOString()} AND NOT EXISTS (
          SELECT 1 FROM service_origins AS registered
          WHERE registered.service_id = seen.service_id AND registered.origin = seen.origin
        )
      ) < ${s.unregisteredMax}
    ON CONFLICT (service_id, origin) DO UPDATE SET last_seen_at = excluded.last_seen_at
    WHERE origin_sightings.last_seen_at < ${s.unchangedSince.toISOString()}`);
}
