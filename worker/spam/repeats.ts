/** Near-identical repeats: the same words from the same client about the same service, minutes apart. */
import { keyedHash } from './keys';

/** A repeat within this long of the first is dropped quietly. */
export const REPEAT_WINDOW_MS = 10 * 60 * 1000;

/** A story's words without case, punctuation or spacing, so trivial edits still match. */
export function normalizeStory(story: string): string {
  return story
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The repeat key of a story, or null for a story without words: a rating alone says too little
 * to call two of them from one busy address (a library, a ward) the same person twice.
 */
export async function repeatKey(
  secret: string,
  service: string,
  client: string,
  rating: number,
  story: string | null,
): Promise<string | null> {
  const words = story ? normalizeStory(story) : '';
  if (!words) return null;
  return keyedHash(secret, `repeat:${service}:${client}:${rating}:${words}`);
}
