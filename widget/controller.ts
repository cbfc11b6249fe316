/**
 * One mounted widget: its state, what each action does to it, and sending. Every change shows the
 * new state in the view at once, so focus can move right after. What only some citizens need comes
 * from parts (parts.ts), loaded at the moment it is needed.
 */
import type { FeedbackCreated, FeedbackSubmissionInput } from '../shared';
import { invalidAnswers, isRating, type Locale, PAGE_MAX_LENGTH, RATING_MAX } from '../shared';
import { newIdempotencyKey, retryable, type SendResult } from './api';
import { countText } from './CharacterCount';
import { adopt, fill, h } from './dom';
import { fieldErrors } from './ErrorSummary';
import { type Actions, FeedbackView, type Mode, type State } from './FeedbackView';
import { idle, whenSeen } from './idle';
import { load } from './load';
import { en, type Messages, type Wording } from './messages';
import type { Parts } from './parts';
import type { TurnstileSettings } from './parts/turnstile';
import { retrier } from './retry';
import { keepReceipt, send } from './send';
import { type Kept, keys, OUTBOX, RECEIPT } from './storage';
import { css } from './styles';
import { startTab, type Tab } from './tab';

export interface Settings {
  service: string;
  endpoint: string;
  lang: Locale;
  mode: Mode;
  /** The host page's own words, which win over the service's and the bundled ones. */
  messages?: Wording;
  /** The console preview's token: the worker keeps its stories as tests. */
  preview?: string;
}

/** What `GET /v1/services/:id/widget` answers. */
interface WidgetSettings {
  messages?: Wording;
  token?: string;
  turnstile?: TurnstileSettings;
  /** How long the department keeps a story: a receipt is kept on the device no longer. */
  retention_days?: number;
  /** The service's privacy notice. */
  privacy_url?: string;
}

type Challenge = ReturnType<Parts['turnstile']['challenge']>;

/** How long typing must pause before the character count is announced. */
const ANNOUNCE_DELAY_MS = 1000;
/** How long the first render waits for the service's words (one render, not two) before going on without them. */
const SETTINGS_WAIT_MS = 1000;
/** How long after the first render storage is read, when the widget has not been seen by then. */
const STORAGE_DELAY_MS = 5000;

const noop = (): undefined => undefined;

