/**
 * Signing in without a password: a person asks for a link, which goes by email to members of a
 * department only; the page answers the same whoever asks. The link works once, for 15 minutes.
 *
 * No one can stop a member signing in, and no one can flood a member's inbox: asking again within
 * 5 minutes of a link sends nothing, because that link still works (for 10 minutes at least) and
 * later requests never spoil it; and a client whose links to an address go unused is soon sent no
 * more to it, unless it is a browser the address has signed in from before. No limit is per
 * address alone, which a stranger could use up.
 */
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import * as v from 'valibot';
import {
  departmentsOfAddress,
  departmentsWithFreshLink,
  findUsableLink,
  insertSignInLinks,
  spendSignInLinks,
  unusedEmailsAskedBy,
  useLink,
} from '../db/console';
import { signInEmail } from '../delivery/email';
import { sendEmail } from '../delivery/send-email';
import type { AppEnv } from '../env';
import { clientKey } from '../spam/client';
import { keyedHash, randomCode, sameString, sha256Hex } from '../spam/keys';
import { tellusSecret } from '../spam/secret';
import { readFields, showFormAgain } from './form-body';
import { Banner, type FieldError, Page, TextInput } from './layout';
import { render } from './render';
import { isLocalHttp, signIn } from './session';

/** How long a sign-in link works. */
export const LINK_TTL_MS = 15 * 60 * 1000;
/** No new email within this long of the last: the link sent then still works, for LINK_TTL_MS minus this. */
export const RESEND_AFTER_MS = 5 * 60 * 1000;
/** A client whose emails of links to one address went unused this many times in a day gets no more sent. */
export const UNUSED_EMAILS_PER_CLIENT = 5;
const DAY_MS = 24 * 3600 * 1000;
/** The cookie that marks a browser an address has signed in from (sent to sign-in pages only). */
export const KNOWN_COOKIE = 'tellus_known';
/** How long a browser stays known: a year. */
const KNOWN_BROWSER_SECONDS = 365 * 24 * 3600;

/** The known-browser mark of an address: a keyed hash, so it names no one and cannot be forged. */
const knownBrowserMark = (secret: string, email: string) => keyedHash(secret, `known-browser:${email}`);

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

signInRoutes.onError(
  showFormAgain<AppEnv>((c, text) => render(c, <SignInPage errors={[{ field: 'email', text }]} />, 400)),
);

signInRoutes.get('/', async (c) =>
  render(c, <SignInPage signedOut={c.req.query('signed-out') !== undefined} />),
);

signInRoutes.post('/', async (c) => {
  const typed = (await readFields(c)).email ?? '';
  const parsed = v.safeParse(Address, typed);
  if (!parsed.success) {
    const text = typed.trim()
      ? 'Enter an email address in the correct format, like name@example.gov.uk'
      : 'Enter your email address';
    return render(c, <SignInPage email={typed} errors={[{ field: 'email', text }]} />, 422);
  }
  const email = parsed.output;
  const secret = tellusSecret(c.env);
  const client = await clientKey(secret, c.req.header('CF-Connecting-IP'));
  // A browser this address has signed in from before is never held back by the per-client limits,
  // which a stranger sharing its network (an office's NAT) could otherwise use up; the 5-minute
  // wait between emails still keeps its inbox from filling.
  const known = sameString(getCookie(c, KNOWN_COOKIE) ?? '', await knownBrowserMark(secret, email));
  // Per client only: a limit per address would be a stranger's way to lock its owner out.
  if (!known && !(await c.env.SIGN_INS.limit({ key: client })).success) {
    const text = 'You have asked for too many sign-in links. Wait a minute, then try again.';
    return render(c, <SignInPage email={typed} errors={[{ field: 'email', text }]} />, 429);
  }
  // Looked up and sent after the answer, so the answer takes as long whether or not the address is known.
  c.executionCtx.waitUntil(sendLinks(c.env, c.var.db, email, client, known, publicOrigin(c.env, c.req.url)));
  return render(
    c,
    <Page title="Check your email">
      <h1 class="govuk-heading-l">Check your email</h1>
      <p class="govuk-body">
        If <strong>{email}</strong> belongs to a member of a department, we have sent it a link to sign in.
        The link works once, within 15 minutes.
      </p>
      <p class="govuk-body">
        If you asked less than 5 minutes ago, we have not sent another: use the link we sent then, which still
        works.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/console/sign-in">
          Use another email address
        </a>
      </p>
    </Page>,
  );
});

/** The origin links in emails point to: `PUBLIC_URL`, else the request's own. */
export const publicOrigin = (env: Env, url: string) =>
  (env.PUBLIC_URL || new URL(url).origin).replace(/\/+$/, '');

type Db = AppEnv['Variables']['db'];

/** Why no email goes now, if none should: a working link is in the inbox already, or the client asked too often. */
async function reasonToSendNothing(
  db: Db,
  email: string,
  client: string,
  known: boolean,
  departments: { id: string }[],
) {
  const now = Date.now();
  const fresh = await departmentsWithFreshLink(db, email, {
    sentSince: new Date(now - RESEND_AFTER_MS).toISOString(),
    now: new Date(now).toISOString(),
  });
  if (departments.every((d) => fresh.includes(d.id))) return 'a link sent minutes ago still works';
  const since = new Date(now - DAY_MS).toISOString();
  if (!known && (await unusedEmailsAskedBy(db, email, client, since)) >= UNUSED_EMAILS_PER_CLIENT) {
    return 'this client has asked for too many links to it that went unused';
  }
  return undefined;
}

async function sendLinks(env: Env, db: Db, email: string, client: string, known: boolean, origin: string) {
  try {
    const departments = await departmentsOfAddress(db, email);
    if (!departments.length) return;
    const reason = await reasonToSendNothing(db, email, client, known, departments);
    if (reason) {
      console.warn(`No sign-in email sent: ${reason}`);
      return;
    }
    const now = Date.now();
    const expiresAt = new Date(now + LINK_TTL_MS).toISOString();
    const links = await Promise.all(
      departments.map(async (department) => {
        const token = `${randomCode()}${randomCode()}`;
        return { department, token, hash: await sha256Hex(token) };
      }),
    );
    await insertSignInLinks(
      db,
      links.map(({ department, hash }) => ({
        hash,
        departmentId: department.id,
        email,
        createdAt: new Date(now).toISOString(),
        expiresAt,
        requestedBy: client,
      })),
    );
    const message = signInEmail(
      email,
      env.EMAIL_FROM,
      links.map(({ department, token }) => ({
        department: department.name,
        url: `${origin}/console/sign-in/${token}`,
      })),
    );
    try {
      await sendEmail(env, db, message, 'sign-in', departments.map((d) => d.id).join(' '));
    } catch (err) {
      await spendSignInLinks(
        db,
        links.map((link) => link.hash),
        new Date().toISOString(),
      );
      throw err;
    }
  } catch (err) {
    console.error('Could not send a sign-in link', err);
  }
}

function LinkGone() {
  return (
    <Page title="This link has expired">
      <h1 class="govuk-heading-l">This sign-in link has expired or has been used</h1>
      <p class="govuk-body">
        A sign-in link works once, within 15 minutes of being sent; a link in an invitation, within 7 days.
      </p>
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
  setCookie(c, KNOWN_COOKIE, await knownBrowserMark(tellusSecret(c.env), link.email), {
    path: '/console/sign-in',
    httpOnly: true,
    secure: !isLocalHttp(c.req.url),
    sameSite: 'Strict',
    maxAge: KNOWN_BROWSER_SECONDS,
  });
  return c.redirect('/console/stories', 303);
});
