/**
 * One mounted widget: its state, what each action does to it, and sending. Every change renders
 * the view again (Preact's top-level render is synchronous, so focus can move right after).
 */
import { h, render } from 'preact';
import type { FeedbackCreated } from '../shared';
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

/** What `GET /v1/services/:id/widget` answers. */
interface WidgetSettings {
  messages?: Wording;
  token?: string;
  turnstile?: TurnstileSettings;
}

/** The service's Turnstile site key, and where Turnstile's script is (the worker knows; the widget need not). */
interface TurnstileSettings {
  sitekey: string;
  script: string;
}

/** The part of Turnstile's browser API the widget uses. */
interface Turnstile {
  render(container: Element | null, options: { sitekey: string; callback: (token: string) => void }): void;
}

/** How long typing must pause before the character count is announced. */
const ANNOUNCE_DELAY_MS = 1000;

/** Renders the widget into `root` and runs it; returns a function that stops it. */
export function startWidget(root: ShadowRoot, { service, endpoint, lang, mode, messages: host }: Settings) {
  let state: State = {
    story: '',
    errors: [],
    status: '',
    failure: '',
    announced: '',
    saved: false,
  };
  /** What the worker says of the service as the widget shows: its own words, the form token, Turnstile. */
  let settings: WidgetSettings = {};
  /** The Turnstile token, once the invisible challenge is passed (for services that turn it on). */
  let passed: string | undefined;
  // One key per story: a retry after a lost answer can never store it twice. A changed story
  // gets a new key, since the worker refuses a key it has seen with different content.
  let key = '';
  let keyFor = '';
  let sending = false;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;

  /** The words to show: the host's, else the service's, else the bundled ones. */
  const texts = (): Messages => ({ ...messages[lang], ...settings.messages?.[lang], ...host?.[lang] });
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
  function thank(sent: FeedbackCreated, moveFocus: boolean) {
    set({ status: '', failure: '', sent, saved: false });
    if (moveFocus) focusOn('thanks');
  }

  /** Asks the worker for the service's settings; a failure leaves the defaults. */
  function load() {
    return fetch(`${endpoint}/v1/services/${service}/widget`)
      .then((res) => res.json())
      .then((loaded: WidgetSettings) => {
        settings = loaded;
        set({});
        if (loaded.turnstile) challenge(loaded.turnstile);
      })
      .catch(() => {});
  }

  /** Cloudflare Turnstile's invisible challenge, loaded only for a service that turned it on. */
  function challenge({ sitekey, script: src }: TurnstileSettings) {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () =>
      (window as unknown as { turnstile: Turnstile }).turnstile.render(root.getElementById('challenge'), {
        sitekey,
        callback: (token: string) => {
          passed = token;
        },
      });
    document.head.append(script);
  }

  async function deliver(rating?: number, story?: string) {
    if (sending || showErrors(invalidAnswers({ rating, story })) || rating === undefined) return;
    // Without a form token (the settings did not arrive as the widget showed) the worker would
    // refuse the story: ask again first.
    if (!settings.token) await load();
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
      token: settings.token,
      turnstile: passed,
      // The honeypot: people never see it, so only a program fills it in.
      website: (root.getElementById('website') as HTMLInputElement | null)?.value || undefined,
    };
    // Kept before sending: if the tab closes mid-send, the next page load sends it.
    const kept = keep(endpoint, submission);
    sending = true;
    set({ status: t.sending, failure: '' });
    const result = await sendFeedback(endpoint, submission);
    sending = false;
    if (result.ok || !retryable(result.code)) forget(key);
    if (result.ok) {
      thank(result.created, true);
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
    if (done?.ok) thank(done.created, false);
    else if (done) set({ saved: false, failure: texts().notSent });
  }

  /** The tab never hides what has focus (WCAG 2.4.11): it steps aside while page content beneath it has. */
  function dodge({ target }: FocusEvent) {
    const page = (target as Element).getBoundingClientRect();
    const tab = (root.getElementById('tab') as Element).getBoundingClientRect();
    // The tab sits at the bottom of the window: it steps aside for anything with focus that reaches
    // down to its top edge, content below the window too (the browser is about to scroll it in).
    set({ aside: target !== root.host && page.bottom > tab.top });
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
    /**
     * Tab and Shift+Tab stay inside the dialog. The browser lets focus leave a modal dialog for
     * its own toolbar (where focus goes with no element to receive it): it comes back to the
     * dialog's first button instead, so Tab from the last control wraps round to the first.
     */
    trap(event) {
      if (!event.relatedTarget) (event.currentTarget as Element).querySelector('button')?.focus();
    },
  };

  set({});
  load();
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
      text: field === 'rating' ? t.noRating : t.tooLong,
    }));
}
