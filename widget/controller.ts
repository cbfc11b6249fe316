/**
 * One mounted widget: its state, what each action does to it, and sending. Every change renders
 * the view again (Preact's top-level render is synchronous, so focus can move right after).
 */
import { h, render } from 'preact';
import {
  invalidAnswers,
  isRating,
  type Locale,
  PAGE_MAX_LENGTH,
  RATING_MAX,
  redactPersonalData,
} from '../shared';
import { newIdempotencyKey, retryable, sendFeedback } from './api';
import { countText } from './CharacterCount';
import type { FieldError } from './ErrorSummary';
import { type Actions, FeedbackView, type Mode, type State } from './FeedbackView';
import { failureText, type Messages, messages, type Wording } from './messages';
import { flush, forget, keep } from './outbox';

export interface Settings {
  service: string;
  endpoint: string;
  lang: Locale;
  mode: Mode;
  /** The host page's own words, which win over the service's and the bundled ones. */
  messages?: Wording;
}

/** How long typing must pause before the character count is announced. */
const ANNOUNCE_DELAY_MS = 1000;

/** `Node.DOCUMENT_POSITION_FOLLOWING`, as a literal the minifier can keep small. */
const FOLLOWING = 4;

/** Renders the widget into `root` and runs it; returns a function that stops it. */
export function startWidget(root: ShadowRoot, { service, endpoint, lang, mode, messages: host }: Settings) {
  let state: State = {
    story: '',
    errors: [],
    status: '',
    failure: '',
    announced: '',
    sent: false,
    saved: false,
  };
  /** The service's own words (its hint and signposting), once the worker has given them. */
  let wording: Wording | undefined;
  // One key per story: a retry after a lost answer can never store it twice. A changed story
  // gets a new key, since the worker refuses a key it has seen with different content.
  let key = '';
  let keyFor = '';
  let sending = false;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;

  /** The words to show: the host's, else the service's, else the bundled ones. */
  const texts = (): Messages => ({ ...messages[lang], ...wording?.[lang], ...host?.[lang] });
  const set = (change: Partial<State>) => {
    state = { ...state, ...change };
    render(h(FeedbackView, { state, t: texts(), lang, mode, on }), root);
  };
  const focusOn = (id: string) => root.getElementById(id)?.focus();

  function showErrors(fields: string[]) {
    const errors = fieldErrors(texts(), fields);
    set({ errors, status: '', failure: '' });
    if (errors.length) focusOn('error-summary');
    return errors.length > 0;
  }

  /** Success: thanks, with focus moved there only when the citizen has just pressed send. */
  function thank(moveFocus: boolean) {
    set({ status: '', failure: '', sent: true, saved: false });
    if (moveFocus) focusOn('thanks');
  }

  async function deliver(rating?: number, story?: string) {
    if (sending || showErrors(invalidAnswers({ rating, story })) || rating === undefined) return;
    const t = texts();
    const answers = JSON.stringify([rating, story]);
    if (keyFor !== answers) {
      key = newIdempotencyKey();
      keyFor = answers;
    }
    const submission = {
      service,
      rating,
      story,
      page: location.pathname.slice(0, PAGE_MAX_LENGTH),
      locale: lang,
      idempotency_key: key,
    };
    // Kept before sending: if the tab closes mid-send, the next page load sends it.
    const kept = keep(endpoint, submission);
    sending = true;
    set({ status: t.sending, failure: '' });
    const result = await sendFeedback(endpoint, submission);
    sending = false;
    if (result.ok || !retryable(result.code)) forget(key);
    if (result.ok) {
      thank(true);
    } else if (retryable(result.code) && kept) {
      set({ status: '', failure: failureText(t, result.code), saved: true });
      focusOn('note');
      // Tried again when the browser is back online, or on the next page that loads the widget.
      addEventListener('online', retry);
    } else if (!showErrors((result.errors ?? []).map((issue) => issue.field))) {
      // Only a story kept in the browser may be promised for later.
      set({ status: '', failure: t.notSent });
    }
  }

  /** Tries the outbox again, now that the browser is back online. */
  async function retry() {
    const done = (await flush(endpoint))[key];
    if (done === true) thank(false);
    else if (done) set({ saved: false, failure: texts().notSent });
  }

  /** The tab never hides what has focus (WCAG 2.4.11): it steps aside while page content beneath it has. */
  function dodge({ target }: FocusEvent) {
    const page = (target as Element).getBoundingClientRect();
    const tab = (root.getElementById('tab') as Element).getBoundingClientRect();
    // The tab sits in the bottom right corner, so only those two edges matter. Content below the
    // window counts too: the browser is about to scroll it into view, at the bottom.
    set({ aside: target !== root.host && page.bottom > tab.top && page.right > tab.left });
  }

  const on: Actions = {
    rate: (rating) => set({ rating }),
    type(story) {
      set({ story, preview: undefined });
      // Announce once typing pauses, so screen readers are not interrupted on every key.
      clearTimeout(announceTimer);
      announceTimer = setTimeout(
        () => set({ announced: countText(texts(), state.story) }),
        ANNOUNCE_DELAY_MS,
      );
    },
    submit(event) {
      event.preventDefault();
      const typed = state.story.trim();
      const safe = redactPersonalData(typed);
      // The Canada.ca pattern: show what will go before anything leaves the device.
      if (!state.preview && safe !== typed && isRating(state.rating)) {
        set({ preview: safe, errors: [] });
        focusOn('check');
      } else {
        deliver(state.rating, safe || undefined);
      }
    },
    change() {
      set({ preview: undefined });
      focusOn('story');
    },
    // GOV.UK's "Is this page useful?": Yes is a whole answer; No opens the form.
    yes: () => deliver(RATING_MAX),
    no() {
      set({ open: true });
      focusOn('heading');
    },
    show: () => (root.getElementById('dialog') as HTMLDialogElement).showModal(),
    /** Tab and Shift+Tab stay inside the dialog: past its last button to its first, and back. */
    trap(event) {
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
    },
  };

  set({});
  fetch(`${endpoint}/v1/services/${service}/widget`, { credentials: 'omit' })
    .then((res) => res.json())
    .then((settings) => {
      wording = settings.messages;
      set({});
    })
    .catch(() => {});
  if (mode === 'tab') addEventListener('focusin', dodge);
  return () => {
    removeEventListener('online', retry);
    removeEventListener('focusin', dodge);
    clearTimeout(announceTimer);
  };
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
