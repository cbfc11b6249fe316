/** The department API's inputs (`/v1/feedback…` with a department key): keys, queries, changes. */
import * as v from 'valibot';
import { ServiceId } from './feedback';
import { RATING_MAX, RATING_MIN, SEARCH_MAX_LENGTH, STORY_MAX_LENGTH } from './limits';
import { SEVERITIES } from './severity';

/** What a department key may do: read stories, or also answer them and change their status and tags. */
export const KEY_SCOPES = ['read', 'answer'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** A story's status, in the order a department moves it. */
export const STATUSES = ['new', 'acknowledged', 'answered', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * Whether a story may move from one status to another by a change of status: only forward, one
 * step at a time, or to `closed` from any open status. `answered` comes only with a public answer
 * (`POST /v1/feedback/:id/answers`), never by itself.
 */
export function canMoveStatus(from: Status, to: Status): boolean {
  if (from === 'closed' || to === 'answered') return false;
  return to === 'closed' || STATUSES.indexOf(to) === STATUSES.indexOf(from) + 1;
}

/** A department key to create. */
export const NewApiKey = v.strictObject({
  scopes: v.pipe(v.array(v.picklist(KEY_SCOPES)), v.minLength(1)),
  /** A note for people: which system or person holds the key. */
  label: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
});
export type NewApiKey = v.InferOutput<typeof NewApiKey>;

const Rating = v.pipe(
  v.string(),
  v.regex(/^\d$/),
  // For the API document: what the range below allows, as the string it is sent as.
  v.metadata({ pattern: `^[${RATING_MIN}-${RATING_MAX}]$` }),
  v.transform(Number),
  v.minValue(RATING_MIN),
  v.maxValue(RATING_MAX),
);
const Instant = v.pipe(
  v.string(),
  v.isoTimestamp('Invalid date: expected an ISO 8601 time such as 2026-11-26T09:00:00Z'),
  // Some forms pass the ISO check and still mean nothing to Date (a "+01" offset, say).
  v.check(
    (text) => !Number.isNaN(Date.parse(text)),
    'Invalid date: expected a time such as 2026-11-26T09:00:00Z',
  ),
  // For the API document: the times both checks above take (a "T", and an offset with minutes).
  v.metadata({
    pattern:
      '^\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d{1,9})?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)$',
  }),
);

/** The filters of `GET /v1/feedback` (and its CSV export), as query parameters. */
export const FeedbackQuery = v.strictObject({
  service: v.optional(ServiceId),
  status: v.optional(v.picklist(STATUSES)),
  severity: v.optional(v.picklist(SEVERITIES)),
  rating_min: v.optional(Rating),
  rating_max: v.optional(Rating),
  since: v.optional(Instant),
  until: v.optional(Instant),
  /**
   * Words to find in the story or its answers: each word matches the start of a word, case and
   * accents aside (`ty` finds `tŷ`), and every word must be found. Anything not a letter or a
   * digit only separates words.
   */
  q: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1),
      v.maxLength(SEARCH_MAX_LENGTH),
      // For the API document: not blank (what is left after the trim above).
      v.metadata({ pattern: '\\S' }),
    ),
  ),
  /** The `next_cursor` of the page before; read in lower case, as ids are written. */
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.uuid(),
      // For the API document: a UUID as `v.uuid` takes it (JSON Schema's format also takes `urn:uuid:`).
      v.metadata({ pattern: '^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$' }),
      v.toLowerCase(),
    ),
  ),
  /** Stories a page, 1 to 100; 50 when not given. */
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/),
      // For the API document: the range below, as the string it is sent as.
      v.metadata({ pattern: '^0*(?:[1-9]\\d?|100)$' }),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(100),
    ),
  ),
});
export type FeedbackQuery = v.InferOutput<typeof FeedbackQuery>;

/** A department's public answer to a story, and whether it led to a change. */
export const NewAnswer = v.pipe(
  v.strictObject({
    text: v.pipe(
      v.string(),
      v.trim(),
      v.minLength(1),
      v.maxLength(STORY_MAX_LENGTH),
      v.metadata({ pattern: '\\S' }),
    ),
    /** "We changed something": the answer led to a change in the service. */
    changed: v.optional(v.boolean(), false),
    /** What changed, in a sentence or two; required when `changed`. */
    change: v.optional(
      v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500), v.metadata({ pattern: '\\S' })),
    ),
  }),
  v.forward(
    v.check(
      (answer) => !answer.changed || Boolean(answer.change),
      'Say what changed: change is required when changed is true',
    ),
    ['change'],
  ),
  // For the API document: the check above.
  v.metadata({
    if: { properties: { changed: { const: true } }, required: ['changed'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited.
    then: { required: ['change'] },
  }),
);
export type NewAnswer = v.InferOutput<typeof NewAnswer>;

/** A tag a department puts on a story: short, lowercase words and dashes. */
const Tag = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^[\p{L}\p{N}][\p{L}\p{N} -]{0,39}$/u),
  // For the API document: İ is the one letter whose lower case (i and a combining dot) the rule refuses.
  v.metadata({ examples: ['missed', 'green bin', 'ailwyd'], not: { pattern: '\u0130' } }),
);

/** A change to a story: its status, or its tags (which replace the old ones). */
export const FeedbackChange = v.strictObject({
  status: v.optional(v.picklist(STATUSES)),
  /** Show the story publicly (without personal details, which it never holds), with its answers. */
  published: v.optional(v.boolean()),
  tags: v.optional(v.pipe(v.array(Tag), v.maxLength(20))),
});
export type FeedbackChange = v.InferOutput<typeof FeedbackChange>;