/** Renders the widget into `root` and runs it; returns a function that stops it. */
export function startWidget(
  root: ShadowRoot,
  { service, endpoint, lang, mode, messages: host, preview }: Settings,
) {
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
  /** The bundled words in the widget's language: English here, Welsh once that part has loaded. */
  let words: Messages = en;
  /** The view, built at the first render in the words known then. */
  let view: FeedbackView | undefined;
  /** `tab` mode: the tab, and the dialog that holds the form. */
  let tab: Tab | undefined;
  /** Nothing is shown after the widget is stopped (mounted again). */
  let stopped = false;
  const stops: (() => void)[] = [];
  /** The Turnstile challenge of a service that turns it on, once its part has loaded. */
  let challenge: Promise<Challenge | undefined> | undefined;
  /**
   * Where Turnstile's invisible challenges run: in the shadow root itself, kept across rebuilds,
   * so that it is in the document even while tab mode's form waits for its dialog.
   */
  const challenges = h('div', { id: 'challenge' }) as Element;
  // One key per story: a retry after a lost answer can never store it twice. A changed story
  // gets a new key, since the worker refuses a key it has seen with different content.
  let key = '';
  let keyFor = '';
  let sending = false;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether typing has asked for the personal-details check's part yet. */
  let checkAsked = false;

  /** The words to show: the host's, else the service's, else the bundled ones. */
  const texts = (): Messages => ({ ...words, ...settings.messages?.[lang], ...host?.[lang] });

  /** Builds the view in the words known now, in place of any before it. */
  function build() {
    // A widget mounted again in its place owns the root now.
    if (stopped) return;
    const t = texts();
    // The section says the language of the words it shows: English, while Welsh has not come.
    view = FeedbackView({ t, lang: words === en ? 'en' : lang, mode, on, privacy: settings.privacy_url });
    tab?.stop();
    tab = mode === 'tab' ? startTab(root, t, view.section, on.show) : undefined;
    root.adoptedStyleSheets = [];
    adopt(root, css);
    fill(root, tab ? tab.content : view.section, challenges);
    // Only now is the widget there: a page keeping room for it until then (a slot styled with
    // :has([data-tellus])) gives the room up as the form takes it, and nothing below moves.
    // The attribute also lets the stylesheet tell tab mode apart.
    (root.host as Element).setAttribute('data-tellus', mode);
    draw();
  }

  /**
   * Words that come after the first render (a slow network) replace those shown only while the
   * citizen has not started, so nothing they did is lost.
   */
  function rebuildIfUntouched() {
    const started =
      state.rating ||
      state.story ||
      state.open ||
      state.sent ||
      state.errors.length ||
      sending ||
      root.activeElement;
    if (view && !started) build();
  }

  function draw() {
    if (!stopped) view?.update(state);
  }
  const set = (change: Partial<State>) => {
    state = { ...state, ...change };
    draw();
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
  function fetchSettings() {
    return fetch(`${endpoint}/v1/services/${service}/widget`)
      .then((res) => res.json())
      .then((loaded: WidgetSettings) => {
        settings = loaded;
        rebuildIfUntouched();
        const turnstile = loaded.turnstile;
        if (turnstile)
          challenge ??= load('turnstile').then((part) => part.challenge(challenges, turnstile), noop);
      })
      .catch(noop);
  }

  const outbox = retrier({
    endpoint,
    challenges,
    done,
    challenge: () => ({ sitekey: settings.turnstile?.sitekey, challenge }),
  });
  stops.push(outbox.stop);

  /** A kept story is no longer kept: stored (a receipt to keep), or refused for good. */
  function done(kept: Kept, result: SendResult) {
    // A story of another service, kept by an earlier page: its department's retention is not known
    // here, so its receipt is kept for the longest any department keeps a story by default.
    if (result.ok) {
      const own = kept.submission.service === service;
      keepReceipt(
        endpoint,
        kept.submission.service,
        result.created,
        own ? settings.retention_days : undefined,
      );
    }
    if (kept.submission.idempotency_key !== key || !state.saved) return;
    if (result.ok) thank(result.created, false);
    else set({ saved: false, failure: texts().notSent });
  }

  async function deliver(rating?: number, story?: string) {
    if (sending || showErrors(invalidAnswers({ rating, story })) || rating === undefined) return;
    sending = true;
    const t = texts();
    set({ status: t.sending, failure: '' });
    // Without a form token (the settings did not arrive as the widget showed) the worker would
    // refuse the story: ask again first.
    if (!settings.token) await fetchSettings();
    const answers = JSON.stringify([rating, story]);
    if (keyFor !== answers) {
      key = newIdempotencyKey();
      keyFor = answers;
    }
    const submission: FeedbackSubmissionInput = {
      service,
      rating,
      story,
      page: location.pathname.slice(0, PAGE_MAX_LENGTH),
      locale: lang,
      idempotency_key: key,
      token: settings.token,
      turnstile: await (await challenge)?.token(),
      // The honeypot: people never see it, so only a program fills it in.
      website: (root.getElementById('website') as HTMLInputElement | null)?.value || undefined,
      preview,
    };
    const { result, kept } = await send(
      { endpoint, submission, turnstile: settings.turnstile },
      settings.retention_days,
    );
    sending = false;
    if (stopped) return;
    if (result.ok) {
      thank(result.created, true);
    } else if (retryable(result) && kept) {
      set({ status: '', failure: t.saved, saved: true });
      focusOn('note');
      // Tried again while the page is open, as it goes, and on the next page that loads the widget.
      outbox.start().then((started) => started?.later());
    } else if (!showErrors((result.errors ?? []).map((issue) => issue.field))) {
      // Only a story kept in the browser may be promised for later.
      set({ status: '', failure: t.notSent });
    }
  }

  const on: Actions & { show(): void; change(): void } = {
    rate: (rating) => set({ rating }),
    type(story) {
      set({ story, preview: undefined, check: undefined });
      // The check for personal details is needed once there is a story to check. Asked for once,
      // as typing starts, not at every key: if it does not load (offline, or refused as tampered),
      // Send asks again.
      if (!checkAsked) {
        checkAsked = true;
        load('preview').catch(noop);
      }
      // Announce once typing pauses, so screen readers are not interrupted on every key.
      clearTimeout(announceTimer);
      announceTimer = setTimeout(
        () => set({ announced: countText(texts(), state.story) }),
        ANNOUNCE_DELAY_MS,
      );
    },
    async submit(event) {
      event.preventDefault();
      const typed = state.story.trim();
      // Without the check (its part did not load), the story goes as typed: the worker removes
      // personal details before storing it all the same.
      const part = typed ? await load('preview').catch(() => undefined) : undefined;
      const safe = part ? part.redact(typed) : typed;
      // The Canada.ca pattern: show what will go before anything leaves the device.
      if (state.preview === undefined && part && safe !== typed && isRating(state.rating)) {
        set({ preview: safe, errors: [], check: part.Check({ t: texts(), text: safe, change: on.change }) });
        focusOn('check');
      } else {
        deliver(state.rating, safe || undefined);
      }
    },
    change() {
      set({ preview: undefined, check: undefined });
      focusOn('story');
    },
    // GOV.UK's "Is this page useful?": Yes is a whole answer; No opens the form.
    yes: () => deliver(RATING_MAX),
    no() {
      set({ open: true });
      focusOn('heading');
    },
    async show() {
      if (await tab?.ready()) (root.getElementById('dialog') as HTMLDialogElement).showModal();
      else focusOn('heading');
    },
  };

  // The first render waits for the service's words (and for the Welsh ones on a page in Welsh), so
  // it happens once, in a task of its own rather than the one that runs the page's scripts.
  const wait = new Promise((resolve) => setTimeout(resolve, SETTINGS_WAIT_MS));
  Promise.race([
    wait,
    Promise.all([
      fetchSettings(),
      lang === 'cy' &&
        load('cy').then((part) => {
          words = part.messages;
          rebuildIfUntouched();
        }, noop),
    ]),
  ]).then(() => {
    if (stopped) return;
    build();
    if (tab) idle(() => !stopped && tab?.ready());
    // Storage is read once, and then only its keys: a story kept by an earlier page is sent, and
    // receipts kept for this service are looked up. Not while the page loads: when the citizen can
    // see the widget (or its tab), or else a few seconds later, when the page is idle.
    stops.push(whenSeen(tab?.tab ?? (root.host as Element), STORAGE_DELAY_MS, readStorage));
  });

  function readStorage() {
    if (stopped) return;
    if (keys(OUTBOX).length) outbox.start().then((started) => started?.flush());
    if (!keys(`${RECEIPT}${service}:`).length) return;
    load('receipts').then((part) => {
      if (stopped) return;
      const show = (answers: Node | null) => set({ above: answers });
      stops.push(part.startReceipts({ endpoint, service, lang, show }));
    }, noop);
  }
  return () => {
    stopped = true;
    tab?.stop();
    clearTimeout(announceTimer);
    for (const stop of stops) stop();
  };
}
