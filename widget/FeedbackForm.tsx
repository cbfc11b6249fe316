/** The feedback form: a rating, a story, a send button, and what happens after; in any mode. */
import { Component, Fragment, h } from 'preact';
import {
  invalidAnswers,
  isRating,
  type Locale,
  PAGE_MAX_LENGTH,
  RATING_MAX,
  redactPersonalData,
} from '../shared';
import { newIdempotencyKey, retryable, sendFeedback } from './api';
import { CharacterCount } from './CharacterCount';
import { ErrorSummary, type FieldError } from './ErrorSummary';
import { failureText, type Messages, messages, type Wording } from './messages';
import { flush, forget, keep } from './outbox';

/** `Node.DOCUMENT_POSITION_FOLLOWING`, as a literal the minifier can keep small. */
const FOLLOWING = 4;

/** `inline`: the form in the page; `tab`: a tab that opens it in a dialog; `useful`: Yes / No first. */
export type Mode = 'inline' | 'tab' | 'useful';

export interface Props {
  service: string;
  endpoint: string;
  lang: Locale;
  mode: Mode;
  /** The host page's own words, which win over the service's and the bundled ones. */
  messages?: Wording;
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
  /** The service's own words (its hint and signposting), as the worker gives them. */
  wording?: Wording;
  /** `useful` mode: the citizen answered No, so the whole form shows. */
  open?: boolean;
  /** `tab` mode: the tab steps aside while page content beneath it has focus. */
  aside?: boolean;
}

// Class components keep Preact's hooks add-on (about 1 KB gzipped) out of the widget's budget.
export class FeedbackForm extends Component<Props, State> {
  override state: State = { story: '', errors: [], status: '', failure: '', sent: false, saved: false };
  // One key per story: a retry after a lost answer can never store it twice. A changed story
  // gets a new key, since the worker refuses a key it has seen with different content.
  key = '';
  keyFor = '';
  sending = false;
  /** Back to the story to change it. */
  change = () => {
    this.setState({ preview: undefined }, () => this.focusOn('story'));
  };

  /** One of the widget's elements: ids are unique within its shadow root. */
  byId(id: string) {
    return (this.base?.getRootNode() as ShadowRoot | undefined)?.getElementById(id);
  }

  focusOn(id: string) {
    this.byId(id)?.focus();
  }

  /** The words to show: the host's, else the service's, else the bundled ones. */
  texts(): Messages {
    const { lang, messages: host } = this.props;
    return { ...messages[lang], ...this.state.wording?.[lang], ...host?.[lang] };
  }

  override componentDidMount() {
    const { endpoint, service, mode } = this.props;
    fetch(`${endpoint}/v1/services/${service}/widget`, { credentials: 'omit' })
      .then((res) => res.json())
      .then(({ messages: wording }) => this.setState({ wording }))
      .catch(() => {});
    if (mode === 'tab') addEventListener('focusin', this.dodge);
  }

  /** The tab never hides what has focus (WCAG 2.4.11): it steps aside while page content beneath it has. */
  dodge = ({ target }: FocusEvent) => {
    const page = (target as Element).getBoundingClientRect();
    const tab = (this.byId('tab') as Element).getBoundingClientRect();
    // The tab sits in the bottom right corner, so only those two edges matter. Content below the
    // window counts too: the browser is about to scroll it into view, at the bottom.
    this.setState({
      aside:
        target !== ((this.base as Element).getRootNode() as ShadowRoot).host &&
        page.bottom > tab.top &&
        page.right > tab.left,
    });
  };

  /** Tab and Shift+Tab stay inside the dialog: past its last button to its first, and back. */
  trap = (event: KeyboardEvent) => {
    const buttons = (event.currentTarget as Element).querySelectorAll('button');
    const first = buttons[0] as HTMLButtonElement;
    const last = buttons[buttons.length - 1] as HTMLButtonElement;
    const target = event.target as Node;
    // Past the last button there is only the status region: a thank-you or a note with focus.
    const next = event.shiftKey
      ? target === first && last
      : (target === last || last.compareDocumentPosition(target) & FOLLOWING) && first;
    if (event.key === 'Tab' && next) {
      event.preventDefault();
      next.focus();
    }
  };

  /** `useful` mode, No: the whole form, with focus on its heading. */
  expand = () => this.setState({ open: true }, () => this.focusOn('heading'));

  showErrors(fields: string[]) {
    const errors = fieldErrors(this.texts(), fields);
    this.setState({ errors, status: '', failure: '' }, () => errors.length && this.focusOn('error-summary'));
    return errors.length > 0;
  }

  submit = (event: Event) => {
    event.preventDefault();
    const { story, rating, preview } = this.state;
    const typed = story.trim();
    const safe = redactPersonalData(typed);
    // The Canada.ca pattern: show what will go before anything leaves the device.
    if (!preview && safe !== typed && isRating(rating)) {
      this.setState({ preview: safe, errors: [] }, () => this.focusOn('check'));
      return;
    }
    this.deliver(rating, safe || undefined);
  };

