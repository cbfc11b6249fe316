/** The widget's markup for every mode and state: a pure function of the state and the words. */
import { Fragment, h } from 'preact';
import type { FeedbackCreated, Locale } from '../shared';
import { CharacterCount } from './CharacterCount';
import { ErrorSummary, type FieldError } from './ErrorSummary';
import type { Messages } from './messages';

/** `inline`: the form in the page; `tab`: a tab that opens it in a dialog; `useful`: Yes / No first. */
export type Mode = 'inline' | 'tab' | 'useful';

export interface State {
  rating?: number;
  story: string;
  errors: FieldError[];
  /** What the status region says while sending. */
  status: string;
  /** Why sending failed, in the citizen's language. */
  failure: string;
  /** The worker's answer once the story is stored: the receipt, and help for an urgent story. */
  sent?: FeedbackCreated;
  /** Sending failed for now; the story waits in the browser's outbox. */
  saved: boolean;
  /** The story as it will be sent, shown because it had personal details in it. */
  preview?: string;
  /** The character count as last announced to screen readers. */
  announced: string;
  /** `useful` mode: the citizen answered No, so the whole form shows. */
  open?: boolean;
  /** `tab` mode: the tab steps aside while page content beneath it has focus. */
  aside?: boolean;
}

/** What the citizen can do; the controller (controller.ts) carries each out. */
export interface Actions {
  rate(rating: number): void;
  type(story: string): void;
  submit(event: Event): void;
  /** Back from the preview to the story. */
  change(): void;
  /** `useful` mode's answers. */
  yes(): void;
  no(): void;
  /** `tab` mode: open the dialog, and keep Tab inside it. */
  show(): void;
  trap(event: FocusEvent): void;
}

export interface Props {
  state: State;
  t: Messages;
  lang: Locale;
  mode: Mode;
  on: Actions;
}

export function FeedbackView({
  state: { rating, story, errors, status, failure, sent, saved, preview, announced, open, aside },
  t,
  lang,
  mode,
  on,
}: Props) {
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
            <button type="button" onClick={on.yes}>
              {t.yes}
            </button>{' '}
            <button type="button" class="secondary" onClick={on.no}>
              {t.no}
            </button>
          </p>
        ) : (
          <form onSubmit={on.submit}>
            <input id="website" hidden />
            <ErrorSummary title={t.problem} errors={errors} />
            <p>{t.signposting}</p>
            <div class={ratingError ? 'group error' : 'group'}>
              <fieldset aria-describedby={ratingError && 'rating-error'}>
                <legend>{t.question}</legend>
                {ratingError && (
                  <p id="rating-error" class="error-message">
                    <span class="sr">{t.errorLabel}</span> {ratingError}
                  </p>
                )}
                {t.ratings.map((label, index) => (
                  <div class="radio">
                    <input
                      // GOV.UK's ids: the first radio has the field's own, so errors can link to it.
                      id={index ? `rating-${index + 1}` : 'rating'}
                      type="radio"
                      name="rating"
                      value={index + 1}
                      checked={rating === index + 1}
                      onChange={() => on.rate(index + 1)}
                    />
                    <label for={index ? `rating-${index + 1}` : 'rating'}>{label}</label>
                  </div>
                ))}
              </fieldset>
            </div>
            <CharacterCount
              t={t}
              value={story}
              announced={announced}
              onInput={on.type}
              error={errors.find((error) => error.field === 'story')?.text}
            />
            {preview ? (
              <div id="check" class="panel check" tabIndex={-1}>
                <h3>{t.previewTitle}</h3>
                <p>{t.previewText}</p>
                <blockquote>{preview}</blockquote>
                <button type="submit">{t.sendAnyway}</button>{' '}
                <button type="button" class="secondary" onClick={on.change}>
                  {t.edit}
                </button>
              </div>
            ) : (
              <button type="submit">{t.send}</button>
            )}
          </form>
        ))}
      {/* Where Turnstile's invisible challenge runs, for a service that turned it on. */}
      <div id="challenge" />
      {/* Present from the first render, so screen readers hear each change; next to the button. */}
      <div role="status">
        {sent ? (
          <div id="thanks" class="panel" tabIndex={-1}>
            <h3>{t.thanks}</h3>
            {sent.help && <p class="help">{sent.help}</p>}
            <p>{t.thanksText}</p>
            <p>
              <a href={sent.receipt_url}>{t.receipt}</a>
            </p>
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
      <button type="button" class={aside ? 'tab aside' : 'tab'} id="tab" onClick={on.show}>
        {t.tab}
      </button>
      <dialog id="dialog" aria-labelledby="heading" onFocusOut={on.trap}>
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
