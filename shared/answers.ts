/**
 * The rules for what a citizen fills in, as plain functions: the widget checks answers with them
 * before sending, and the worker's schema (feedback.ts) is built on the very same functions.
 * Keeping them free of the schema library keeps it out of the widget's byte budget.
 */
import { RATING_MAX, RATING_MIN, STORY_MAX_LENGTH } from './limits';

/** True for a rating: a whole number from 1 ("Very poor") to 5 ("Very good"). */
export function isRating(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= RATING_MIN && (value as number) <= RATING_MAX;
}

/** True for an acceptable story: none at all, or text of at most 2,000 characters. */
export function isStory(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === 'string' && value.length <= STORY_MAX_LENGTH);
}

/** The answers a citizen typed or chose. */
export interface CitizenAnswers {
  rating?: number;
  story?: string;
}

/** The citizen's answers that break the rules, by field name. */
export function invalidAnswers({ rating, story }: CitizenAnswers): Array<keyof CitizenAnswers> {
  const invalid: Array<keyof CitizenAnswers> = [];
  if (!isRating(rating)) invalid.push('rating');
  if (!isStory(story)) invalid.push('story');
  return invalid;
}
