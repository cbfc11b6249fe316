/** The parts of a submission a citizen fills in, checked the same way in the widget and the worker. */
import * as v from 'valibot';
import { RATING_MAX, RATING_MIN, STORY_MAX_LENGTH } from './limits';

/** A rating: a whole number from 1 ("Very poor") to 5 ("Very good"). */
export const Rating = v.pipe(v.number(), v.integer(), v.minValue(RATING_MIN), v.maxValue(RATING_MAX));

/** A story in the citizen's words; optional, and at most 2,000 characters. */
export const Story = v.optional(v.pipe(v.string(), v.maxLength(STORY_MAX_LENGTH)));

/** The answers a citizen typed or chose. */
export interface CitizenAnswers {
  rating?: number;
  story?: string;
}

/**
 * The citizen's answers that break the submission schema, checked with the very schemas the
 * worker uses. The widget calls this before sending: it validates only what the citizen
 * controls, which keeps the rest of the schema machinery out of the widget's byte budget.
 */
export function invalidAnswers({ rating, story }: CitizenAnswers): Array<keyof CitizenAnswers> {
  const invalid: Array<keyof CitizenAnswers> = [];
  if (!v.is(Rating, rating)) invalid.push('rating');
  if (!v.is(Story, story)) invalid.push('story');
  return invalid;
}
