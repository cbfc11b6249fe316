/**
 * One service's page in the console: its settings, its sites with where the widget was last seen on
 * each, a warning for each site that shows it without being one of the service's, and adding sites.
 */
import type { Context } from 'hono';
import { readOrigin } from '../../shared';
import { originSightingsOf } from '../db/queries';
import type { Service } from '../db/schema';
import { originsOf } from '../db/services';
import { DoneBanner, type DoneMessage } from './done';
import { Csrf, type FieldError, Page, SummaryRow, Table, Textarea } from './layout';
import { render } from './render';
import { siteErrors } from './service-form';
import { type Sighting, sightingsOf, timeAgo } from './service-sightings';
import type { ConsoleEnv } from './session';

const DONE: Record<string, DoneMessage> = {
  created: { text: 'The service is added. Add the widget to its sites with the code below.', success: true },
  changed: { text: 'The service’s settings are saved.', success: true },
  'origins-added': { text: 'The sites are added: the widget takes stories from them now.', success: true },
  'origin-removed': { text: 'The site is removed: stories from it are refused now.', success: true },
};

interface Shown {
  errors?: FieldError[];
  /** What was typed into the box of sites to add. */
  origins?: string;
}

export async function showService(
  c: Context<ConsoleEnv>,
  service: Service,
  { errors = [], origins: typed }: Shown = {},
  status: 200 | 400 | 404 | 409 | 422 = 200,
) {
  const [origins, sightings] = await Promise.all([
    originsOf(c.var.db, service.id),
    originSightingsOf(c.var.db, service.id),
  ]);
  const now = Date.now();
  const { sites, strangers } = sightingsOf(origins, sightings, now);
  const csrf = c.var.member.csrf;
  const base = `/console/services/${service.id}`;
  return render(
    c,
    <Page title={service.name} member={c.var.member} section="services" errors={errors}>
      <DoneBanner messages={DONE} code={c.req.query('done')} />
      <a class="govuk-back-link" href="/console/services">
        Services
      </a>
      <span class="govuk-caption-l">{service.id}</span>
      <h1 class="govuk-heading-l">{service.name}</h1>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href={`${base}/embed`}>
            Get the code to add the widget
          </a>
        </li>
        <li>
          <a class="govuk-link" href={`${base}/preview`}>
            Preview the widget
          </a>
        </li>
      </ul>
      {strangers.map((sighting) => (
        <Stranger sighting={sighting} now={now} csrf={csrf} action={`${base}/origins`} />
      ))}

      <h2 class="govuk-heading-m">Settings</h2>
      <dl class="govuk-summary-list">
        <SummaryRow name="Publishing">
          {service.publishing ? 'Your team may publish stories' : 'Off'}
        </SummaryRow>
        <SummaryRow name="Privacy notice">
          {service.privacyUrl ? (
            <a class="govuk-link" href={service.privacyUrl}>
              {service.privacyUrl}
            </a>
          ) : (
            'None: the widget shows no privacy link'
          )}
        </SummaryRow>
        <SummaryRow name="Turnstile">
          {service.turnstileSitekey ? `On, site key ${service.turnstileSitekey}` : 'Off'}
        </SummaryRow>
        <SummaryRow name="Wording">
          {Object.keys(service.wording).length ? 'The service’s own' : 'The widget’s own'}
        </SummaryRow>
      </dl>
      <p class="govuk-body">
        <a class="govuk-link" href={`${base}/edit`}>
          Change the service’s settings
        </a>
      </p>

      <h2 class="govuk-heading-m">Sites</h2>
      {sites.length ? (
        <Table
          head={['Site', 'Where the widget was seen', 'Remove']}
          rows={sites.map((site) => [
            site.origin,
            site.lastSeenAt ? `Last seen on ${site.origin} ${timeAgo(site.lastSeenAt, now)}` : 'Not seen yet',
            <form method="post" action={`${base}/origins/remove`}>
              <Csrf token={csrf} />
              <input type="hidden" name="origin" value={site.origin} />
              <button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-1">
                Remove <span class="govuk-visually-hidden">{site.origin}</span>
              </button>
            </form>,
          ])}
        />
      ) : (
        <p class="govuk-body">The service has no sites yet: the widget takes stories from none.</p>
      )}
      <form method="post" action={`${base}/origins`} novalidate>
        <Csrf token={csrf} />
        <Textarea
          id="origins"
          label={<span class="govuk-label--s">Add sites</span>}
          hint="One a line, like https://www.anytown.gov.uk: https://, the site’s name, and a port only if it has one. Plain http:// only for localhost."
          value={typed}
          errors={siteErrors(errors)}
          rows={3}
        />
        <button type="submit" class="govuk-button govuk-button--secondary">
          Add sites
        </button>
      </form>
    </Page>,
    status,
  );
}

/** The widget shown on a site that is not the service's: a warning, and a button to add it if it can be. */
function Stranger({
  sighting,
  now,
  csrf,
  action,
}: {
  sighting: Sighting;
  now: number;
  csrf: string;
  action: string;
}) {
  const addable = readOrigin(sighting.origin).origin === sighting.origin;
  return (
    <div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">Warning</span> The widget was shown on {sighting.origin}{' '}
        {timeAgo(sighting.lastSeenAt, now)}, which is not one of this service’s sites, so stories from there
        are refused. Add it only if it is one of your sites: a request can claim to come from anywhere.
      </strong>
      {addable ? (
        <form method="post" action={action}>
          <Csrf token={csrf} />
          <input type="hidden" name="origins" value={sighting.origin} />
          <button
            type="submit"
            class="govuk-button govuk-button--secondary govuk-!-margin-top-2 govuk-!-margin-bottom-0"
          >
            Add {sighting.origin}
          </button>
        </form>
      ) : null}
    </div>
  );
}
