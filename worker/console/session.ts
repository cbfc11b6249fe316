/**
 * The console's session: a random cookie, only on /console, whose SHA-256 names a row in D1. It
 * ends after 8 idle hours, 24 hours after sign-in however busy, or at sign-out, server-side. Every POST must come from this origin and
 * carry the session's CSRF token.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { endSession, findSession, startSession, touchSession } from '../db/console';
import type { AppEnv } from '../env';
import { keyedHash, randomCode, sameString, sha256Hex } from '../spam/keys';
import { tellusSecret } from '../spam/secret';
import { readFields } from './form-body';
import type { Member } from './layout';

export const SESSION_COOKIE = 'tellus_console';
/** A session nobody used for this long is over. */
export const SESSION_IDLE_MS = 8 * 3600 * 1000;
/** A session this old is over however busy it is: a stolen cookie kept in use dies with it. */
export const SESSION_MAX_MS = 24 * 3600 * 1000;

export type ConsoleEnv = AppEnv & { Variables: AppEnv['Variables'] & { member: Member; session: string } };

/** `Secure` everywhere but plain-HTTP localhost, where browsers would drop a Secure cookie. */
export function isLocalHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

const cookieOptions = (c: Context) =>
  ({ path: '/console', httpOnly: true, secure: !isLocalHttp(c.req.url), sameSite: 'Strict' }) as const;

/**
 * Starts a session for a member of a department and sets its cookie: a new one at every sign-in,
 * and any session this browser had before is ended.
 */
export async function signIn(c: Context<AppEnv>, departmentId: string, email: string) {
  const token = `${randomCode()}${randomCode()}`;
  const now = new Date().toISOString();
  const before = getCookie(c, SESSION_COOKIE);
  if (before) await endSession(c.var.db, await sha256Hex(before), now);
  await startSession(c.var.db, {
    hash: await sha256Hex(token),
    departmentId,
    email,
    createdAt: now,
    lastSeenAt: now,
  });
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c));
}

/** Ends the session server-side and clears its cookie. */
export async function signOut(c: Context<ConsoleEnv>) {
  await endSession(c.var.db, c.var.session, new Date().toISOString());
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
}

const csrfToken = (secret: string, token: string) => keyedHash(secret, `csrf:${token}`);

/**
 * Lets a live session through and sets `member`, `department` and `actor`; without one, a page
 * goes to sign-in and a form is refused.
 */
export const requireMember = createMiddleware<ConsoleEnv>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const now = Date.now();
  const hash = token ? await sha256Hex(token) : '';
  const session = token
    ? await findSession(c.var.db, hash, {
        seenSince: new Date(now - SESSION_IDLE_MS).toISOString(),
        startedSince: new Date(now - SESSION_MAX_MS).toISOString(),
      })
    : undefined;
  if (!token || !session) {
    if (c.req.method === 'GET') return c.redirect('/console/sign-in', 303);
    return c.text('Your session has ended. Sign in again.', 403);
  }
  await touchSession(c.var.db, hash, new Date(now).toISOString());
  c.set('session', hash);
  c.set('department', session.departmentId);
  c.set('actor', session.email);
  c.set('member', {
    email: session.email,
    department: session.departmentId,
    departmentName: session.name,
    role: session.role,
    csrf: await csrfToken(tellusSecret(c.env), token),
  });
  await next();
});

/** A POST from another origin is refused before anything else is read. */
export const requireSameOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'POST' && c.req.header('Origin') !== new URL(c.req.url).origin) {
    return c.text('This form must be sent from the Tellus console.', 403);
  }
  await next();
});

/** The form's fields as text; a form without the session's CSRF token is refused. */
export async function readForm(c: Context<ConsoleEnv>): Promise<Record<string, string>> {
  const form = await readFields(c);
  if (!sameString(form.csrf ?? '', c.var.member.csrf)) throw new CsrfError();
  return form;
}

export class CsrfError extends Error {
  override name = 'CsrfError';
}
