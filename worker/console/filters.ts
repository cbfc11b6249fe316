/** The story list's filter form, read from the query string into the department API's own filters. */
import * as v from 'valibot';
import { FeedbackQuery, SEARCH_MAX_LENGTH } from '../../shared';
import { fieldErrors } from './form-errors';
import type { FieldError } from './layout';

/** The filter form's fields, as the page's query string carries them. */
export const FILTER_FIELDS = [
  'service',
  'status',
  'severity',
  'rating_min',
  'rating_max',
  'since',
  'until',
  'q',
] as const;
export type FilterForm = Partial<Record<(typeof FILTER_FIELDS)[number] | 'cursor', string>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A date from a date field (YYYY-MM-DD), or undefined when it is not a real day. */
function day(text: string): Date | undefined {
  if (!DAY.test(text)) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? undefined : date;
}

const FIELD_TEXT: Record<string, string> = {
  service: 'Choose a service from the list',
  status: 'Choose a status from the list',
  severity: 'Choose urgent or not',
  rating_min: 'Choose a lowest rating from 1 to 5',
  rating_max: 'Choose a highest rating from 1 to 5',
  q: `Words to find must be ${SEARCH_MAX_LENGTH} characters or fewer`,
  cursor: 'The page link is not valid: go back to the first page',
};

/**
 * The filters as the department API takes them; dates are whole days in the form ("to" includes
 * its day). Empty fields mean no filter. Errors name the field they belong to.
 */
export function readFilters(form: FilterForm): { query: FeedbackQuery; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const raw: Record<string, string> = {};
  for (const name of [...FILTER_FIELDS, 'cursor'] as const) {
    const value = form[name]?.trim();
    if (!value) continue;
    if (name === 'since' || name === 'until') {
      const date = day(value);
      if (!date) {
        errors.push({
          field: name,
          text: `Enter a real date for “${name === 'since' ? 'From' : 'To'}”, like 2026-11-26`,
        });
        continue;
      }
      if (name === 'until') date.setUTCDate(date.getUTCDate() + 1);
      raw[name] = date.toISOString();
    } else {
      raw[name] = value;
    }
  }
  const parsed = v.safeParse(FeedbackQuery, raw);
  if (parsed.success) {
    if (raw.since && raw.until && String(raw.since) >= String(raw.until)) {
      errors.push({ field: 'until', text: '“To” must be the same as or after “From”' });
    }
    return { query: errors.length ? {} : parsed.output, errors };
  }
  const named = fieldErrors(parsed.issues, 'q', (field, issue) => FIELD_TEXT[field] ?? issue.message);
  errors.push(...named.filter((error) => !errors.some((e) => e.field === error.field)));
  return { query: {}, errors };
}

/** The query string of a filter, for links to pages and to the CSV. */
export function filterQuery(form: FilterForm, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const name of FILTER_FIELDS) {
    const value = form[name]?.trim();
    if (value) params.set(name, value);
  }
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
