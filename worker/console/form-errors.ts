/** A form's schema issues as the errors the page shows: the first of each field, in words for people. */
import type * as v from 'valibot';
import type { FieldError } from './layout';

export function fieldErrors(
  issues: readonly v.BaseIssue<unknown>[],
  fallbackField: string,
  text: (field: string, issue: v.BaseIssue<unknown>) => string,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const field = String(issue.path?.[0]?.key ?? fallbackField);
    if (!errors.some((e) => e.field === field)) errors.push({ field, text: text(field, issue) });
  }
  return errors;
}
