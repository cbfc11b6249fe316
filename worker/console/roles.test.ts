// Roles in the console: who is an admin, what a member is shown, and that a role or a removal
// counts from the very next request.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { members, signInLinks } from '../db/schema';
import worker from '../index';
import { sha256Hex } from '../spam/keys';
import { call, MEMBER, READER, setUpConsole, signIn } from '../test/console';
import { TEST_OPERATOR_TOKEN } from '../test/constants';

const ADMIN_SECTIONS = [
  '/console/services',
  '/console/subscriptions',
  '/console/team',
  '/console/keys',
  '/console/audit',
];

let db: Db;
beforeEach(async () => {
  db = await setUpConsole();
});

const navigation = (html: string) => html.match(/<nav[\s\S]*?<\/nav>/)?.[0] ?? '';

describe('roles in the console', () => {
  it('shows an admin the admin sections, and a member none of them', async () => {
    const admin = navigation((await call('/console/stories', { cookie: await signIn(MEMBER) })).text);
    const member = navigation((await call('/console/stories', { cookie: await signIn(READER) })).text);
    for (const href of ADMIN_SECTIONS) {
      expect(admin).toContain(`href="${href}"`);
      expect(member).not.toContain(`href="${href}"`);
    }
    expect(member).toContain('href="/console/stories"');
  });

  it('refuses a member the admins’ pages with 403, saying who can help', async () => {
    const res = await call('/console/subscriptions', { cookie: await signIn(READER) });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Only your department’s admins can do this');
  });

  it('makes the department’s contact address an admin without a member row', async () => {
    const cookie = await signIn('waste@anytown.example.gov.uk');
    expect((await call('/console/subscriptions', { cookie })).status).toBe(200);
  });

  it('keeps the contact address an admin even when it also has a member row as a member', async () => {
    await db
      .insert(members)
      .values({ id: 'contact-row', departmentId: 'waste', email: 'waste@anytown.example.gov.uk' });
    const cookie = await signIn('waste@anytown.example.gov.uk');
    expect((await call('/console/subscriptions', { cookie })).status).toBe(200);
  });

  it('spends a person’s other links once they sign in, so a week-long invitation does not outlive its use', async () => {
    const invitation = 'an-invitation-token-of-a-week';
    await db.insert(signInLinks).values({
      hash: await sha256Hex(invitation),
      departmentId: 'waste',
      email: READER,
      createdAt: new Date(Date.now() - 3600_000).toISOString(),
      expiresAt: new Date(Date.now() + 6 * 24 * 3600_000).toISOString(),
      requestedBy: 'invitation',
    });
    await signIn(READER);
    const late = await call(`/console/sign-in/${invitation}`, { method: 'POST' });
    expect(late.status).toBe(410);
  });

  it('counts a role change from the next request, and a removal ends the session at once', async () => {
    const cookie = await signIn(READER);
    const reader = and(eq(members.departmentId, 'waste'), eq(members.email, READER));
    await db.update(members).set({ role: 'admin' }).where(reader);
    expect((await call('/console/subscriptions', { cookie })).status).toBe(200);
    await db.delete(members).where(reader);
    const after = await call('/console/stories', { cookie });
    expect(after.status).toBe(303);
    expect(after.headers.get('Location')).toBe('/console/sign-in');
  });

  it('notes when each member last signed in', async () => {
    const before = Date.now();
    await signIn(READER);
    const row = await db.select().from(members).where(eq(members.email, READER)).get();
    expect(Date.parse(row?.lastSignInAt ?? '')).toBeGreaterThanOrEqual(before);
  });
});

async function addMember(department: string, body: Record<string, string>) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://tellus.test/v1/admin/departments/${department}/members`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return (await res.json()) as { role: string; invitedBy: string };
}

describe('members an operator adds', () => {
  it('makes the first of a department an admin and later ones members, unless told', async () => {
    expect(await addMember('parking', { email: 'first@parking.example.gov.uk' })).toMatchObject({
      role: 'admin',
      invitedBy: 'operator',
    });
    expect((await addMember('parking', { email: 'second@parking.example.gov.uk' })).role).toBe('member');
    expect((await addMember('parking', { email: 'third@parking.example.gov.uk', role: 'admin' })).role).toBe(
      'admin',
    );
  });
});
