/** `/console/audit`: the department's audit log for its admins, newest first, a page at a time by event id. */
import { Hono } from 'hono';
import { auditPage, newerAuditPage } from '../db/audit';
import { actionText, actorText, changedFields } from './audit-words';
import { Page, Table, when } from './layout';
import { render } from './render';
import type { ConsoleEnv } from './session';

/** Events a page. */
export const AUDIT_PAGE_SIZE = 50;

/** The `before` of a link: an event id, or nothing (the newest page) for anything else. */
function eventId(value: string | undefined): number | undefined {
  if (!value || !/^[1-9]\d{0,14}$/.test(value)) return undefined;
  return Number(value);
}

const pageLink = (before: number | undefined) => `/console/audit${before ? `?before=${before}` : ''}`;

export const auditRoutes = new Hono<ConsoleEnv>();

auditRoutes.get('/', async (c) => {
  const before = eventId(c.req.query('before'));
  const { events, more } = await auditPage(c.var.db, c.var.department, { before, limit: AUDIT_PAGE_SIZE });
  // Newer than the first event shown or, on an empty page, than any it could have shown.
  const after = events[0]?.id ?? (before ?? 1) - 1;
  const newer = before
    ? await newerAuditPage(c.var.db, c.var.department, { after, limit: AUDIT_PAGE_SIZE })
    : undefined;
  const older = more ? events.at(-1)?.id : undefined;
  return render(
    c,
    <Page title="Audit log" member={c.var.member} section="audit">
      <h1 class="govuk-heading-l">Audit log</h1>
      <p class="govuk-body">
        What your department’s admins and your Tellus operator changed: services, origins, the team, API keys
        and subscriptions. Secrets are never shown here.
      </p>
      {events.length ? (
        <Table
          caption={before ? 'Older changes' : 'Newest first'}
          captionSize="s"
          head={['When', 'Who', 'What', 'Changes']}
          rows={events.map((event) => [
            when(event.at),
            actorText(event.actor),
            actionText(event),
            <Changes lines={changedFields(event)} />,
          ])}
        />
      ) : (
        <p class="govuk-body">{before ? 'There are no older changes.' : 'Nothing has been changed yet.'}</p>
      )}
      {newer || older ? (
        <nav class="govuk-pagination" aria-label="Pages of the audit log">
          {newer ? (
            <div class="govuk-pagination__prev">
              <a class="govuk-link govuk-pagination__link" href={pageLink(newer.before)} rel="prev">
                <span class="govuk-pagination__link-title">Newer changes</span>
              </a>
            </div>
          ) : null}
          {older ? (
            <div class="govuk-pagination__next">
              <a class="govuk-link govuk-pagination__link" href={pageLink(older)} rel="next">
                <span class="govuk-pagination__link-title">Older changes</span>
              </a>
            </div>
          ) : null}
        </nav>
      ) : null}
    </Page>,
  );
});

function Changes({ lines }: { lines: string[] }) {
  if (!lines.length) return null;
  return (
    <ul class="govuk-list govuk-body-s">
      {lines.map((line) => (
        <li>{line}</li>
      ))}
    </ul>
  );
}
