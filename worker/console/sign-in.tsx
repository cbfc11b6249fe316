/**
 * Signing in without a password: a person asks for a link, which goes by email to members of a
 * department only; the page answers the same whoever asks. The link works once, for 15 minutes.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import {
  departmentsOfAddress,
  findUsableLink,
  insertSignInLinks,
  linksSentSince,
  useLink,
} from '../db/console';
import { signInEmail } from '../delivery/email';
import { sendEmail } from '../delivery/send-email';
import type { AppEnv } from '../env';
import { keyedHash, randomCode, sha256Hex } from '../spam/keys';
import { tellusSecret } from '../spam/secret';
import { Banner, type FieldError, Page, TextInput } from './layout';
import { render } from './render';
import { signIn } from './session';

/** How long a sign-in link works. */
export const LINK_TTL_MS = 15 * 60 * 1000;
/** The most sign-in emails one address gets in a day, whoever asks: no one floods an inbox. */
export const LINKS_PER_DAY = 20;

const Address = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email(), v.maxLength(254));

export const signInRoutes = new Hono<AppEnv>();

function SignInPage({
  email,
  errors = [],
  signedOut,
}: {
  email?: string;
  errors?: FieldError[];
  signedOut?: boolean;
}) {
  return (
    <Page title="Sign in" errors={errors}>
      {signedOut ? (
        <Banner title="Signed out" success>
          <p class="govuk-notification-banner__heading">You have signed out.</p>
        </Banner>
      ) : null}
      <h1 class="govuk-heading-l">Sign in to the Tellus console</h1>
      <p class="govuk-body">
        Enter the email address your department gave Tellus. If it belongs to a member of a department, we
        will email you a link to sign in. There is no password.
      </p>
      <form method="post" action="/console/sign-in" novalidate>
        <TextInput
          id="email"
          label="Email address"
          type="email"
          autocomplete="email"
          value={email}
          errors={errors}
        />
        <button type="submit" class="govuk-button">
          Email me a sign-in link
        </button>
      </form>
    </Page>
  );
}

signInRoutes.get('/', async (c) =>
  render(c, <SignInPage signedOut={c.req.query('signed-out') !== undefined} />),
);

signInRoutes.post('/', async (c) => {
  const body = await c.req.parseBody();
  const typed = typeof body.email === 'string' ? body.email : '';
  const parsed = v.safeParse(Address, typed);
  if (!parsed.success) {
    const text = typed.trim()
      ? 'Enter an email address in the correct format, like name@example.gov.uk'
      : 'Enter your email address';
    return render(c, <SignInPage email={typed} errors={[{ field: 'email', text }]} />, 422);
  }
  const email = parsed.output;
  const secret = tellusSecret(c.env);
  const client = c.req.header('CF-Connecting-IP') ?? 'unknown';
  const limits = await Promise.all([
    c.env.SIGN_INS.limit({ key: `address:${await keyedHash(secret, email)}` }),
    c.env.SIGN_INS.limit({ key: `client:${await keyedHash(secret, client)}` }),
  ]);
  if (limits.some((limit) => !limit.success)) {
    const text = 'You have asked for too many sign-in links. Wait a minute, then try again.';
    return render(c, <SignInPage email={typed} errors={[{ field: 'email', text }]} />, 429);
  }
  // Looked up and sent after the answer, so the answer takes as long whether or not the address is known.
  c.executionCtx.waitUntil(sendLinks(c.env, c.var.db, email, publicOrigin(c.env, c.req.url)));
  return render(
    c,
    <Page title="Check your email">
      <h1 class="govuk-heading-l">Check your email</h1>
      <p class="govuk-body">
        If <strong>{email}</strong> belongs to a member of a department, we have sent it a link to sign in.
        The link works once, within 15 minutes.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/console/sign-in">
          Use another email address
        </a>
      </p>
    </Page>,
  );
});

const publicOrigin = (env: Env, url: string) => (env.PUBLIC_URL || new URL(url).origin).replace(/\/+$/, '');

async function sendLinks(env: Env, db: AppEnv['Variables']['db'], email: string, origin: string) {
  try {
    const departments = await departmentsOfAddress(db, email);
    if (!departments.length) return;
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    if ((await linksSentSince(db, email, dayAgo)) >= LINKS_PER_DAY * departments.length) {
      console.warn('Sign-in links for one address reached the daily limit; no email sent');
      return;
    }
    const expiresAt = new Date(Date.now() + LINK_TTL_MS).toISOString();
    const links = departments.map((department) => ({ department, token: `${randomCode()}${randomCode()}` }));
    await insertSignInLinks(
      db,
      await Promise.all(
        links.map(async ({ department, token }) => ({
          hash: await sha256Hex(token),
          departmentId: department.id,
          email,
          expiresAt,
        })),
      ),
    );
    const message = signInEmail(
      email,
      env.EMAIL_FROM,
      links.map(({ department, token }) => ({
        department: department.name,
        url: `${origin}/console/sign-in/${token}`,
      })),
    );
    await sendEmail(env, db, message, 'sign-in', departments.map((d) => d.id).join(' '));
  } catch (err) {
    console.error('Could not send a sign-in link', err);
  }
}

function LinkGone() {
  return (
    <Page title="This link has expired">
      <h1 class="govuk-heading-l">This sign-in link has expired or has been used</h1>
      <p class="govuk-body">A sign-in link works once, within 15 minutes of being sent.</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/console/sign-in">
          Get a new sign-in link
        </a>
      </p>
    </Page>
  );
}

// Opening the link only asks: mail scanners that follow links must not use it up.
signInRoutes.get('/:token{[A-Za-z0-9_-]+}', async (c) => {
  const link = await findUsableLink(
    c.var.db,
    await sha256Hex(c.req.param('token')),
    new Date().toISOString(),
  );
  if (!link) return render(c, <LinkGone />, 410);
  return render(
    c,
    <Page title="Sign in">
      <h1 class="govuk-heading-l">Sign in to {link.name}</h1>
      <p class="govuk-body">You are signing in as {link.email}.</p>
      <form method="post" action={`/console/sign-in/${c.req.param('token')}`}>
        <button type="submit" class="govuk-button">
          Sign in
        </button>
      </form>
    </Page>,
  );
});

signInRoutes.post('/:token{[A-Za-z0-9_-]+}', async (c) => {
  const link = await useLink(c.var.db, await sha256Hex(c.req.param('token')), new Date().toISOString());
  // Still a member now, not only when the link was sent.
  const still =
    link && (await departmentsOfAddress(c.var.db, link.email)).some((d) => d.id === link.departmentId);
  if (!link || !still) return render(c, <LinkGone />, 410);
  await signIn(c, link.departmentId, link.email);
  return c.redirect('/console/stories', 303);
});
