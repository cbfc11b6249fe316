// The team page in workerd with the real D1: invitations that sign colleagues in with their role,
// role changes and removals that never leave a department without an admin, and their audit log.
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import PostalMime from 'postal-mime';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client';
import { auditEvents, consoleSessions, members, signInLinks } from '../db/schema';
import { INVITATION } from '../db/team';
import { newId } from '../ids';
import { api } from '../test/api';
import { call, csrfOf, linksSent, MEMBER, READER, sent, setUpConsole, signIn } from '../test/console';
import { INVITATIONS_PER_HOUR } from './team';

let db: Db;
let admin: string;
beforeEach(async () => {
  db = await setUpConsole();
  admin = await signIn(MEMBER);
});

/** Posts a console form as the holder of `cookie`, with their session's CSRF token. */
async function post(path: string, cookie: string, form: Record<string, string> = {}) {
  const csrf = csrfOf((await call('/console/stories', { cookie })).text);
  return call(path, { method: 'POST', cookie, form: { csrf, ...form } });
}

const invite = (email: string, role = 'member', cookie = admin) =>
  post('/console/team', cookie, { email, role });

const idOf = async (email: string) =>
  (await db.select().from(members).where(eq(members.email, email)).get())?.id ?? 'none';

/** Everything the team's pages could change, but the time each session was last seen. */
const snapshot = async () => ({
  members: await db.select().from(members).orderBy(members.id),
  links: await db.select().from(signInLinks).orderBy(signInLinks.hash),
  sessions: await db
    .select({ hash: consoleSessions.hash, endedAt: consoleSessions.endedAt })
    .from(consoleSessions),
  audit: await db.select().from(auditEvents),
});

const auditOf = (action: string) => db.select().from(auditEvents).where(eq(auditEvents.action, action));

