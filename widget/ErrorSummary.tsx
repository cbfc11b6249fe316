/** GOV.UK's error summary: links each error to its field; the form moves focus to it. */
import { h } from './dom';
import type { Messages } from './messages';

export interface FieldError {
  /** The field, which is also the id of the element the summary's link moves focus to. */
  field: string;
  text: string;
}

interface Props {
  title: string;
  errors: FieldError[];
}

// Fragment links do not reach into a shadow root, so each link moves focus itself.
function focusField(event: MouseEvent, target: string) {
  event.preventDefault();
  const root = (event.currentTarget as Node).getRootNode() as ShadowRoot;
  root.getElementById(target)?.focus();
}

export function ErrorSummary({ title, errors }: Props): Node | null {
  if (!errors.length) return null;
  return (
    <div id="error-summary" class="summary" tabindex="-1">
      <div role="alert">
        <h3>{title}</h3>
        <ul>
          {errors.map((error) => (
            <li>
              <a href={`#${error.field}`} onClick={(event: MouseEvent) => focusField(event, error.field)}>
                {error.text}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** The error for each field the citizen can fix: a rating to choose, a story to shorten. */
export function fieldErrors(t: Messages, fields: string[]): FieldError[] {
  return fields
    .filter((field) => field === 'rating' || field === 'story')
    .map((field) => ({
      field,
      text: field === 'rating' ? t.noRating : t.tooLong,
    }));
}
