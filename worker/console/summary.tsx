/** What each of the department's services' stories add up to, with a chart of ratings per week. */
import { Hono } from 'hono';
import { servicesOf, weeklyRatings } from '../db/console';
import { serviceSummaries } from '../db/stories';
import { fillWeeks, lastWeeks, RatingsChart } from './chart';
import { Page, SummaryRow, Table } from './layout';
import { render } from './render';
import type { ConsoleEnv } from './session';

/** Weeks the chart shows. */
const WEEKS = 12;

const percent = (share: number | null) => (share === null ? 'None yet' : `${Math.round(share * 100)}%`);

export const summaryRoutes = new Hono<ConsoleEnv>().get('/', async (c) => {
  const weeks = lastWeeks(Date.now(), WEEKS);
  const { db, department } = c.var;
  const [services, weekly] = await Promise.all([
    servicesOf(db, department),
    weeklyRatings(db, department, `${weeks[0]}T00:00:00.000Z`),
  ]);
  const summaries = await serviceSummaries(
    db,
    services.map((service) => service.id),
  );
  return render(
    c,
    <Page title="Summary" member={c.var.member} section="summary">
      <h1 class="govuk-heading-l">Summary</h1>
      {services.length ? null : <p class="govuk-body">Your department has no services yet.</p>}
      {services.map((service, i) => {
        const summary = summaries.get(service.id);
        const filled = fillWeeks(
          weeks,
          weekly.filter((w) => w.service === service.id),
        );
        return (
          <section aria-labelledby={`service-${i}`}>
            <h2 class="govuk-heading-m" id={`service-${i}`}>
              {service.name}
            </h2>
            <dl class="govuk-summary-list">
              <SummaryRow name="Stories">{String(summary?.stories ?? 0)}</SummaryRow>
              <SummaryRow name="Average rating">
                {summary?.average_rating === null || summary?.average_rating === undefined
                  ? 'None yet'
                  : `${summary.average_rating} out of 5`}
              </SummaryRow>
              <SummaryRow name="Answered">{percent(summary?.share_answered ?? null)}</SummaryRow>
              <SummaryRow name="Answers that changed something">
                {percent(summary?.share_changed ?? null)}
              </SummaryRow>
              <SummaryRow name="Typical time to a first answer">
                {summary?.median_hours_to_answer === null || summary?.median_hours_to_answer === undefined
                  ? 'None yet'
                  : `${summary.median_hours_to_answer} hours (median)`}
              </SummaryRow>
            </dl>
            <h3 class="govuk-heading-s">Ratings per week, last {WEEKS} weeks</h3>
            <RatingsChart
              id={`chart-${i}`}
              title={`${service.name}: average rating per week`}
              weeks={filled}
            />
            <details class="govuk-details">
              <summary class="govuk-details__summary">
                <span class="govuk-details__summary-text">The same as a table</span>
              </summary>
              <div class="govuk-details__text">
                <Table
                  head={['Week starting', 'Stories', 'Average rating']}
                  numeric={[1, 2]}
                  rows={filled.map((w) => [
                    w.week,
                    String(w.stories),
                    w.average === null ? '–' : w.average.toFixed(1),
                  ])}
                />
              </div>
            </details>
          </section>
        );
      })}
    </Page>,
  );
});
