/** The submission a citizen's browser posts to `POST /v1/feedback`, and what the worker answers. */
import * as v from 'valibot';
import { isRating, isStory } from './answers';
import { LOCALES, PAGE_MAX_LENGTH, RATING_MAX, RATING_MIN, STORY_MAX_LENGTH } from './limits';

/** Longer than any preview token the worker signs (`<expiry ms>.<43 characters>`). */
export const PREVIEW_TOKEN_MAX_LENGTH = 100;

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
  // For the API document: the check above, as JSON Schema.
  v.metadata({ type: 'integer', minimum: RATING_MIN, maximum: RATING_MAX }),
);

/**
 * True for text a person could have typed: no control characters but tab and line breaks, and no
 * unpaired UTF-16 surrogates (which no keyboard makes and which break encoders downstream).
 */
export function isPlainText(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) && text.isWellFormed();
}

const PlainText = v.check<string, string>(
  isPlainText,
  'Invalid text: control characters and unpaired surrogates are not allowed',
);

/** A story, by the shared rule. */
export const Story = v.optional(
  v.pipe(
    v.string(),
    PlainText,
    v.check<string, string>(isStory, `Invalid length: expected at most ${STORY_MAX_LENGTH} characters`),
    // For the API document: both checks above, as JSON Schema.
    v.metadata({
      maxLength: STORY_MAX_LENGTH,
      not: { pattern: '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\ud800-\\udfff]' },
      description: `At most ${STORY_MAX_LENGTH} characters as a browser counts them (UTF-16 code units: an emoji counts as two), with no control characters but tab and line breaks`,
    }),
  ),
);

/**
 * A path with its %-escapes decoded, so that the later rules see what they stand for: `%3F` is a
 * query string's `?`, `%0A` a line break, `jo%40x.com` an email address. Each run of escapes is
 * decoded on its own, so one malformed escape (`50%off`) leaves the others to be decoded, and the
 * path is decoded again until nothing changes, so `%2540` is `@` too.
 */
export function decodePath(path: string): string {
  let decoded = path;
  for (let previous = ''; previous !== decoded; ) {
    previous = decoded;
    decoded = decoded.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        // Not UTF-8 as a whole: decode its ASCII escapes, keep the rest as it is written.
        return run.replace(/%[0-7][0-9A-Fa-f]/g, (ascii) =>
          String.fromCharCode(Number.parseInt(ascii.slice(1), 16)),
        );
      }
    });
  }
  return decoded;
}

/** True for a path with no control characters or line breaks of any kind, and no lone surrogates. */
export function isPathText(path: string): boolean {
  return !/[\p{Cc}\u2028\u2029]/u.test(path) && path.isWellFormed();
}

/**
 * A page's address: only its path is kept, never a query string or fragment (they can identify
 * people). It is decoded first, so that an escaped `?` or line break cannot slip past; a path with
 * a control character or line break anywhere is refused, and the rest is cut at its first `?` or
 * `#`. Redaction then clears what is left (in the worker).
 */
export const PagePath = v.pipe(
  v.string(),
  v.startsWith('/'),
  v.maxLength(PAGE_MAX_LENGTH),
  // For the API document: no control character, written or %-escaped (the check below, after decoding).
  v.metadata({
    not: {
      pattern:
        '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ud800-\\udfff]|%(?:25)*(?:[01][0-9A-Fa-f]|7[Ff]|[Cc]2%(?:25)*[89][0-9A-Fa-f]|[Ee]2%(?:25)*80%(?:25)*[Aa][89])',
    },
  }),
  v.transform(decodePath),
  v.check<string, string>(
    isPathText,
    'Invalid path: control characters, line breaks and unpaired surrogates are not allowed',
  ),
  v.transform((page) => page.split(/[?#]/)[0] as string),
);

/** One citizen's rating and story about one service. Unknown fields are rejected. */
export const FeedbackSubmission = v.strictObject({
  service: ServiceId,
  rating: Rating,
  story: Story,
  page: v.optional(PagePath),
  locale: v.optional(v.picklist(LOCALES), 'en'),
  idempotency_key: IdempotencyKey,
  /** The token the worker signed when the widget was shown (`GET /v1/services/:id/widget`). */
  token: v.optional(v.pipe(v.string(), v.maxLength(200))),
  /** A honeypot: a field people never see. Anything in it marks the submission as automated. */
  website: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(500),
      v.metadata({ maxLength: 0, description: 'A honeypot: leave it empty' }),
    ),
  ),
  /** The Turnstile token, for a service that turned Turnstile on. */
  turnstile: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  /** The console preview's token: the story is a test, stored but never delivered, counted or published. */
  preview: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(PREVIEW_TOKEN_MAX_LENGTH),
      v.metadata({
        description:
          'Sent only by the widget on the console’s preview page (its `data-preview`): the story is stored as a test, never delivered, counted, exported or published. A token that is not valid, has expired (after an hour) or is for another service is refused with `validation-failed`.',
      }),
    ),
  ),
});

/** A submission as the widget builds it, before defaults are applied. */
export type FeedbackSubmissionInput = v.InferInput<typeof FeedbackSubmission>;
/** A submission after validation, with defaults applied. */
export type FeedbackSubmission = v.InferOutput<typeof FeedbackSubmission>;

/** The worker's answer to an accepted submission. */
export interface FeedbackCreated {
  id: string;
  /** The citizen's receipt code: with it they can see their story's status, or delete it. */
  receipt: string;
  /** Where the citizen sees (and can delete) their story. */
  receipt_url: string;
  /** For an urgent story: where to get help now, in the story's language. */
  help?: string;
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
