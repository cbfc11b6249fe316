/** The feedback form: a rating, a story, a send button, and what happens after. */
import { Component, createRef } from 'preact';
import { invalidAnswers, type Locale, PAGE_MAX_LENGTH } from '../shared';
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
}

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

  showErrors(fields: string[]) {
    const errors = fieldErrors(messages[this.props.lang], fields);
    this.setState({ errors, status: '', failure: '' }, () => errors.length && this.summary.current?.focus());
    return errors.length > 0;
  }

  submit = async (event: Event) => {
    event.preventDefault();
    if (this.sending) return;
    const { service, endpoint, lang } = this.props;
    const t = messages[lang];
    const rating = this.state.rating;
    const story = this.state.story.trim() || undefined;
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
    keep(endpoint, submission);
    this.sending = true;
    this.setState({ status: t.sending, failure: '' });
    const result = await sendFeedback(endpoint, submission);
    this.sending = false;
    if (result.ok || !retryable(result.code)) forget(this.key);
    if (result.ok) {
      this.thank();
    } else if (retryable(result.code)) {
      this.setState({ status: '', failure: failureText(t, result.code), saved: true });
      addEventListener('online', this.retry);
    } else if (!this.showErrors((result.errors ?? []).map((issue) => issue.field))) {
      this.setState({ status: '', failure: failureText(t, result.code) });
    }
  };

  thank() {
    this.setState({ status: '', failure: '', sent: true, saved: false }, () => this.thanks.current?.focus());
  }

  retry = async () => {
    if ((await flush(this.props.endpoint)).includes(this.key)) this.thank();
  };

  override componentWillUnmount() {
    removeEventListener('online', this.retry);
  }

  render({ lang }: Props, { rating, story, errors, status, failure, sent, saved }: State) {
    const t = messages[lang];
    const ratingError = errors.find((error) => error.field === 'rating')?.text;
    return (
      <section aria-labelledby="tellus-heading" lang={lang}>
        <h2 id="tellus-heading">{t.heading}</h2>
        {!sent && !saved && (
          <form noValidate onSubmit={this.submit}>
            <ErrorSummary title={t.errorSummaryTitle} errors={errors} ref={this.summary} />
            <div class={ratingError ? 'group error' : 'group'}>
              <fieldset aria-describedby={ratingError && 'tellus-rating-error'}>
                <legend>{t.ratingLegend}</legend>
                {ratingError && (
                  <p id="tellus-rating-error" class="error-message">
                    <span class="sr">{t.errorPrefix}</span> {ratingError}
                  </p>
                )}
                {t.ratings.map((label, index) => (
                  <div class="radio" key={label}>
                    <input
                      id={`tellus-rating-${index + 1}`}
                      type="radio"
                      name="rating"
                      value={index + 1}
                      checked={rating === index + 1}
                      onChange={() => this.setState({ rating: index + 1 })}
                    />
                    <label for={`tellus-rating-${index + 1}`}>{label}</label>
                  </div>
                ))}
              </fieldset>
            </div>
            <CharacterCount
              lang={lang}
              value={story}
              onInput={(value) => this.setState({ story: value })}
              error={errors.find((error) => error.field === 'story')?.text}
            />
            <button type="submit">{t.send}</button>
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
            <p class="failed">{failure}</p>
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
    errors.push({ field: 'rating', target: 'tellus-rating-1', text: t.ratingRequired });
  }
  if (fields.includes('story')) {
    errors.push({ field: 'story', target: 'tellus-story', text: t.storyTooLong });
  }
  return errors;
}
