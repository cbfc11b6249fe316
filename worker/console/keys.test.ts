// The API keys page in workerd with the real D1: a key shown once that works against the
// department API until it is revoked, a department's own keys only, and their audit log.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { apiKeys, auditEvents } from '../db/schema';
import { api } from '../test/api';
import { call, csrfOf, MEMBER, READER, setUpConsole, signIn } from '../test/console';

let db: Db;
let admin: string;
beforeEach(async () => {
  db = await setUpConsole();
  admin = await signIn(MEMBER);
});

async function post(path: string, cookie: string, form: Record<string, string> = {}) {
  const csrf = csrfOf((await call('/console/stories', { cookie })).text);
  return call(path, { method: 'POST', cookie, form: { csrf, ...form } });
}

/** Creates a key on the console page; the page's answer, and the key it shows. */
async function createKey(form: Record<string, string> = { label: 'Case system', 'scope-read': 'yes' }) {
  const res = await post('/console/keys', admin, form);
  return { ...res, key: res.text.match(/<code id="key">(tk_[\w-]+)<\/code>/)?.[1] ?? '' };
}

const snapshot = async () => ({
  keys: await db.select().from(apiKeys).orderBy(apiKeys.id),
  audit: await db.select().from(auditEvents),
});

/** A key of the parking department, as an operator makes it. */
async function parkingKey() {
  const res = await api('POST', '/v1/admin/departments/parking/keys', {
    body: { scopes: ['read'], label: 'Parking' },
  });
  return res.body.id as string;
}

describe('department API keys in the console', () => {
  it('shows a new key once, which reads stories until it is revoked', async () => {
    const created = await createKey();
    expect(created.status).toBe(200);
    expect(created.key).toMatch(/^tk_[\w-]{40,}$/);
    expect(created.text).toContain('it is not shown again');
    const page = await call('/console/keys', { cookie: admin });
    expect(page.text).not.toContain(created.key);
    expect(page.text).toMatch(/Case system.*Read stories.*Never.*Live/s);

    expect((await api('GET', '/v1/feedback', { token: created.key })).status).toBe(200);
    const [row] = await db.select().from(apiKeys);
    expect(row).toMatchObject({
      departmentId: 'waste',
      scopes: ['read'],
      label: 'Case system',
      revokedAt: null,
    });
    expect((await call(`/console/keys/${row?.id}/revoke`, { cookie: admin })).text).toContain(
      'Revoke the key “Case system”?',
    );
    const revoked = await post(`/console/keys/${row?.id}/revoke`, admin);
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('Location')).toBe('/console/keys?done=revoked');
    expect((await api('GET', '/v1/feedback', { token: created.key })).status).toBe(401);
    expect((await call('/console/keys?done=revoked', { cookie: admin })).text).toMatch(/Revoked \d/);
    expect((await post(`/console/keys/${row?.id}/revoke`, admin)).status).toBe(409);

    const audit = await db.select().from(auditEvents).orderBy(auditEvents.id);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: MEMBER,
        action: 'key.created',
        subject: row?.id,
        after: { label: 'Case system', scopes: ['read'] },
      }),
      expect.objectContaining({ actor: MEMBER, action: 'key.revoked', subject: row?.id }),
    ]);
    expect(JSON.stringify(audit)).not.toContain(created.key);
    expect(JSON.stringify(audit)).not.toContain(row?.hash);
  });

  it('gives a key both scopes when both are ticked', async () => {
    const created = await createKey({ label: 'Case system', 'scope-read': 'yes', 'scope-answer': 'yes' });
    expect(created.key).not.toBe('');
    expect((await db.select().from(apiKeys))[0]?.scopes).toEqual(['read', 'answer']);
  });

  it('explains a key with no label and no scope in the error summary, and creates none', async () => {
    const res = await createKey({ label: '  ' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<a href="#label">Enter a label');
    expect(res.text).toContain('<a href="#scopes">Choose what the key may do');
    expect(res.key).toBe('');
    expect(await snapshot()).toEqual({ keys: [], audit: [] });
  });
});

describe('what is refused, changing nothing', () => {
  it('refuses a member who is not an admin every keys page and form with 403', async () => {
    await createKey();
    const [key] = await db.select().from(apiKeys);
    const reader = await signIn(READER);
    const before = await snapshot();
    expect((await call('/console/keys', { cookie: reader })).status).toBe(403);
    expect((await call(`/console/keys/${key?.id}/revoke`, { cookie: reader })).status).toBe(403);
    const made = await post('/console/keys', reader, { label: 'Mine', 'scope-read': 'yes' });
    expect(made.status).toBe(403);
    expect(made.text).not.toContain('tk_');
    expect((await post(`/console/keys/${key?.id}/revoke`, reader)).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('finds no key of another department', async () => {
    const id = await parkingKey();
    const before = await snapshot();
    expect((await call(`/console/keys/${id}/revoke`, { cookie: admin })).status).toBe(404);
    const res = await post(`/console/keys/${id}/revoke`, admin);
    expect(res.status).toBe(404);
    expect(res.text).toContain('Your department has no such key');
    expect(res.text).not.toContain('Parking');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a form without the session’s CSRF token', async () => {
    await createKey();
    const [key] = await db.select().from(apiKeys);
    const before = await snapshot();
    const made = await call('/console/keys', {
      method: 'POST',
      cookie: admin,
      form: { label: 'X', 'scope-read': 'yes' },
    });
    expect(made.status).toBe(403);
    expect(
      (await call(`/console/keys/${key?.id}/revoke`, { method: 'POST', cookie: admin, form: {} })).status,
    ).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the operator API', () => {
  it('records the keys an operator creates and revokes, never the key', async () => {
    const created = await api('POST', '/v1/admin/departments/parking/keys', {
      body: { scopes: ['read', 'answer'], label: 'Parking' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await api('POST', `/v1/admin/keys/${id}/revoke`)).body).toEqual({ id, revoked: true });
    expect((await api('POST', `/v1/admin/keys/${id}/revoke`)).status).toBe(404);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.departmentId, 'parking'));
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'operator',
        action: 'key.created',
        subject: id,
        after: { label: 'Parking', scopes: ['read', 'answer'] },
      }),
      expect.objectContaining({ actor: 'operator', action: 'key.revoked', subject: id }),
    ]);
    expect(JSON.stringify(audit)).not.toContain(created.body.key as string);
  });
});
