/**
 * The widget's first paint: the form, the thank-you and the useful mode's question, as plain DOM
 * in GOV.UK Frontend's markup. Built once in the citizen's language, then changed only where the
 * state changes, so that typing never rebuilds the textarea under the citizen's fingers.
 */
import type { FeedbackCreated, Locale } from '../shared';
import { CharacterCount } from './CharacterCount';
import { type Child, fill, h } from './dom';
import { ErrorSummary, type FieldError } from './ErrorSummary';
import type { Messages } from './messages';
import type { Mode } from './options';

export type { Mode };

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
  /** Above the form: the team's answers to this citizen's earlier stories (parts/receipts.tsx). */
  above?: Node | null;
  /** In place of the send button: the personal-details check (parts/preview.tsx). */
  check?: Node;
}

/** What the citizen can do; the controller (controller.ts) carries each out. */
export interface Actions {
  rate(rating: number): void;
  type(story: string): void;
  submit(event: Event): void;
  /** `useful` mode's answers. */
  yes(): void;
  no(): void;
}

export interface Props {
  t: Messages;
  lang: Locale;
  mode: Mode;
  on: Actions;
  /** The service's privacy notice, linked under the form. */
  privacy?: string;
}

/** The section and a function that shows a state in it. */
export interface FeedbackView {
  section: Element;
  update(state: State): void;
}

export function FeedbackView({ t, lang, mode, on, privacy }: Props): FeedbackView {
  const heading = (
    <h2 id="heading" tabindex="-1">
      {t.heading}
    </h2>
  ) as Element;
  // The returning citizen's answers arrive after the form: announced politely when they do.
  const above = (<div aria-live="polite" />) as Element;
  const body = (<div />) as Element;
  const status = (<div role="status" />) as Element;
  const section = (
    <section aria-labelledby="heading" lang={lang}>
      {heading}
      {above}
      {body}
      {/* Present from the first render, so screen readers hear each change; next to the button. */}
      {status}
      {privacy && (
        <p>
          <a href={privacy}>{t.privacy}</a>
        </p>
      )}
    </section>
  ) as Element;

  // GOV.UK's "Is this page useful?": Yes is a whole answer; No opens the form.
  const question = (
    <p>
      <button type="button" onClick={on.yes}>
        {t.yes}
      </button>{' '}
      <button type="button" class="secondary" onClick={on.no}>
        {t.no}
      </button>
    </p>
  );
  const summary = (<div />) as Element;
  const ratingGroup = (<div class="group" />) as Element;
  const ratingError = (<div />) as Element;
  const fieldset = (
    <fieldset>
      <legend>{t.question}</legend>
      {ratingError}
      {t.ratings.map((label, index) => {
        // GOV.UK's ids: the first radio has the field's own, so errors can link to it.
        const id = index ? `rating-${index + 1}` : 'rating';
        return (
          <div class="radio">
            <input id={id} type="radio" name="rating" value={index + 1} onChange={() => on.rate(index + 1)} />
            <label for={id}>{label}</label>
          </div>
        );
      })}
    </fieldset>
  ) as Element;
  ratingGroup.append(fieldset);
  const count = CharacterCount({ t, onInput: on.type });
  const button = <button type="submit">{t.send}</button>;
  const action = (<div>{button}</div>) as Element;
  const form = (
    <form onSubmit={on.submit}>
      <input id="website" hidden />
      {summary}
      <p>{t.signposting}</p>
      {ratingGroup}
      {count.group}
      {action}
    </form>
  );

  let last: Partial<State> = {};
  let shown: Node | undefined;
  function update(state: State) {
    const asking = mode === 'useful' && !state.open;
    heading.textContent = asking ? t.useful : t.heading;
    if (state.above !== last.above) fill(above, state.above);
    const next = state.sent || state.saved ? undefined : asking ? question : form;
    if (next !== shown) {
      shown = next;
      fill(body, next);
    }
    if (state.errors !== last.errors) {
      const error = (field: string) => state.errors.find((e) => e.field === field)?.text;
      const rating = error('rating');
      fill(summary, ErrorSummary({ title: t.problem, errors: state.errors }));
      ratingGroup.className = rating ? 'group error' : 'group';
      if (rating) fieldset.setAttribute('aria-describedby', 'rating-error');
      else fieldset.removeAttribute('aria-describedby');
      fill(
        ratingError,
        rating && (
          <p id="rating-error" class="error-message">
            <span class="sr">{t.errorLabel}</span> {rating}
          </p>
        ),
      );
      count.error(t, error('story'));
    }
    count.update(t, state.story, state.announced);
    if (state.check !== last.check) fill(action, state.check ?? button);
    if (state.sent !== last.sent || state.failure !== last.failure || state.status !== last.status) {
      fill(status, statusOf(t, state));
    }
    last = state;
  }
  return { section, update };
}

/** What the status region says: thanks, why sending failed, or that it is sending. */
function statusOf(t: Messages, { sent, failure, status }: State): Child {
  if (sent)
    return (
      <div id="thanks" class="panel" tabindex="-1">
        <h3>{t.thanks}</h3>
        {sent.help && <p class="help">{sent.help}</p>}
        <p>{t.thanksText}</p>
        <p>
          <a href={sent.receipt_url}>{t.receipt}</a>
        </p>
      </div>
    );
  if (failure)
    return (
      <p id="note" class="failed" tabindex="-1">
        {failure}
      </p>
    );
  return status;
}
