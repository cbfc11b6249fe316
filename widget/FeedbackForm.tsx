/** The feedback form: a rating, a story, a send button, and what happens after. */
import { Component, createRef, h } from 'preact';
import {
  findPersonalData,
  invalidAnswers,
  type Locale,
  PAGE_MAX_LENGTH,
  redactPersonalData,
} from '../shared';
import { newIdempotencyKey, sendFeedback } from './api';
import { CharacterCount } from './CharacterCount';
import { ErrorSummary, type FieldError } from './ErrorSummary';
import { failureText, type Messages, messages } from './messages';
import { flush, forget, keep, retryable } from './outbox';

export interface Props {
  service: string;
  endpoint: string;
  lang: Locale;
}

interface State {
  rating?: number;
  story: string;
  errors: FieldError[];
  /** What the status region says while sending. */
  status: string;
  /** Why sending failed, in the citizen's language. */
  failure: string;
  sent: boolean;
  /** Sending failed for now; the story waits in the browser's outbox. */
  saved: boolean;
  /** The story as it will be sent, shown because it had personal details in it. */
  preview?: string;
}

/** While a story waits in the outbox, how often to try it again. */
const RETRY_EVERY_MS = 60_000;

// Class components keep Preact's hooks add-on (about 1 KB gzipped) out of the widget's budget.
export class FeedbackForm extends Component<Props, State> {
  override state: State = { story: '', errors: [], status: '', failure: '', sent: false, saved: false };
  // One key per story: a retry after a lost answer can never store it twice. A changed story
  // gets a new key, since the worker refuses a key it has seen with different content.
  key = newIdempotencyKey();
  keyFor = '';
  sending = false;
  summary = createRef<HTMLDivElement>();
  thanks = createRef<HTMLDivElement>();
  check = createRef<HTMLDivElement>();
  note = createRef<HTMLParagraphElement>();
  retryTimer?: ReturnType<typeof setTimeout>;
  /** Back to the story to change it. */
  change = () => {
    const root = this.check.current?.getRootNode() as ShadowRoot;
    this.setState({ preview: undefined }, () => root.getElementById('story')?.focus());
  };

  showErrors(fields: string[]) {
    const errors = fieldErrors(messages[this.props.lang], fields);
    this.setState({ errors, status: '', failure: '' }, () => errors.length && this.summary.current?.focus());
    return errors.length > 0;
  }

  submit = async (event: Event) => {
    event.preventDefault();
    if (this.sending) return;
    const typed = this.state.story.trim();
    // The Canada.ca pattern: show what will go before anything leaves the device.
    if (
      !this.state.preview &&
      findPersonalData(typed).length &&
      !invalidAnswers({ rating: this.state.rating }).length
    ) {
      this.setState({ preview: redactPersonalData(typed), errors: [] }, () => this.check.current?.focus());
      return;
    }
    const { service, endpoint, lang } = this.props;
    const t = messages[lang];
    const rating = this.state.rating;
    const story = redactPersonalData(typed) || undefined;
    if (this.showErrors(invalidAnswers({ rating, story })) || rating === undefined) return;
    const answers = JSON.stringify([rating, story]);
    if (this.keyFor && this.keyFor !== answers) this.key = newIdempotencyKey();
    this.keyFor = answers;
    const submission = {
      service,
      rating,
      story,
      page: location.pathname.slice(0, PAGE_MAX_LENGTH),
      locale: lang,
      idempotency_key: this.key,
    };
    // Kept before sending: if the tab closes mid-send, the next page load sends it.
    const kept = keep(endpoint, submission);
    this.sending = true;
    this.setState({ status: t.sending, failure: '' });
    const result = await sendFeedback(endpoint, submission);
    this.sending = false;
    if (result.ok || !retryable(result.code)) forget(this.key);
    if (result.ok) {
      this.thank(true);
    } else if (retryable(result.code) && kept) {
      this.setState({ status: '', failure: failureText(t, result.code), saved: true }, () =>
        this.note.current?.focus(),
      );
      addEventListener('online', this.retry);
      this.later();
    } else if (!this.showErrors((result.errors ?? []).map((issue) => issue.field))) {
      // Only a story kept in the browser may be promised for later.
      this.setState({
        status: '',
        failure: retryable(result.code) ? t.failures.notSent : failureText(t, result.code),
      });
    }
  };

