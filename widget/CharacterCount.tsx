/** A story textarea with GOV.UK's character count: shown to the eye, announced politely. */
import { h } from 'preact';
import { STORY_MAX_LENGTH } from '../shared';
import type { Messages } from './messages';

interface Props {
  t: Messages;
  value: string;
  /** The count as last announced; the controller updates it once typing pauses. */
  announced: string;
  onInput: (value: string) => void;
  error?: string;
}

/** "You have 1,234 characters remaining", or how many too many. */
export function countText(t: Messages, value: string): string {
  const remaining = STORY_MAX_LENGTH - value.length;
  return remaining < 0 ? t.over(-remaining) : t.left(remaining);
}

export function CharacterCount({ t, value, announced, onInput, error }: Props) {
  return (
    <div class={error ? 'group error' : 'group'}>
      <label for="story">{t.storyLabel}</label>
      <div id="story-hint" class="hint">
        {t.storyHint}
      </div>
      {error && (
        <p id="story-error" class="error-message">
          <span class="sr">{t.errorLabel}</span> {error}
        </p>
      )}
      <textarea
        id="story"
        rows={5}
        aria-describedby={`story-hint ${error ? 'story-error ' : ''}story-limit`}
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      <div id="story-limit" class="sr">
        {t.limit}
      </div>
      <div class={value.length > STORY_MAX_LENGTH ? 'hint over' : 'hint'} aria-hidden="true">
        {countText(t, value)}
      </div>
      <div class="sr" aria-live="polite">
        {announced}
      </div>
    </div>
  );
}
