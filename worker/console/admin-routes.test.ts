// Every admin route of the console, found from the app itself: a member, a form without the
// session's CSRF token and a form from another origin are all refused and change nothing, while the
// same form from an admin does change something, so "nothing changed" is a real finding.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { app } from '../app';
import { apiKeys, deliveries, feedback, members, subscriptions } from '../db/schema';
import { newId } from '../ids';
import { call, csrfOf, MEMBER, READER, setUpConsole, signIn } from '../test/console';
import { ORIGIN } from '../test/seed';

const ADMIN_PREFIXES = ['services', 'subscriptions', 'deliveries', 'team', 'keys', 'audit'];
const isAdminPath = (path: string) => ADMIN_PREFIXES.some((p) => path.startsWith(`/console/${p}`));

/** The ids the forms below act on, all the waste department's. */
const IDS = {
  service: 'missed-bin-collection',
  member: 'mem-reader',
  key: 'key-waste',
  active: 'sub-active',
  paused: 'sub-paused',
  delivery: 'dlv-failed',
};

/** For each admin POST route: the path it is sent to and a form that, from an admin, changes something. */
const FORMS: Record<string, [path: string, form: Record<string, string>]> = {
  '/console/services': [
    '/console/services',
    { id: 'new-service', name: 'A new service', origins: '', publishing: 'no' },
  ],
  '/console/services/:id': [
    `/console/services/${IDS.service}`,
    { name: 'A new name', publishing: 'no', 'privacy-url': '' },
  ],
  '/console/services/:id/origins': [
    `/console/services/${IDS.service}/origins`,
    { origins: 'https://new.example.gov.uk' },
  ],
  '/console/services/:id/origins/remove': [
    `/console/services/${IDS.service}/origins/remove`,
    { origin: ORIGIN },
  ],
  '/console/team': ['/console/team', { email: 'new.colleague@anytown.example.gov.uk', role: 'member' }],
  '/console/team/:id/role': [`/console/team/${IDS.member}/role`, { role: 'admin' }],
  '/console/team/:id/remove': [`/console/team/${IDS.member}/remove`, {}],
  '/console/keys': ['/console/keys', { label: 'Case system', 'scope-read': 'yes' }],
  '/console/keys/:id/revoke': [`/console/keys/${IDS.key}/revoke`, {}],
  '/console/subscriptions': [
    '/console/subscriptions',
    { kind: 'email', target: 'new@anytown.example.gov.uk', mode: 'each' },
  ],
  '/console/subscriptions/:id/pause': [`/console/subscriptions/${IDS.active}/pause`, {}],
  '/console/subscriptions/:id/resume': [`/console/subscriptions/${IDS.paused}/resume`, {}],
  '/console/subscriptions/:id/test': [`/console/subscriptions/${IDS.active}/test`, {}],
  '/console/deliveries/:id/replay': [`/console/deliveries/${IDS.delivery}/replay`, {}],
};

const adminPosts = [
  ...new Set(app.routes.filter((r) => r.method === 'POST' && isAdminPath(r.path)).map((r) => r.path)),
];
const adminGets = [
  ...new Set(app.routes.filter((r) => r.method === 'GET' && isAdminPath(r.path)).map((r) => r.path)),
];

async function setUp() {
  const db = await setUpConsole();
  await db.update(members).set({ id: IDS.member }).where(eqEmail(READER));
  const story = newId();
  await db.batch([
    db.insert(apiKeys).values({ id: IDS.key, departmentId: 'waste', hash: 'x'.repeat(64), scopes: ['read'] }),
    db.insert(subscriptions).values([
      { id: IDS.active, departmentId: 'waste', kind: 'email', target: 'duty@anytown.example.gov.uk' },
      {
        id: IDS.paused,
        departmentId: 'waste',
        kind: 'email',
        target: 'paused@anytown.example.gov.uk',
        state: 'disabled',
        disabledBy: 'department',
      },
    ]),
    db.insert(feedback).values({
      id: story,
      serviceId: IDS.service,
      rating: 2,
      story: 'The bin was missed.',
      idempotencyKey: crypto.randomUUID(),
      fingerprint: 'x',
    }),
  ]);
  await db.insert(deliveries).values({
    id: IDS.delivery,
    feedbackId: story,
    subscriptionId: IDS.active,
    kind: 'each',
    attempts: 1,
    lastStatus: 500,
    dueAt: new Date(Date.now() + 3600_000).toISOString(),
  });
}

const eqEmail = (email: string) => eq(members.email, email);

/** Everything an admin's form could change, read straight from D1 (times that every request moves left out). */
async function snapshot() {
  const tables = [
    'services',
    'service_origins',
    'members',
    'api_keys',
    'subscriptions',
    'deliveries',
    'delivery_attempts',
    'audit_events',
    'sign_in_links',
    'sent_emails',
  ];
  const rows: Record<string, unknown> = {};
  for (const table of tables) rows[table] = (await env.DB.prepare(`SELECT * FROM ${table}`).all()).results;
  rows.sessions = (await env.DB.prepare('SELECT hash, ended_at FROM console_sessions').all()).results;
  return rows;
}

describe('the console’s admin routes', () => {
  it('are all in this test’s table, so none is left unchecked', () => {
    expect(adminPosts.length).toBeGreaterThan(10);
    expect(adminPosts.filter((path) => !FORMS[path])).toEqual([]);
  });

  it.each(adminGets)('GET %s is 403 for a member', async (pattern) => {
    await setUp();
    const reader = await signIn(READER);
    const path = pattern
      .replace(':id/embed', `${IDS.service}/embed`)
      .replace(':id/preview', `${IDS.service}/preview`)
      .replace(/:id/g, IDS.service);
    const res = await call(path, { cookie: reader });
    expect(res.status, path).toBe(403);
    expect(res.text).toContain('Only your department’s admins can do this');
  });

  it.each(adminPosts)(
    'POST %s changes nothing for a member, without the CSRF token or from another origin, and changes something for an admin',
    async (pattern) => {
      await setUp();
      const [path, form] = FORMS[pattern] ?? ['', {}];
      const admin = await signIn(MEMBER);
      const reader = await signIn(READER);
      const adminCsrf = csrfOf((await call('/console/stories', { cookie: admin })).text);
      const readerCsrf = csrfOf((await call('/console/stories', { cookie: reader })).text);
      const before = await snapshot();

      const asMember = await call(path, {
        method: 'POST',
        cookie: reader,
        form: { ...form, csrf: readerCsrf },
      });
      expect(asMember.status, 'a member').toBe(403);
      const noToken = await call(path, { method: 'POST', cookie: admin, form });
      expect(noToken.status, 'no CSRF token').toBe(403);
      const elsewhere = await call(path, {
        method: 'POST',
        cookie: admin,
        form: { ...form, csrf: adminCsrf },
        origin: 'https://attacker.example',
      });
      expect(elsewhere.status, 'another origin').toBe(403);
      expect(await snapshot()).toEqual(before);

      const done = await call(path, { method: 'POST', cookie: admin, form: { ...form, csrf: adminCsrf } });
      expect(done.status, `the admin's own form: ${done.text.slice(0, 300)}`).toBeLessThan(400);
      expect(await snapshot()).not.toEqual(before);
    },
  );
});
