// Who may reach the services pages: admins of the department only. A member is refused with 403,
// another department's service is not found, a form without its CSRF token is refused; none of
// them changes anything.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { auditEvents, serviceOrigins, services } from '../db/schema';
import { call, csrfOf, READER, setUpConsole, signIn } from '../test/console';
import { ORIGIN } from '../test/seed';
import { UNREADABLE_FORM } from './form-body';

let db: Db;
beforeEach(async () => {
  db = await setUpConsole();
});

/** Everything the services pages could change. */
const everything = async () => ({
  services: await db.select().from(services).orderBy(services.id),
  origins: await db.select().from(serviceOrigins).orderBy(serviceOrigins.serviceId, serviceOrigins.origin),
  audit: await db.select().from(auditEvents),
});

const settings = { name: 'Changed', publishing: 'yes', origins: 'https://changed.example', origin: ORIGIN };
/** Every form of the services pages, for a service id. */
const posts = (id: string) =>
  [
    ['/console/services', { ...settings, id: 'sneaky-service' }],
    [`/console/services/${id}`, settings],
    [`/console/services/${id}/origins`, settings],
    [`/console/services/${id}/origins/remove`, settings],
  ] as const;
const pages = (id: string) => [
  '/console/services',
  '/console/services/new',
  `/console/services/${id}`,
  `/console/services/${id}/edit`,
];

describe('a member who is not an admin', () => {
  it('sees no Services in the navigation, while an admin does', async () => {
    const reader = await call('/console/stories', { cookie: await signIn(READER) });
    expect(reader.text).not.toContain('href="/console/services"');
    const admin = await call('/console/stories', { cookie: await signIn() });
    expect(admin.text).toContain('href="/console/services"');
  });

  it('gets 403 for every services page and form, and nothing changes', async () => {
    const cookie = await signIn(READER);
    const csrf = csrfOf((await call('/console/stories', { cookie })).text);
    expect(csrf).not.toBe('');
    const before = await everything();
    for (const path of pages('missed-bin-collection')) {
      const res = await call(path, { cookie });
      expect(res.status, path).toBe(403);
      expect(res.text).toContain('Only your department’s admins can do this');
    }
    for (const [path, form] of posts('missed-bin-collection')) {
      const res = await call(path, { method: 'POST', cookie, form: { csrf, ...form } });
      expect(res.status, path).toBe(403);
    }
    expect(await everything()).toEqual(before);
  });
});

describe('another department’s service', () => {
  it('is not found, to look at or to change, and nothing changes', async () => {
    const cookie = await signIn();
    const csrf = csrfOf((await call('/console/services', { cookie })).text);
    const before = await everything();
    for (const path of pages('parking-permit').slice(2)) {
      const res = await call(path, { cookie });
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('Apply for a parking permit');
    }
    for (const [path, form] of posts('parking-permit').slice(1)) {
      const res = await call(path, { method: 'POST', cookie, form: { csrf, ...form } });
      expect(res.status, path).toBe(404);
      expect(res.text).toContain('Service not found');
    }
    expect(await everything()).toEqual(before);
  });
});

describe('a form without its CSRF token', () => {
  it('is refused with 403, and nothing changes', async () => {
    const cookie = await signIn();
    const before = await everything();
    for (const [path, form] of posts('missed-bin-collection')) {
      for (const csrf of [undefined, 'not-the-token']) {
        const res = await call(path, { method: 'POST', cookie, form: csrf ? { csrf, ...form } : form });
        expect(res.status, path).toBe(403);
        expect(res.text).toContain('This form was not accepted');
      }
    }
    expect(await everything()).toEqual(before);
  });
});

describe('a form whose body cannot be read', () => {
  const raw = { contentType: 'multipart/form-data; boundary=tellus', body: 'name=Hello&csrf=x' };

  it('is answered 400 with its page again and the error summary, and nothing changes', async () => {
    const cookie = await signIn();
    const before = await everything();
    for (const [path, field] of [
      ['/console/services', 'id'],
      ['/console/services/missed-bin-collection', 'name'],
      ['/console/services/missed-bin-collection/origins', 'origins'],
      ['/console/services/missed-bin-collection/origins/remove', 'origins'],
    ]) {
      const res = await call(path ?? '', { method: 'POST', cookie, raw });
      expect(res.status, path).toBe(400);
      expect(res.text).toContain(`<a href="#${field}">${UNREADABLE_FORM}</a>`);
    }
    expect((await call('/console/services/parking-permit', { method: 'POST', cookie, raw })).status).toBe(
      404,
    );
    expect(await everything()).toEqual(before);
  });
});
