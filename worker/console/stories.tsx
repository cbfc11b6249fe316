/** The console's story list (filters, pages, the urgent ones first) and the CSV of the same filter. */
import { Hono } from 'hono';
import { storyListPage } from '../db/console';
import { CSV_HEADERS, storiesCsv } from '../stories-csv';
import { type FilterForm, filterQuery, readFilters } from './filters';
import {
  Banner,
  type FieldError,
  Page,
  ratingText,
  Select,
  StatusTag,
  Table,
  TextInput,
  UrgentTag,
  when,
} from './layout';
import { render } from './render';
import type { ConsoleEnv } from './session';

/** Stories a page of the list. */
export const PAGE_SIZE = 25;

const excerpt = (story: string | null) =>
  story ? (story.length > 120 ? `${story.slice(0, 117)}…` : story) : 'No story, a rating only';

export const storyListRoutes = new Hono<ConsoleEnv>();

storyListRoutes.get('/', async (c) => {
  const form = c.req.query() as FilterForm;
  const { query, errors } = readFilters(form);
  const found = await storyListPage(c.var.db, c.var.department, query, PAGE_SIZE);
  // A filter with a mistake shows no stories: an unfiltered list under it would look filtered.
  const page = errors.length ? { ...found, stories: [], more: false } : found;
  const lastId = page.stories.at(-1)?.id;
  return render(
    c,
    <Page title="Stories" member={c.var.member} section="stories" errors={errors}>
      {page.urgent.length ? (
        <Banner title="Urgent">
          <p class="govuk-notification-banner__heading">
            {page.urgent.length === 1 ? '1 urgent story is' : `${page.urgent.length} urgent stories are`}{' '}
            waiting for an answer
          </p>
          <ul class="govuk-list">
            {page.urgent.map((story) => (
              <li>
                <a class="govuk-notification-banner__link" href={`/console/stories/${story.id}`}>
                  {excerpt(story.story)}
                </a>{' '}
                ({when(story.createdAt)})
              </li>
            ))}
          </ul>
        </Banner>
      ) : null}
      <h1 class="govuk-heading-l">Stories</h1>
      <Filters form={form} errors={errors} services={page.services} />
      <p class="govuk-body">
        <a class="govuk-link" href={`/console/export.csv${filterQuery(form)}`} download>
          Download these stories as CSV
        </a>
      </p>
      {page.stories.length ? (
        <Table
          caption={form.cursor ? 'Older stories' : 'Newest first'}
          head={['Received', 'Service', 'Rating', 'Status', 'Story']}
          rows={page.stories.map((story) => [
            when(story.created_at),
            page.services.find((s) => s.id === story.service)?.name ?? story.service,
            ratingText(story.rating),
            <>
              <StatusTag status={story.status} /> {story.severity === 'urgent' ? <UrgentTag /> : null}
            </>,
            <a class="govuk-link" href={`/console/stories/${story.id}`}>
              {excerpt(story.story)}
            </a>,
          ])}
        />
      ) : (
        <p class="govuk-body">
          {errors.length ? 'Correct the filters to see stories.' : 'No stories match these filters.'}
        </p>
      )}
      {form.cursor || page.more ? (
        <nav class="govuk-pagination" aria-label="Pages of stories">
          {form.cursor ? (
            <div class="govuk-pagination__prev">
              <a
                class="govuk-link govuk-pagination__link"
                href={`/console/stories${filterQuery(form)}`}
                rel="prev"
              >
                <span class="govuk-pagination__link-title">Newest stories</span>
              </a>
            </div>
          ) : null}
          {page.more && lastId ? (
            <div class="govuk-pagination__next">
              <a
                class="govuk-link govuk-pagination__link"
                href={`/console/stories${filterQuery(form, { cursor: lastId })}`}
                rel="next"
              >
                <span class="govuk-pagination__link-title">Older stories</span>
              </a>
            </div>
          ) : null}
        </nav>
      ) : null}
    </Page>,
    errors.length ? 422 : 200,
  );
});

const ANY = ['', 'Any'] as [string, string];
const RATINGS: [string, string][] = [
  ANY,
  ...[1, 2, 3, 4, 5].map((n): [string, string] => [String(n), ratingText(n)]),
];

function Filters({
  form,
  errors,
  services,
}: {
  form: FilterForm;
  errors: FieldError[];
  services: { id: string; name: string }[];
}) {
  return (
    <form method="get" action="/console/stories" novalidate>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-one-third">
          <Select
            id="service"
            label="Service"
            value={form.service}
            errors={errors}
            options={[['', 'All services'], ...services.map((s): [string, string] => [s.id, s.name])]}
          />
          <Select
            id="status"
            label="Status"
            value={form.status}
            errors={errors}
            options={[
              ANY,
              ['new', 'New'],
              ['acknowledged', 'Acknowledged'],
              ['answered', 'Answered'],
              ['closed', 'Closed'],
            ]}
          />
          <Select
            id="severity"
            label="Urgency"
            value={form.severity}
            errors={errors}
            options={[ANY, ['urgent', 'Urgent only'], ['normal', 'Not urgent']]}
          />
        </div>
        <div class="govuk-grid-column-one-third">
          <Select
            id="rating_min"
            label="Lowest rating"
            value={form.rating_min}
            errors={errors}
            options={RATINGS}
          />
          <Select
            id="rating_max"
            label="Highest rating"
            value={form.rating_max}
            errors={errors}
            options={RATINGS}
          />
        </div>
        <div class="govuk-grid-column-one-third">
          <TextInput
            id="since"
            label="From"
            hint="For example, 2026-11-01"
            type="date"
            value={form.since}
            errors={errors}
          />
          <TextInput
            id="until"
            label="To"
            hint="For example, 2026-11-30"
            type="date"
            value={form.until}
            errors={errors}
          />
          <TextInput id="q" label="Words in the story" value={form.q} errors={errors} />
        </div>
      </div>
      <div class="govuk-button-group">
        <button type="submit" class="govuk-button">
          Apply filters
        </button>
        <a class="govuk-link" href="/console/stories">
          Clear filters
        </a>
      </div>
    </form>
  );
}

/** The CSV of the list's filter, every page of it. */
export const exportRoutes = new Hono<ConsoleEnv>().get('/', async (c) => {
  const { query, errors } = readFilters(c.req.query() as FilterForm);
  if (errors.length) return c.redirect(`/console/stories${filterQuery(c.req.query() as FilterForm)}`, 303);
  const { cursor, ...whole } = query;
  const body = storiesCsv(c.var.db, c.var.department, whole, (p) => c.executionCtx.waitUntil(p));
  return c.body(body, 200, CSV_HEADERS);
});
