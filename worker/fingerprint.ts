/** A submission's fingerprint: what an idempotent replay must match to count as the same story. */
import type { FeedbackSubmission } from '../shared';

/** SHA-256, hex, of the submission's fields (all but the key) in a fixed order. */
export async function submissionFingerprint(submission: FeedbackSubmission): Promise<string> {
  const { service, rating, story = null, page = null, locale } = submission;
  const canonical = JSON.stringify([service, rating, story, page, locale]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
