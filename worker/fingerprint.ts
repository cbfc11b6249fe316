/** A submission's fingerprint: what an idempotent replay must match to count as the same story. */
import type { FeedbackSubmission } from '../shared';
import { sha256Hex } from './spam/keys';

/** SHA-256, hex, of the submission's fields (all but the key) in a fixed order. */
export function submissionFingerprint(submission: FeedbackSubmission): Promise<string> {
  const { service, rating, story = null, page = null, locale } = submission;
  return sha256Hex(JSON.stringify([service, rating, story, page, locale]));
}