  /** Success: thanks, with focus moved there only when the citizen has just pressed send. */
  thank(moveFocus: boolean) {
    this.setState(
      { status: '', failure: '', sent: true, saved: false },
      () => moveFocus && this.thanks.current?.focus(),
    );
  }

  /** Tries the outbox again: when the browser is back online, and every minute meanwhile. */
  retry = async () => {
    const done = (await flush(this.props.endpoint))[this.key];
    if (done === true) this.thank(false);
    else if (done) this.setState({ saved: false, failure: failureText(messages[this.props.lang], done) });
    else this.later();
  };

  later() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(this.retry, RETRY_EVERY_MS);
  }

  override componentWillUnmount() {
    removeEventListener('online', this.retry);
    clearTimeout(this.retryTimer);
  }

  render({ lang }: Props, { rating, story, errors, status, failure, sent, saved, preview }: State) {
    const t = messages[lang];
    const ratingError = errors.find((error) => error.field === 'rating')?.text;
    return (
      <section aria-labelledby="heading" lang={lang}>
        <h2 id="heading">{t.heading}</h2>
        {!sent && !saved && (
          <form noValidate onSubmit={this.submit}>
            <ErrorSummary title={t.errorSummaryTitle} errors={errors} ref={this.summary} />
            <div class={ratingError ? 'group error' : 'group'}>
              <fieldset aria-describedby={ratingError && 'rating-error'}>
                <legend>{t.ratingLegend}</legend>
                {ratingError && (
                  <p id="rating-error" class="error-message">
                    <span class="sr">{t.errorPrefix}</span> {ratingError}
                  </p>
                )}
                {t.ratings.map((label, index) => (
                  <div class="radio" key={label}>
                    <input
                      id={`rating-${index + 1}`}
                      type="radio"
                      name="rating"
                      value={index + 1}
                      checked={rating === index + 1}
                      onChange={() => this.setState({ rating: index + 1 })}
                    />
                    <label for={`rating-${index + 1}`}>{label}</label>
                  </div>
                ))}
              </fieldset>
            </div>
            <CharacterCount
              lang={lang}
              value={story}
              onInput={(value) => this.setState({ story: value, preview: undefined })}
              error={errors.find((error) => error.field === 'story')?.text}
            />
            {preview ? (
              <div class="panel check" tabIndex={-1} ref={this.check}>
                <h3>{t.previewTitle}</h3>
                <p>{t.previewText}</p>
                <blockquote>{preview}</blockquote>
                <button type="submit">{t.previewSend}</button>{' '}
                <button type="button" class="secondary" onClick={this.change}>
                  {t.previewChange}
                </button>
              </div>
            ) : (
              <button type="submit">{t.send}</button>
            )}
          </form>
        )}
        {/* Present from the first render, so screen readers hear each change; next to the button. */}
        <div role="status">
          {sent ? (
            <div class="panel" tabIndex={-1} ref={this.thanks}>
              <h3>{t.thanksTitle}</h3>
              <p>{t.thanksBody}</p>
            </div>
          ) : failure ? (
            <p class="failed" tabIndex={-1} ref={this.note}>
              {failure}
            </p>
          ) : (
            status
          )}
        </div>
      </section>
    );
  }
}

function fieldErrors(t: Messages, fields: string[]): FieldError[] {
  const errors: FieldError[] = [];
  if (fields.includes('rating')) {
    errors.push({ field: 'rating', target: 'rating-1', text: t.ratingRequired });
  }
  if (fields.includes('story')) {
    errors.push({ field: 'story', target: 'story', text: t.storyTooLong });
  }
  return errors;
}