describe('inviting a colleague', () => {
  it('emails a link naming who invited them and to which department, that signs them in with the role chosen', async () => {
    const before = sent.length;
    const res = await invite('new.colleague@anytown.example.gov.uk', 'member');
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/console/team?done=invited');
    expect(sent).toHaveLength(before + 1);
    const email = await PostalMime.parse(sent.at(-1) ?? '');
    expect(email.to?.[0]?.address).toBe('new.colleague@anytown.example.gov.uk');
    expect(email.subject).toBe('You are invited to the Tellus console of Waste and Recycling');
    expect(email.text).toContain(
      `${MEMBER} invited you to the Tellus console of Waste and Recycling, as a member`,
    );
    expect(email.text).toContain('works once, within 7 days');
    expect(email.text).toMatch(/ask for a new one at https?:\/\/\S+\/console\/sign-in with this address/);

    const [link] = await db.select().from(signInLinks).where(eq(signInLinks.requestedBy, INVITATION));
    expect(Date.parse(link?.expiresAt ?? '')).toBeGreaterThan(Date.now() + 6.9 * 24 * 3600_000);
    const used = await call(new URL((await linksSent()).at(-1) ?? '').pathname, { method: 'POST' });
    expect(used.status).toBe(303);
    const cookie = (used.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    expect((await call('/console/stories', { cookie })).status).toBe(200);
    expect((await call('/console/team', { cookie })).status).toBe(403);

    const row = await db
      .select()
      .from(members)
      .where(eq(members.email, 'new.colleague@anytown.example.gov.uk'))
      .get();
    expect(row).toMatchObject({ role: 'member', invitedBy: MEMBER, departmentId: 'waste' });
    expect(row?.lastSignInAt).not.toBeNull();
    expect(await auditOf('member.invited')).toEqual([
      expect.objectContaining({
        departmentId: 'waste',
        actor: MEMBER,
        subject: 'new.colleague@anytown.example.gov.uk',
        after: { email: 'new.colleague@anytown.example.gov.uk', role: 'member' },
      }),
    ]);
  });

  it('signs an invited admin in as an admin', async () => {
    await invite('Second.Admin@anytown.example.gov.uk', 'admin');
    const used = await call(new URL((await linksSent()).at(-1) ?? '').pathname, { method: 'POST' });
    const cookie = (used.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    const team = await call('/console/team', { cookie });
    expect(team.status).toBe(200);
    expect(team.text).toContain('second.admin@anytown.example.gov.uk (you)');
  });

  it('refuses a member of the team and the contact address with 409, and sends nothing', async () => {
    const before = await snapshot();
    const count = sent.length;
    const again = await invite(READER.toUpperCase(), 'admin');
    expect(again.status).toBe(409);
    expect(again.text).toContain(`${READER} is in your team already`);
    const contact = await invite('waste@anytown.example.gov.uk');
    expect(contact.status).toBe(409);
    expect(contact.text).toContain('contact address');
    expect(sent).toHaveLength(count);
    expect(await snapshot()).toEqual(before);
  });

  it('explains a bad address and a missing role in the error summary, and sends nothing', async () => {
    const before = await snapshot();
    const count = sent.length;
    const res = await post('/console/team', admin, { email: 'not an address' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('<a href="#email">Enter an email address in the correct format');
    expect(res.text).toContain('<a href="#role">Choose whether they are an admin or a member');
    expect(res.text).toContain('value="not an address"');
    expect(sent).toHaveLength(count);
    expect(await snapshot()).toEqual(before);
  });

  it('keeps the colleague but spends the link when the invitation cannot be emailed, and says so', async () => {
    vi.mocked(env.EMAIL.send).mockRejectedValueOnce(new Error('The mail server is down'));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await invite('new.colleague@anytown.example.gov.uk');
    logged.mockRestore();
    expect(res.headers.get('Location')).toBe('/console/team?done=invited-not-sent');
    const [link] = await db.select().from(signInLinks).where(eq(signInLinks.requestedBy, INVITATION));
    expect(link?.usedAt).not.toBeNull();
    expect(await idOf('new.colleague@anytown.example.gov.uk')).not.toBe('none');
    const page = await call('/console/team?done=invited-not-sent', { cookie: admin });
    expect(page.text).toContain('the invitation email could not be sent');
  });

  it(`limits a department to ${INVITATIONS_PER_HOUR} invitations an hour, and says so`, async () => {
    const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
    const invitations = (msAgo: number, n: number) =>
      Array.from({ length: n }, () => ({
        hash: crypto.randomUUID(),
        departmentId: 'waste',
        email: 'someone@example.org',
        createdAt: at(msAgo),
        expiresAt: at(-7 * 24 * 3600_000),
        usedAt: at(msAgo),
        requestedBy: INVITATION,
      }));
    // Those of an hour ago no longer count; the removed invitees' still do. D1 binds at most 100 values.
    for (const [msAgo, n] of [
      [3700_000, 5],
      [60_000, 9],
      [60_000, INVITATIONS_PER_HOUR - 10],
    ] as const) {
      await db.insert(signInLinks).values(invitations(msAgo, n));
    }
    expect((await invite('one.more@anytown.example.gov.uk')).status).toBe(303);
    const before = await snapshot();
    const count = sent.length;
    const refused = await invite('one.too.many@anytown.example.gov.uk');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain(
      `Your department has sent ${INVITATIONS_PER_HOUR} invitations in the past hour`,
    );
    expect(sent).toHaveLength(count);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the team page', () => {
  it('lists the contact address and every member with their role, last sign-in and who invited them', async () => {
    await invite('new.colleague@anytown.example.gov.uk', 'admin');
    const page = await call('/console/team', { cookie: admin });
    expect(page.status).toBe(200);
    const rows = page.text.split('<tr class="govuk-table__row">').slice(2);
    expect(rows[0]).toContain('waste@anytown.example.gov.uk');
    expect(rows[0]).toContain('Department contact address, set by an operator');
    expect(rows[0]).not.toContain('<form');
    expect(rows[1]).toContain('new.colleague@anytown.example.gov.uk');
    expect(rows[1]).toMatch(/Admin.*Never.*officer@anytown/s);
    expect(rows[2]).toMatch(/officer@anytown.example.gov.uk \(you\).*Admin.*\d{4}, \d\d:\d\d.*Not recorded/s);
    expect(rows[3]).toMatch(/reader@anytown.example.gov.uk.*Member.*Never/s);
  });
});

describe('changing roles and removing members', () => {
  it('makes a member an admin at once, and records it', async () => {
    const reader = await signIn(READER);
    expect((await call('/console/team', { cookie: reader })).status).toBe(403);
    const res = await post(`/console/team/${await idOf(READER)}/role`, admin, { role: 'admin' });
    expect(res.status).toBe(303);
    expect((await call('/console/team', { cookie: reader })).status).toBe(200);
    expect(await auditOf('member.role-changed')).toEqual([
      expect.objectContaining({
        actor: MEMBER,
        subject: READER,
        before: { role: 'member' },
        after: { role: 'admin' },
      }),
    ]);
  });

  it('removes a member: their session is refused at once, their unused link no longer works', async () => {
    const reader = await signIn(READER);
    await call('/console/sign-in', { method: 'POST', form: { email: READER }, client: '10.9.9.9' });
    const unused = new URL((await linksSent()).at(-1) ?? '').pathname;
    const asked = await call(`/console/team/${await idOf(READER)}/remove`, { cookie: admin });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain(`Remove ${READER} from the team?`);
    const res = await post(`/console/team/${await idOf(READER)}/remove`, admin);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/console/team?done=removed');
    expect((await call('/console/stories', { cookie: reader })).headers.get('Location')).toBe(
      '/console/sign-in',
    );
    expect((await call(unused, { method: 'POST' })).status).toBe(410);
    expect(await db.select().from(members).where(eq(members.email, READER))).toEqual([]);
    expect(await auditOf('member.removed')).toEqual([
      expect.objectContaining({ actor: MEMBER, subject: READER, before: { email: READER, role: 'member' } }),
    ]);
  });

  it('neither removes nor demotes the last admin member, the contact address notwithstanding', async () => {
    const before = await snapshot();
    const demoted = await post(`/console/team/${await idOf(MEMBER)}/role`, admin, { role: 'member' });
    expect(demoted.status).toBe(409);
    expect(demoted.text).toContain('last admin');
    const removed = await post(`/console/team/${await idOf(MEMBER)}/remove`, admin);
    expect(removed.status).toBe(409);
    expect(removed.text).toContain('last admin');
    expect(await snapshot()).toEqual(before);
  });

  it('leaves one admin when two admins demote each other at once, or remove each other', async () => {
    await db.update(members).set({ role: 'admin' }).where(eq(members.email, READER));
    const other = await signIn(READER);
    const [mine, theirs] = [await idOf(MEMBER), await idOf(READER)];
    const demotions = await Promise.all([
      post(`/console/team/${theirs}/role`, admin, { role: 'member' }),
      post(`/console/team/${mine}/role`, other, { role: 'member' }),
    ]);
    expect(demotions.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(await db.$count(members, and(eq(members.departmentId, 'waste'), eq(members.role, 'admin')))).toBe(
      1,
    );
    expect(await auditOf('member.role-changed')).toHaveLength(1);

    await db.update(members).set({ role: 'admin' }).where(eq(members.departmentId, 'waste'));
    const removals = await Promise.all([
      post(`/console/team/${theirs}/remove`, admin),
      post(`/console/team/${mine}/remove`, other),
    ]);
    expect(removals.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(await db.select({ role: members.role }).from(members)).toEqual([{ role: 'admin' }]);
    expect(await auditOf('member.removed')).toHaveLength(1);
  });

  it('lets an admin step down while another admin remains', async () => {
    await db.update(members).set({ role: 'admin' }).where(eq(members.email, READER));
    const res = await post(`/console/team/${await idOf(MEMBER)}/role`, admin, { role: 'member' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/console/stories');
    expect((await call('/console/team', { cookie: admin })).status).toBe(403);
  });
});

describe('what is refused, changing nothing', () => {
  it('refuses a member who is not an admin every team page and form with 403', async () => {
    const reader = await signIn(READER);
    const id = await idOf(MEMBER);
    const before = await snapshot();
    const count = sent.length;
    expect((await call('/console/team', { cookie: reader })).status).toBe(403);
    expect((await call(`/console/team/${id}/remove`, { cookie: reader })).status).toBe(403);
    expect((await invite('friend@example.org', 'admin', reader)).status).toBe(403);
    expect((await post(`/console/team/${await idOf(READER)}/role`, reader, { role: 'admin' })).status).toBe(
      403,
    );
    expect((await post(`/console/team/${id}/role`, reader, { role: 'member' })).status).toBe(403);
    expect((await post(`/console/team/${id}/remove`, reader)).status).toBe(403);
    expect(sent).toHaveLength(count);
    expect(await snapshot()).toEqual(before);
  });

  it('finds no member of another department', async () => {
    const id = newId();
    await db.insert(members).values({ id, departmentId: 'parking', email: 'parker@anytown.example.gov.uk' });
    const before = await snapshot();
    expect((await call(`/console/team/${id}/remove`, { cookie: admin })).status).toBe(404);
    expect((await post(`/console/team/${id}/role`, admin, { role: 'admin' })).status).toBe(404);
    const removed = await post(`/console/team/${id}/remove`, admin);
    expect(removed.status).toBe(404);
    expect(removed.text).toContain('Your team has no such member');
    expect(removed.text).not.toContain('parker@');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a form without the session’s CSRF token', async () => {
    const before = await snapshot();
    const count = sent.length;
    const forms: [string, Record<string, string>][] = [
      ['/console/team', { email: 'friend@example.org', role: 'admin' }],
      [`/console/team/${await idOf(READER)}/role`, { role: 'admin' }],
      [`/console/team/${await idOf(READER)}/remove`, {}],
    ];
    for (const [path, form] of forms) {
      expect((await call(path, { method: 'POST', cookie: admin, form })).status).toBe(403);
    }
    expect(sent).toHaveLength(count);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the operator API', () => {
  it('records the members an operator adds and removes, and may remove the last admin', async () => {
    const added = await api('POST', '/v1/admin/departments/waste/members', {
      body: { email: 'added@anytown.example.gov.uk' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ role: 'member', invitedBy: 'operator' });
    expect((await api('DELETE', `/v1/admin/members/${await idOf(MEMBER)}`)).status).toBe(200);
    expect(await db.select().from(members).where(eq(members.role, 'admin'))).toEqual([]);
    expect(await db.select().from(auditEvents).orderBy(auditEvents.id)).toEqual([
      expect.objectContaining({
        actor: 'operator',
        action: 'member.invited',
        subject: 'added@anytown.example.gov.uk',
        after: { email: 'added@anytown.example.gov.uk', role: 'member' },
      }),
      expect.objectContaining({ actor: 'operator', action: 'member.removed', subject: MEMBER }),
    ]);
    // The removed admin's session ended with them.
    expect((await call('/console/stories', { cookie: admin })).status).toBe(303);
  });
});
