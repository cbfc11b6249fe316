import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import PostalMime from 'postal-mime';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client';
import { departments, signInLinks } from '../db/schema';
import { call, linksSent, MEMBER, sent, setUpConsole } from '../test/console';
import { clientAddress } from '../test/seed';
import { KNOWN_COOKIE, RESEND_AFTER_MS, UNUSED_EMAILS_PER_CLIENT } from './sign-in';

let db: Db;
beforeEach(async () => {
  db = await setUpConsole();
});

const ask = (client: string, email = MEMBER) =>
  call('/console/sign-in', { method: 'POST', form: { email }, client });

/** Uses the newest emailed link, as its owner would: the answer's status (303 signs in). */
async function useNewestLink() {
  const link = (await linksSent()).at(-1);
  if (!link) throw new Error('No sign-in link was sent');
  return (await call(new URL(link).pathname, { method: 'POST' })).status;
}

/** Makes every link sent so far older than the resend wait, though still unused and unexpired. */
const ageLinks = () =>
  db.update(signInLinks).set({ createdAt: new Date(Date.now() - RESEND_AFTER_MS - 1000).toISOString() });

describe('no stranger can stop a member signing in', () => {
  it('leaves the member a working link however many clients asked for their address first', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 30; i++) answers.push((await ask(clientAddress())).text);
    const own = await ask('10.200.0.1');
    expect(own.status).toBe(200);
    expect(own.text).toContain('Check your email');
    // The same answer whether an email went or not.
    expect(new Set([...answers, own.text]).size).toBe(1);
    // One email, and its link still works: later requests never spoil it.
    expect(sent).toHaveLength(1);
    expect(await useNewestLink()).toBe(303);
  });

  it('sends the member a link however many were asked for, and left unused, over the past day', async () => {
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3600_000).toISOString();
    const links = Array.from({ length: 60 }, (_, i) => ({
      hash: `${i}`.padStart(64, '0'),
      departmentId: 'waste',
      email: MEMBER,
      createdAt: at(1 + i / 3),
      expiresAt: at(0.75 + i / 3),
      requestedBy: `stranger-${i % 7}`,
    }));
    // D1 binds at most 100 values to a statement.
    for (let i = 0; i < links.length; i += 10) await db.insert(signInLinks).values(links.slice(i, i + 10));
    await ask('10.200.0.2');
    expect(sent).toHaveLength(1);
    expect(await useNewestLink()).toBe(303);
  });

  it('sends a new link once the last one is used, however recently it was sent', async () => {
    await ask('10.200.0.3');
    expect(await useNewestLink()).toBe(303);
    await ask('10.200.0.3');
    expect(sent).toHaveLength(2);
    expect(await useNewestLink()).toBe(303);
  });

  it('refuses no client for the address it asks about: only for asking too often itself', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await ask(clientAddress())).status);
    expect(statuses).toEqual(Array(8).fill(200));
  });
});

describe('no one can flood a member with sign-in emails', () => {
  it('sends an address one email in 5 minutes, however many clients ask', async () => {
    for (let i = 0; i < 20; i++) await ask(clientAddress());
    expect(sent).toHaveLength(1);
    await ageLinks();
    for (let i = 0; i < 20; i++) await ask(clientAddress());
    expect(sent).toHaveLength(2);
  });

  it('sends no more to an address for a client whose links to it went unused that day', async () => {
    const stranger = '10.66.6.6';
    for (let i = 0; i < UNUSED_EMAILS_PER_CLIENT + 3; i++) {
      await ask(stranger);
      await ageLinks();
    }
    expect(sent).toHaveLength(UNUSED_EMAILS_PER_CLIENT);
    const rows = await db.select().from(signInLinks).where(eq(signInLinks.email, MEMBER));
    expect(rows).toHaveLength(UNUSED_EMAILS_PER_CLIENT);
    // The client's address itself is never stored, only its keyed hash.
    expect(JSON.stringify(rows)).not.toContain(stranger);
    // The member, from their own client, still gets a link that works.
    await ask('10.200.0.4');
    expect(sent).toHaveLength(UNUSED_EMAILS_PER_CLIENT + 1);
    expect(await useNewestLink()).toBe(303);
  });

  it('sends a member a link from a browser they signed in from, though a stranger on their network used up its limit', async () => {
    const office = '10.77.7.7';
    await ask(office);
    const link = (await linksSent()).at(-1) ?? '';
    const signedIn = await call(new URL(link).pathname, { method: 'POST', client: office });
    const known = signedIn.headers.getSetCookie().find((cookie) => cookie.startsWith(`${KNOWN_COOKIE}=`));
    expect(known).toMatch(/Path=\/console\/sign-in/);
    expect(known).toMatch(/HttpOnly/);
    expect(known).toMatch(/SameSite=Strict/);
    // A stranger behind the same office address asks for the member's links and leaves them unused.
    for (let i = 0; i < UNUSED_EMAILS_PER_CLIENT + 1; i++) {
      await ageLinks();
      await ask(office);
    }
    const before = sent.length;
    await ageLinks();
    await ask(office);
    expect(sent).toHaveLength(before);
    // The member's own browser still gets one.
    await ageLinks();
    await call('/console/sign-in', {
      method: 'POST',
      form: { email: MEMBER },
      client: office,
      cookie: (known ?? '').split(';')[0],
    });
    expect(sent).toHaveLength(before + 1);
    expect(await useNewestLink()).toBe(303);
  });

  it('counts a link that could not be emailed as no link at all', async () => {
    vi.mocked(env.EMAIL.send).mockRejectedValueOnce(new Error('The mail server is down'));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await ask('10.200.0.5');
    expect(sent).toHaveLength(0);
    expect(logged).toHaveBeenCalledWith('Could not send a sign-in link', expect.any(Error));
    logged.mockRestore();
    await ask('10.200.0.5');
    expect(sent).toHaveLength(1);
    expect(await useNewestLink()).toBe(303);
  });
});

describe('the sign-in email', () => {
  it('says someone asked for it at the sign-in page, for this address and its departments, and that it can be ignored', async () => {
    await db.update(departments).set({ contactEmail: MEMBER }).where(eq(departments.id, 'parking'));
    await ask('10.200.0.6');
    expect(sent).toHaveLength(1);
    const email = await PostalMime.parse(sent[0] ?? '');
    expect(email.text).toContain(
      `Someone asked for a link to sign in to the Tellus console as ${MEMBER}, on its sign-in page, for Waste and Recycling and Parking.`,
    );
    expect(email.text).toContain('If it was not you, you can ignore this email');
    expect(await linksSent()).toHaveLength(2);
  });
});
