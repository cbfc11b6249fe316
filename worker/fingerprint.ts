/**
 * A story's fingerprint: what an idempotent replay must match to count as the same story. It is
 * taken over the story as stored (redacted words, cleaned path) and keyed under TELLUS_SECRET, so
 * nobody who reads D1 can test guesses of what redaction removed.
 */
import type { Locale } from '../shared';
import { keyedHash } from './spam/keys';

/** The fields of a story that a replay must repeat, as they are stored. */
export interface StoredFields {
  serviceId: string;
  rating: number;
  story: string | null;
  page: string | null;
  locale: Locale;
}

/** The keyed hash of a story's stored fields, in a fixed order. */
export function storyFingerprint(
  secret: string,
  { serviceId, rating, story, page, locale }: StoredFields,
): Promise<string> {
  return keyedHash(secret, `fingerprint:${JSON.stringify([serviceId, rating, story, page, locale])}`);
}

/**
 * True when `fingerprint` is that of `incoming`. A row stored before fingerprints were keyed has
 * an empty one (the migration erased the plain hash); it is compared by its stored fields instead.
 */
export async function sameStory(
  secret: string,
  earlier: StoredFields & { fingerprint: string },
  incoming: string,
): Promise<boolean> {
  const expected = earlier.fingerprint || (await storyFingerprint(secret, earlier));
  return expected === incoming;
}
