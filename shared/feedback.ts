/** The submission a citizen's browser posts to `POST /v1/feedback`, and what the worker answers. */
import * as v from 'valibot';
import { isRating, isStory } from './answers';
import { LOCALES, PAGE_MAX_LENGTH, RATING_MAX, RATING_MIN, STORY_MAX_LENGTH } from './limits';

// Valibot's own messages ("Invalid length: Expected <=2000 but received 2001") are clear to
// developers and cost the widget nothing extra; citizens see the widget's own words instead.

/** A service id: a lowercase slug such as `missed-bin-collection`. */
export const ServiceId = v.pipe(v.string(), v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/), v.maxLength(64));

/** The client's key for one submission; sending it again never stores a second story. */
export const IdempotencyKey = v.pipe(v.string(), v.regex(/^[\w-]{16,128}$/));

/** A rating, by the shared rule. */
export const Rating = v.pipe(
  v.number(),
  v.check<number, string>(
    isRating,
    `Invalid rating: expected a whole number from ${RATING_MIN} to ${RATING_MAX}`,
  ),
);

/** A story, by the shared rule. */
export const Story = v.optional(
  v.pipe(
    v.string(),
    v.check<string, string>(isStory, `Invalid length: expected at most ${STORY_MAX_LENGTH} characters`),
  ),
);

/** One citizen's rating and story about one service. Unknown fields are rejected. */
export const FeedbackSubmission = v.strictObject({
  service: ServiceId,
  rating: Rating,
  story: Story,
  page: v.optional(v.pipe(v.string(), v.startsWith('/'), v.maxLength(PAGE_MAX_LENGTH))),
  locale: v.optional(v.picklist(LOCALES), 'en'),
  idempotency_key: IdempotencyKey,
});

/** A submission as the widget builds it, before defaults are applied. */
export type FeedbackSubmissionInput = v.InferInput<typeof FeedbackSubmission>;
/** A submission after validation, with defaults applied. */
export type FeedbackSubmission = v.InferOutput<typeof FeedbackSubmission>;

/** The worker's answer to an accepted submission. */
export interface FeedbackCreated {
  id: string;
}

/** One field that failed validation: a JSON pointer into the body, its name, and what is wrong. */
export interface FieldIssue {
  pointer: string;
  field: string;
  detail: string;
}

/** The outcome of validating a body: the value, or every failing field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Validates a JSON body that must be an object against a schema, listing every failing field. */
export function parseBody<T extends v.GenericSchema>(schema: T, input: unknown): Parsed<v.InferOutput<T>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ pointer: '', field: '', detail: 'The body must be a JSON object' }] };
  }
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, issues: result.issues.map(toFieldIssue) };
}

/** Validates a submission; on failure lists every failing field. */
export function parseFeedbackSubmission(input: unknown): Parsed<FeedbackSubmission> {
  return parseBody(FeedbackSubmission, input);
}

function toFieldIssue(issue: v.BaseIssue<unknown>): FieldIssue {
  const keys = (issue.path ?? []).map((item) => String(item.key));
  return { pointer: jsonPointer(keys), field: keys.join('.'), detail: issue.message };
}

/** An RFC 6901 JSON pointer: '' is the whole body, and `~` and `/` in keys are escaped. */
export function jsonPointer(keys: string[]): string {
  return keys.map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
