/** A story textarea with GOV.UK's character count: shown to the eye, announced politely. */
import { Component, h } from 'preact';
import { STORY_MAX_LENGTH } from '../shared';
import type { Messages } from './messages';

interface Props {
  t: Messages;
  value: string;
  onInput: (value: string) => void;
  error?: string;
}

const ANNOUNCE_DELAY_MS = 1000;

export class CharacterCount extends Component<Props, { announced: string }> {
  override state = { announced: '' };
  timer?: ReturnType<typeof setTimeout>;

  countText() {
    const { t } = this.props;
    const remaining = STORY_MAX_LENGTH - this.props.value.length;
    return remaining < 0 ? t.charactersTooMany(-remaining) : t.charactersLeft(remaining);
  }

  // Announce once typing pauses, so screen readers are not interrupted on every key. (A timer
  // that fires after the form has gone sets state on nothing, which Preact ignores.)
  input = (event: Event) => {
    this.props.onInput((event.currentTarget as HTMLTextAreaElement).value);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.setState({ announced: this.countText() }), ANNOUNCE_DELAY_MS);
  };

  render({ t, value, error }: Props, { announced }: { announced: string }) {
    const over = value.length > STORY_MAX_LENGTH;
    return (
      <div class={error ? 'group error' : 'group'}>
        <label for="story">{t.storyLabel}</label>
        <div id="story-hint" class="hint">
          {t.storyHint}
        </div>
        {error && (
          <p id="story-error" class="error-message">
            <span class="sr">{t.errorPrefix}</span> {error}
          </p>
        )}
        <textarea
          id="story"
          rows={5}
          aria-describedby={`story-hint ${error ? 'story-error ' : ''}story-limit`}
          value={value}
          onInput={this.input}
        />
        <div id="story-limit" class="sr">
          {t.charactersLimit}
        </div>
        <div class={over ? 'hint over' : 'hint'} aria-hidden="true">
          {this.countText()}
        </div>
        <div class="sr" aria-live="polite">
          {announced}
        </div>
      </div>
    );
  }
}