  deliver = async (rating?: number, story?: string) => {
    if (this.sending || this.showErrors(invalidAnswers({ rating, story })) || rating === undefined) return;
    const { service, endpoint, lang } = this.props;
    const t = this.texts();
    const answers = JSON.stringify([rating, story]);
    if (this.keyFor !== answers) {
      this.key = newIdempotencyKey();
      this.keyFor = answers;
    }
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
        this.focusOn('note'),
      );
      // Tried again when the browser is back online, or on the next page that loads the widget.
      addEventListener('online', this.retry);
    } else if (!this.showErrors((result.errors ?? []).map((issue) => issue.field))) {
      // Only a story kept in the browser may be promised for later.
      this.setState({
        status: '',
        failure: t.notSent,
      });
    }
  };

  /** Success: thanks, with focus moved there only when the citizen has just pressed send. */
  thank(moveFocus: boolean) {
    this.setState(
      { status: '', failure: '', sent: true, saved: false },
      () => moveFocus && this.focusOn('thanks'),
    );
  }

  /** Tries the outbox again, now that the browser is back online. */
  retry = async () => {
    const done = (await flush(this.props.endpoint))[this.key];
    if (done === true) this.thank(false);
    else if (done) this.setState({ saved: false, failure: this.texts().notSent });
  };

  override componentWillUnmount() {
    removeEventListener('online', this.retry);
    removeEventListener('focusin', this.dodge);
  }

  render(
    { lang, mode }: Props,
    { rating, story, errors, status, failure, sent, saved, preview, open, aside }: State,
  ) {
    const t = this.texts();
    const ratingError = errors.find((error) => error.field === 'rating')?.text;
    const asking = mode === 'useful' && !open;
    const section = (
      <section aria-labelledby="heading" lang={lang}>
        <h2 id="heading" tabIndex={-1}>
          {asking ? t.useful : t.heading}
        </h2>
        {!sent &&
          !saved &&
          (asking ? (
            // GOV.UK's "Is this page useful?": Yes is a whole answer; No opens the form.
            <p>
              <button type="button" onClick={() => this.deliver(RATING_MAX)}>
                {t.yes}
              </button>{' '}
              <button type="button" class="secondary" onClick={this.expand}>
                {t.no}
              </button>
            </p>
          ) : (
            <form onSubmit={this.submit}>
              <ErrorSummary title={t.errorSummaryTitle} errors={errors} />
              <p>{t.signposting}</p>
              <div class={ratingError ? 'group error' : 'group'}>
                <fieldset aria-describedby={ratingError && 'rating-error'}>
                  <legend>{t.ratingLegend}</legend>
                  {ratingError && (
                    <p id="rating-error" class="error-message">
                      <span class="sr">{t.errorPrefix}</span> {ratingError}
                    </p>
                  )}
                  {t.ratings.map((label, index) => (
                    <div class="radio">
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
                t={t}
                value={story}
                onInput={(value) => this.setState({ story: value, preview: undefined })}
                error={errors.find((error) => error.field === 'story')?.text}
              />
              {preview ? (
                <div id="check" class="panel check" tabIndex={-1}>
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
          ))}
        {/* Present from the first render, so screen readers hear each change; next to the button. */}
        <div role="status">
          {sent ? (
            <div id="thanks" class="panel" tabIndex={-1}>
              <h3>{t.thanksTitle}</h3>
              <p>{t.thanksBody}</p>
            </div>
          ) : failure ? (
            <p id="note" class="failed" tabIndex={-1}>
              {failure}
            </p>
          ) : (
            status
          )}
        </div>
      </section>
    );
    if (mode !== 'tab') return section;
    // The WAI-ARIA dialog pattern, from the platform: a modal <dialog> keeps focus inside and the
    // page inert, closes on Escape, and gives focus back to the tab.
    return (
      <>
        <button
          type="button"
          class={aside ? 'tab aside' : 'tab'}
          id="tab"
          onClick={() => (this.byId('dialog') as HTMLDialogElement).showModal()}
        >
          {t.tab}
        </button>
        <dialog id="dialog" aria-labelledby="heading" onKeyDown={this.trap}>
          <form method="dialog">
            <button type="submit" class="secondary close">
              {t.close}
            </button>
          </form>
          {section}
        </dialog>
      </>
    );
  }
}

/** The error for each field the citizen can fix: a rating to choose, a story to shorten. */
function fieldErrors(t: Messages, fields: string[]): FieldError[] {
  return fields
    .filter((field) => field === 'rating' || field === 'story')
    .map((field) => ({
      field,
      target: field === 'rating' ? 'rating-1' : field,
      text: field === 'rating' ? t.ratingRequired : t.storyTooLong,
    }));
}
