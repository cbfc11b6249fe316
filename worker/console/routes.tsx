/**
 * `/console`: the department console, server-rendered pages on the worker's own origin. Signing in
 * is open; everything else needs a member's session. Strict headers on every page.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { requireAdmin } from './admins';
import { auditRoutes } from './audit';
import { embedRoutes } from './embed';
import { showFormAgain } from './form-body';
import { keyRoutes } from './keys';
import { Csrf, Page } from './layout';
import { previewRoutes } from './preview';
import { render } from './render';
import { serviceRoutes } from './services';
import { type ConsoleEnv, CsrfError, readForm, requireMember, requireSameOrigin, signOut } from './session';
import { signInRoutes } from './sign-in';
import { exportRoutes, storyListRoutes } from './stories';
import { storyRoutes } from './story';
import { deliveryRoutes, subscriptionRoutes } from './subscriptions';
import { summaryRoutes } from './summary';
import { teamRoutes } from './team';

/** No script at all, styles from our own origin only, never in a frame (the widget's preview sets its own). */
export const CONSOLE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const consoleRoutes = new Hono<AppEnv>();

consoleRoutes.use('*', async (c, next) => {
  await next();
  if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', CONSOLE_CSP);
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
});
consoleRoutes.use('*', requireSameOrigin);
consoleRoutes.route('/sign-in', signInRoutes);

const memberRoutes = new Hono<ConsoleEnv>();
memberRoutes.use('*', requireMember);
// Each group of pages shows its own forms again; this is the sign-out form's page.
memberRoutes.onError(
  showFormAgain<ConsoleEnv>((c, text) =>
    render(
      c,
      <Page title="Sign out" member={c.var.member} errors={[{ field: 'sign-out', text }]}>
        <h1 class="govuk-heading-l">Sign out</h1>
        <form method="post" action="/console/sign-out">
          <Csrf token={c.var.member.csrf} />
          <button type="submit" class="govuk-button" id="sign-out">
            Sign out
          </button>
        </form>
      </Page>,
      400,
    ),
  ),
);
memberRoutes.get('/', (c) => c.redirect('/console/stories', 303));
memberRoutes.post('/sign-out', async (c) => {
  await readForm(c);
  await signOut(c);
  return c.redirect('/console/sign-in?signed-out', 303);
});
memberRoutes.route('/stories', storyListRoutes);
memberRoutes.route('/stories', storyRoutes);
memberRoutes.route('/export.csv', exportRoutes);
memberRoutes.route('/summary', summaryRoutes);
// Admins only, from here: a member is refused before any form is read.
for (const path of ['/subscriptions', '/deliveries', '/services', '/team', '/keys', '/audit']) {
  memberRoutes.use(`${path}/*`, requireAdmin);
}
memberRoutes.route('/subscriptions', subscriptionRoutes);
memberRoutes.route('/deliveries', deliveryRoutes);
memberRoutes.route('/team', teamRoutes);
memberRoutes.route('/keys', keyRoutes);
for (const routes of [serviceRoutes, embedRoutes, previewRoutes]) memberRoutes.route('/services', routes);
memberRoutes.route('/audit', auditRoutes);
memberRoutes.all('*', async (c) =>
  render(
    c,
    <Page title="Page not found" member={c.var.member}>
      <h1 class="govuk-heading-l">Page not found</h1>
      <p class="govuk-body">
        <a class="govuk-link" href="/console/stories">
          Go to your stories
        </a>
      </p>
    </Page>,
    404,
  ),
);
consoleRoutes.route('/', memberRoutes);

consoleRoutes.onError(async (err, c) => {
  if (!(err instanceof CsrfError)) throw err;
  return render(
    c,
    <Page title="Form not accepted">
      <h1 class="govuk-heading-l">This form was not accepted</h1>
      <p class="govuk-body">
        It did not come from your current session, so nothing was changed. Go back, reload the page and try
        again.
      </p>
    </Page>,
    403,
  );
});
