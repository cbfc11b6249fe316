/**
 * The `stories` mode, a file of its own that widget.js loads only for `data-mode="stories"`: a
 * service's published stories with the department's answers and what changed, and its summary.
 */
import { h, render } from 'preact';
import type { Locale } from '../shared';
import { type StoriesMessages, share, storiesMessages } from './stories-messages';
import { css } from './styles';

interface Answer {
  text: string;
  changed: boolean;
  change: string | null;
  created_at: string;
}

interface Published {
  id: string;
  rating: number;
  story: string | null;
  created_at: string;
  answers: Answer[];
}

interface Summary {
  stories: number;
  average_rating: number | null;
  share_answered: number | null;
  share_changed: number | null;
  median_hours_to_answer: number | null;
}

interface State {
  summary?: Summary;
  stories: Published[];
  next: string | null;
  failed: boolean;
  /** The first story of the page loaded last, which takes focus after "Show more". */
  firstNew?: string;
}

interface ViewProps {
  state: State;
  t: StoriesMessages;
  lang: Locale;
  more: () => void;
}

const STORIES_CSS = `article{border-top:1px solid var(--tellus-secondary);padding-top:1em;margin-bottom:1.5em}dl{display:grid;grid-template-columns:auto auto;gap:.25em 1em;margin:0 0 1.5em}dt{font-weight:700}dd{margin:0}`;

function SummaryList({ summary, t, lang }: { summary: Summary; t: StoriesMessages; lang: Locale }) {
  const rows: Array<[string, string | null]> = [
    [t.stories, String(summary.stories)],
    [t.averageRating, summary.average_rating === null ? null : summary.average_rating.toLocaleString(lang)],
    [t.answered, summary.share_answered === null ? null : share(summary.share_answered, lang)],
    [t.changed, summary.share_changed === null ? null : share(summary.share_changed, lang)],
    [t.medianWait, summary.median_hours_to_answer === null ? null : t.hours(summary.median_hours_to_answer)],
  ];
  return (
    <dl>
      {rows
        .filter((row): row is [string, string] => row[1] !== null)
        .map(([term, value]) => [<dt key={`${term}-t`}>{term}</dt>, <dd key={`${term}-d`}>{value}</dd>])}
    </dl>
  );
}

function StoriesView({ state: { summary, stories, next, failed }, t, lang, more }: ViewProps) {
  return (
    <section aria-labelledby="heading" lang={lang}>
      <h2 id="heading">{t.heading}</h2>
      {summary && <SummaryList summary={summary} t={t} lang={lang} />}
      {summary && !stories.length && <p>{t.none}</p>}
      {stories.map((story) => (
        <article key={story.id} id={`story-${story.id}`} tabIndex={-1} aria-labelledby={`rated-${story.id}`}>
          <h3 id={`rated-${story.id}`}>{t.rated(t.ratings[story.rating - 1] ?? String(story.rating))}</h3>
          <p class="hint">
            <time dateTime={story.created_at}>
              {new Date(story.created_at).toLocaleDateString(`${lang}-GB`)}
            </time>
          </p>
          {story.story && <blockquote>{story.story}</blockquote>}
          {story.answers.map((answer) => (
            <div class="panel" key={answer.created_at}>
              <h4>{t.answer}</h4>
              <p>{answer.text}</p>
              {answer.change && (
                <p>
                  <strong>{t.whatChanged}:</strong> {answer.change}
                </p>
              )}
            </div>
          ))}
        </article>
      ))}
      {next && (
        <button type="button" class="secondary" onClick={more}>
          {t.more}
        </button>
      )}
      <div role="status">{failed ? <p class="failed">{t.failed}</p> : null}</div>
    </section>
  );
}

/** Renders a service's published stories into `root`, a page at a time. */
function startStories(root: ShadowRoot, service: string, endpoint: string, lang: Locale) {
  let state: State = { stories: [], next: null, failed: false };
  /** A page is on its way: a second press of "Show more" waits for it rather than asking twice. */
  let loading = false;
  const t = storiesMessages[lang];
  const set = (change: Partial<State>) => {
    state = { ...state, ...change };
    render(h(StoriesView, { state, t, lang, more: () => load(state.next) }), root);
  };
  async function load(cursor: string | null) {
    if (loading) return;
    loading = true;
    try {
      const res = await fetch(
        `${endpoint}/v1/services/${service}/stories${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (!res.ok) throw new Error(String(res.status));
      const page = (await res.json()) as {
        summary: Summary;
        stories: Published[];
        next_cursor: string | null;
      };
      set({
        summary: page.summary,
        stories: [...state.stories, ...page.stories],
        next: page.next_cursor,
        failed: false,
      });
      // After "Show more", keyboard users land on the first story they have not seen.
      if (cursor && page.stories[0]) root.getElementById(`story-${page.stories[0].id}`)?.focus();
    } catch {
      set({ failed: true });
    } finally {
      loading = false;
    }
  }
  set({});
  load(null);
}

/** Every `data-mode="stories"` script tag on the page gets its stories once. */
function mountAll() {
  for (const script of document.querySelectorAll<HTMLScriptElement>(
    'script[data-mode="stories"][data-service]',
  )) {
    if (script.dataset.tellusMounted) continue;
    script.dataset.tellusMounted = 'stories';
    const { service = '', target, lang, endpoint } = script.dataset;
    const host = (target && document.querySelector(target)) || document.createElement('div');
    if (!host.isConnected) script.after(host);
    host.setAttribute('data-tellus', 'stories');
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css + STORIES_CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {}
    const locale: Locale =
      lang === 'cy' || lang === 'en' ? lang : /^cy/i.test(document.documentElement.lang) ? 'cy' : 'en';
    startStories(root, service, (endpoint ?? new URL(script.src).origin).replace(/\/+$/, ''), locale);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
else mountAll();
