/** The admins' part of the console: a member who reaches it is told who can help, and nothing changes. */
import { createMiddleware } from 'hono/factory';
import { Page } from './layout';
import { render } from './render';
import type { ConsoleEnv } from './session';

/**
 * Lets an admin through; a member gets 403 and a page saying who can do it. Mounted after
 * `requireMember` and before anything is read or changed, so a member's form changes nothing.
 */
export const requireAdmin = createMiddleware<ConsoleEnv>(async (c, next) => {
  if (c.var.member.role === 'admin') return next();
  return render(
    c,
    <Page title="Only admins can do this" member={c.var.member}>
      <h1 class="govuk-heading-l">Only your department’s admins can do this</h1>
      <p class="govuk-body">
        Setting up services, subscriptions, the team and API keys is for admins. Nothing was changed. Ask an
        admin of {c.var.member.departmentName} if you need this done.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/console/stories">
          Go to your stories
        </a>
      </p>
    </Page>,
    403,
  );
});
