/**
 * The `stories` mode, a part that widget.js loads only for `data-mode="stories"`: a service's
 * published stories with the department's answers and what changed, and its summary.
 */

import type { Locale } from '../../shared';
import { fill, h } from '../dom';
import { type StoriesMessages, share, storiesMessages } from '../stories-messages';

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

/** Added to the widget's stylesheet for this mode. */
export const css = `article{border-top:1px solid var(--tellus-secondary);padding-top:1em;margin-bottom:1.5em}dl{display:grid;grid-template-columns:auto auto;gap:.25em 1em;margin:0 0 1.5em}dt{font-weight:700}dd{margin:0}`;

function SummaryList({ summary, t, lang }: { summary: Summary; t: StoriesMessages; lang: Locale }): Node {
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
        .map(([term, value]) => [<dt>{term}</dt>, <dd>{value}</dd>])}
    </dl>
  );
}

function StoryArticle({ story, t, lang }: { story: Published; t: StoriesMessages; lang: Locale }): Node {
  return (
    <article id={`story-${story.id}`} tabindex="-1" aria-labelledby={`rated-${story.id}`}>
      <h3 id={`rated-${story.id}`}>{t.rated(t.ratings[story.rating - 1] ?? String(story.rating))}</h3>
      <p class="hint">
        <time datetime={story.created_at}>{new Date(story.created_at).toLocaleDateString(`${lang}-GB`)}</time>
      </p>
      {story.story && <blockquote>{story.story}</blockquote>}
      {story.answers.map((answer) => (
        <div class="panel">
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
  );
}

/**
 * Renders a service's published stories into `root`, a page at a time: the summary and the first
 * page, then each page after "Show more" added below the last, with focus on its first story.
 */
export function start(root: ShadowRoot, service: string, endpoint: string, lang: Locale) {
  const t = storiesMessages[lang];
  /** A page is on its way: a second press of "Show more" waits for it rather than asking twice. */
  let loading = false;
  let next: string | null = null;
  let first = true;
  const summary = (<div />) as Element;
  const list = (<div />) as Element;
  const more = (
    <button type="button" class="secondary" hidden onClick={() => load(next)}>
      {t.more}
    </button>
  ) as HTMLButtonElement;
  const status = (<div role="status" />) as Element;
  fill(
    root,
    <section aria-labelledby="heading" lang={lang}>
      <h2 id="heading">{t.heading}</h2>
      {summary}
      {list}
      {more}
      {status}
    </section>,
  );

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
      if (first) {
        fill(
          summary,
          SummaryList({ summary: page.summary, t, lang }),
          !page.stories.length && <p>{t.none}</p>,
        );
        first = false;
      }
      list.append(...page.stories.map((story) => StoryArticle({ story, t, lang })));
      next = page.next_cursor;
      more.hidden = !next;
      fill(status);
      // After "Show more", keyboard users land on the first story they have not seen.
      if (cursor && page.stories[0]) root.getElementById(`story-${page.stories[0].id}`)?.focus();
    } catch {
      fill(status, <p class="failed">{t.failed}</p>);
    } finally {
      loading = false;
    }
  }
  load(null);
}
