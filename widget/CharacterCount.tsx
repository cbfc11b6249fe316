/** A story textarea with GOV.UK's character count: shown to the eye, announced politely. */
import { STORY_MAX_LENGTH } from '../shared';
import { fill, h } from './dom';
import type { Messages } from './messages';

interface Props {
  t: Messages;
  onInput: (value: string) => void;
}

/** "You have 1,234 characters remaining", or how many too many. */
export function countText(t: Messages, value: string): string {
  const remaining = STORY_MAX_LENGTH - value.length;
  return remaining < 0 ? t.over(-remaining) : t.left(remaining);
}

/** The textarea and its count; `update` shows the count for a story, `error` its error. */
export function CharacterCount({ t, onInput }: Props) {
  const error = (<div />) as Element;
  const textarea = (
    <textarea
      id="story"
      rows="5"
      aria-describedby="story-hint story-limit"
      onInput={(event: Event) => onInput((event.currentTarget as HTMLTextAreaElement).value)}
    />
  ) as HTMLTextAreaElement;
  const shown = (<div class="hint" aria-hidden="true" />) as Element;
  const announced = (<div class="sr" aria-live="polite" />) as Element;
  const group = (
    <div class="group">
      <label for="story">{t.storyLabel}</label>
      <div id="story-hint" class="hint">
        {t.storyHint}
      </div>
      {error}
      {textarea}
      <div id="story-limit" class="sr">
        {t.limit}
      </div>
      {shown}
      {announced}
    </div>
  ) as Element;
  return {
    group,
    update(t: Messages, value: string, said: string) {
      shown.textContent = countText(t, value);
      shown.className = value.length > STORY_MAX_LENGTH ? 'hint over' : 'hint';
      if (announced.textContent !== said) announced.textContent = said;
    },
    error(t: Messages, text?: string) {
      group.className = text ? 'group error' : 'group';
      textarea.setAttribute('aria-describedby', `story-hint ${text ? 'story-error ' : ''}story-limit`);
      fill(
        error,
        text && (
          <p id="story-error" class="error-message">
            <span class="sr">{t.errorLabel}</span> {text}
          </p>
        ),
      );
    },
  };
}
