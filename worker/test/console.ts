// The console tests' shared fixture: the seeded departments with a member, the emails the worker
// sends, and requests as a browser on the console's origin makes them.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import PostalMime from 'postal-mime';
import { expect, vi } from 'vitest';
import type { Db } from '../db/client';
import { departments, members, services } from '../db/schema';
import { newId } from '../ids';
import worker from '../index';
import { seed } from './seed';

export const CONSOLE_ORIGIN = 'https://tellus.test';
/** The waste department's admin. */
export const MEMBER = 'officer@anytown.example.gov.uk';
/** A member of the waste department who is not an admin: reads, answers, publishes, exports. */
export const READER = 'reader@anytown.example.gov.uk';

/** The raw MIME text of every email sent since `setUpConsole`, oldest first. */
export const sent: string[] = [];

/**
 * Seeds the waste department with `MEMBER` (an admin) and `READER` (a member), and a second department (parking) with a service of
 * its own; catches every email the worker sends into `sent`.
 */
export async function setUpConsole(): Promise<Db> {
  const db = await seed();
  await db.insert(members).values([
    { id: newId(), departmentId: 'waste', email: MEMBER, role: 'admin' },
    { id: newId(), departmentId: 'waste', email: READER, role: 'member' },
  ]);
  await db.batch([
    db
      .insert(departments)
      .values({ id: 'parking', name: 'Parking', contactEmail: 'parking@anytown.example.gov.uk' }),
    db
      .insert(services)
      .values({ id: 'parking-permit', departmentId: 'parking', name: 'Apply for a parking permit' }),
  ]);
  sent.length = 0;
  vi.spyOn(env.EMAIL, 'send').mockImplementation(async (message) => {
    // Miniflare's EmailMessage keeps the MIME text under this key.
    const raw = (message as unknown as Record<string, string | ReadableStream>)['EmailMessage::raw'];
    sent.push(typeof raw === 'string' ? raw : await new Response(raw).text());
    return { messageId: `<${sent.length}@tellus.test>` };
  });
  return db;
}

export interface Call {
  method?: string;
  cookie?: string;
  /** Sent urlencoded, as a browser sends a form. */
  form?: Record<string, string>;
  /** A body sent as it is, with this content type (a broken multipart body, say). */
  raw?: { contentType: string; body: string };
  origin?: string | null;
  client?: string;
  db?: D1Database;
}

export async function call(
  path: string,
  { method = 'GET', cookie, form, raw, origin = CONSOLE_ORIGIN, client, db: d1 }: Call = {},
) {
  const headers: Record<string, string> = {};
  if (cookie) headers.Cookie = cookie;
  if (origin && method === 'POST') headers.Origin = origin;
  if (client) headers['CF-Connecting-IP'] = client;
  if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (raw) headers['Content-Type'] = raw.contentType;
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${CONSOLE_ORIGIN}${path}`, {
      method,
      headers,
      body: form ? new URLSearchParams(form).toString() : raw?.body,
      redirect: 'manual',
    }),
    { ...env, ...(d1 ? { DB: d1 } : {}) },
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, text };
}

/** The sign-in links in the emails sent so far, newest last. */
export async function linksSent(): Promise<string[]> {
  const links: string[] = [];
  for (const raw of sent) {
    const email = await PostalMime.parse(raw);
    links.push(...(email.text?.match(/https?:\/\/\S+\/console\/sign-in\/[\w-]+/g) ?? []));
  }
  return links;
}

/** Signs in as `email` through the emailed link; returns the session cookie. */
export async function signIn(email = MEMBER): Promise<string> {
  await call('/console/sign-in', {
    method: 'POST',
    form: { email },
    client: `10.1.${(Math.random() * 255) | 0}.1`,
  });
  const link = (await linksSent()).at(-1);
  if (!link) throw new Error('No sign-in link was sent');
  const res = await call(new URL(link).pathname, { method: 'POST' });
  expect(res.status).toBe(303);
  const cookie = res.headers.get('Set-Cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}

/** The CSRF token of a page's forms. */
export const csrfOf = (html: string) => html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? '';

/** A console signed in as `MEMBER` (an admin) over the seeded database, and a poster of its forms. */
export interface SignedInConsole {
  db: Db;
  cookie: string;
  csrf: string;
  /** Posts a console form with the session's cookie and CSRF token. */
  post: (path: string, form?: Record<string, string>) => ReturnType<typeof call>;
}

/** Seeds the console (`setUpConsole`), signs `MEMBER` in, and reads the session's CSRF token. */
export async function signedInConsole(): Promise<SignedInConsole> {
  const db = await setUpConsole();
  const cookie = await signIn();
  const csrf = csrfOf((await call('/console/stories', { cookie })).text);
  return {
    db,
    cookie,
    csrf,
    post: (path, form = {}) => call(path, { method: 'POST', cookie, form: { csrf, ...form } }),
  };
}
