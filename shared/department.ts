/** The department API's inputs (`/v1/feedback…` with a department key): keys, queries, changes. */
import * as v from 'valibot';
import { ServiceId } from './feedback';
import { RATING_MAX, RATING_MIN, STORY_MAX_LENGTH } from './limits';
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
  /** Words the story contains (case-insensitive). */
  q: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
  /** The `next_cursor` of the page before. */
  cursor: v.optional(v.pipe(v.string(), v.uuid())),
  /** Stories a page, 1 to 100; 50 when not given. */
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(100)),
  ),
});
export type FeedbackQuery = v.InferOutput<typeof FeedbackQuery>;

/** A department's public answer to a story, and whether it led to a change. */
export const NewAnswer = v.pipe(
  v.strictObject({
    text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(STORY_MAX_LENGTH)),
    /** "We changed something": the answer led to a change in the service. */
    changed: v.optional(v.boolean(), false),
    /** What changed, in a sentence or two; required when `changed`. */
    change: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500))),
  }),
  v.forward(
    v.check(
      (answer) => !answer.changed || Boolean(answer.change),
      'Say what changed: change is required when changed is true',
    ),
    ['change'],
  ),
);
export type NewAnswer = v.InferOutput<typeof NewAnswer>;

/** A tag a department puts on a story: short, lowercase words and dashes. */
const Tag = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.regex(/^[\p{L}\p{N}][\p{L}\p{N} -]{0,39}$/u));

/** A change to a story: its status, or its tags (which replace the old ones). */
export const FeedbackChange = v.strictObject({
  status: v.optional(v.picklist(STATUSES)),
  /** Show the story publicly (without personal details, which it never holds), with its answers. */
  published: v.optional(v.boolean()),
  tags: v.optional(v.pipe(v.array(Tag), v.maxLength(20))),
});
export type FeedbackChange = v.InferOutput<typeof FeedbackChange>;
