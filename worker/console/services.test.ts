// Services in the console: an admin adds one and changes its settings, each mistake shown with the
// error summary and nothing stored, and each change in the audit log under the admin's address.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { auditEvents, serviceOrigins, services } from '../db/schema';
import { call, MEMBER, type SignedInConsole, signedInConsole } from '../test/console';

let db: Db;
let cookie: string;
let post: SignedInConsole['post'];
beforeEach(async () => {
  ({ db, cookie, post } = await signedInConsole());
});

const service = (id: string) => db.select().from(services).where(eq(services.id, id)).get();
const originsOf = async (id: string) =>
  (await db.select().from(serviceOrigins).where(eq(serviceOrigins.serviceId, id)))
    .map((o) => o.origin)
    .sort();
const audit = () => db.select().from(auditEvents).orderBy(auditEvents.id);

const garden = {
  id: 'garden-waste',
  name: 'Garden waste collection',
  origins: 'https://www.anytown.example.gov.uk\nhttps://Bücher.example/\n',
  publishing: 'yes',
  'story-hint-en': 'Do not give your address.',
  'signposting-cy': 'Nid ar gyfer argyfyngau.',
  'privacy-url': 'https://www.anytown.example.gov.uk/privacy/garden',
  'turnstile-sitekey': '1x00000000000000000000AA',
  'turnstile-secret': 'a-turnstile-secret',
};

describe('the services list', () => {
  it('shows the department’s own services, with their sites and publishing, and the way to add one', async () => {
    const page = await call('/console/services', { cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Report a missed bin collection');
    expect(page.text).toContain('href="/console/services/missed-bin-collection"');
    expect(page.text).toContain('Book a bulky waste collection');
    expect(page.text).not.toContain('parking-permit');
    expect(page.text).toContain('href="/console/services/new"');
    expect(page.text).toContain('Add a service');
  });
});

describe('adding a service', () => {
  it('has a form for the id, name, sites, publishing, wording, privacy link and Turnstile', async () => {
    const page = await call('/console/services/new', { cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/console/services"');
    for (const field of [
      'id',
      'name',
      'origins',
      'publishing',
      'story-hint-cy',
      'privacy-url',
      'turnstile-secret',
    ])
      expect(page.text, field).toContain(`name="${field}"`);
  });

  it('stores it with its sites (internationalised names in ASCII), words, link and Turnstile, and audits it', async () => {
    const res = await post('/console/services', garden);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/console/services/garden-waste?done=created');
    expect(await service('garden-waste')).toMatchObject({
      departmentId: 'waste',
      name: 'Garden waste collection',
      publishing: true,
      wording: {
        en: { storyHint: 'Do not give your address.' },
        cy: { signposting: 'Nid ar gyfer argyfyngau.' },
      },
      privacyUrl: 'https://www.anytown.example.gov.uk/privacy/garden',
      turnstileSitekey: '1x00000000000000000000AA',
      turnstileSecret: 'a-turnstile-secret',
    });
    expect(await originsOf('garden-waste')).toEqual([
      'https://www.anytown.example.gov.uk',
      'https://xn--bcher-kva.example',
    ]);
    const entries = await audit();
    expect(entries.map((e) => [e.actor, e.action, e.subject, e.departmentId])).toEqual([
      [MEMBER, 'service.created', 'garden-waste', 'waste'],
      [MEMBER, 'origin.added', 'garden-waste', 'waste'],
      [MEMBER, 'origin.added', 'garden-waste', 'waste'],
    ]);
    expect(entries[0]?.after).toMatchObject({ publishing: true, turnstile: 'on' });
    expect(JSON.stringify(entries)).not.toContain('a-turnstile-secret');

    const page = await call(res.headers.get('Location') ?? '', { cookie });
    expect(page.text).toContain('The service is added');
  });

  it.each([
    ['an id that is no slug', { id: 'Garden Waste' }, 'id', 'Enter an id of lowercase letters and digits'],
    ['the id new', { id: 'new' }, 'id', 'Choose another id'],
    ['no name', { name: '  ' }, 'name', 'Enter the service’s name'],
    [
      'a site on plain http',
      { origins: 'https://www.anytown.example.gov.uk\nhttp://www.anytown.example.gov.uk' },
      'origins',
      'Line 2: “http://www.anytown.example.gov.uk” starts with http://: use https://',
    ],
    [
      'a site with a path',
      { origins: 'https://www.anytown.example.gov.uk/garden' },
      'origins',
      'Line 1: “https://www.anytown.example.gov.uk/garden” has a path',
    ],
    [
      'a wildcard site',
      { origins: 'https://*.anytown.example.gov.uk' },
      'origins',
      'Line 1: “https://*.anytown.example.gov.uk” has a wildcard (*)',
    ],
    [
      'the same site twice',
      { origins: 'https://a.example\nhttps://A.example:443/' },
      'origins',
      'Line 2: https://a.example is listed twice',
    ],
    ['no answer on publishing', { publishing: '' }, 'publishing', 'Choose whether stories may be published'],
    [
      'a hint too long',
      { 'story-hint-en': 'x'.repeat(301) },
      'story-hint-en',
      'Story hint in English must be 300 characters or fewer',
    ],
    [
      'an http privacy link',
      { 'privacy-url': 'http://www.anytown.example.gov.uk/privacy' },
      'privacy-url',
      'Enter the privacy notice’s address, starting https://',
    ],
    [
      'a site key without its secret',
      { 'turnstile-secret': '' },
      'turnstile-secret',
      'Enter the Turnstile secret key too',
    ],
    [
      'a secret without its site key',
      { 'turnstile-sitekey': '' },
      'turnstile-sitekey',
      'Enter the Turnstile site key too',
    ],
  ])(
    'shows %s with the error summary, and stores nothing',
    async (_, change: Record<string, string>, field, text) => {
      const res = await post('/console/services', { ...garden, ...change });
      expect(res.status).toBe(422);
      expect(res.text).toContain('govuk-error-summary');
      expect(res.text).toContain(`<a href="#${field}">${text}`);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(await service(change.id ?? 'garden-waste')).toBeUndefined();
      expect(await audit()).toEqual([]);
    },
  );

  it('refuses an id another service has, even another department’s, and changes nothing', async () => {
    const res = await post('/console/services', { ...garden, id: 'parking-permit' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('A service already has the id parking-permit: choose another');
    expect(await service('parking-permit')).toMatchObject({
      departmentId: 'parking',
      name: 'Apply for a parking permit',
    });
    expect(await originsOf('parking-permit')).toEqual([]);
  });
});

describe('changing a service’s settings', () => {
  const settings = {
    name: 'Report a missed bin',
    publishing: 'yes',
    'signposting-en': 'To complain, use our complaints form.',
    'privacy-url': 'https://www.anytown.example.gov.uk/privacy',
    'turnstile-sitekey': '',
    'turnstile-secret': '',
  };

  it('shows the settings, never the Turnstile secret', async () => {
    await db
      .update(services)
      .set({ turnstileSitekey: 'the-site-key', turnstileSecret: 'the-secret-key' })
      .where(eq(services.id, 'missed-bin-collection'));
    const page = await call('/console/services/missed-bin-collection/edit', { cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="Report a missed bin collection"');
    expect(page.text).toContain('value="the-site-key"');
    expect(page.text).not.toContain('the-secret-key');
    expect(page.text).toContain('A secret key is set and is not shown');
    expect(page.text).toContain('Turn Turnstile off');
  });

  it('saves name, wording, publishing and the privacy link, and audits what changed before and after', async () => {
    const res = await post('/console/services/missed-bin-collection', settings);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/console/services/missed-bin-collection?done=changed');
    expect(await service('missed-bin-collection')).toMatchObject({
      name: 'Report a missed bin',
      publishing: true,
      wording: { en: { signposting: 'To complain, use our complaints form.' } },
      privacyUrl: 'https://www.anytown.example.gov.uk/privacy',
    });
    const [entry, ...more] = await audit();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actor: MEMBER,
      action: 'service.updated',
      subject: 'missed-bin-collection',
      before: { name: 'Report a missed bin collection', wording: {}, publishing: false, privacy_url: null },
      after: {
        name: 'Report a missed bin',
        wording: { en: { signposting: 'To complain, use our complaints form.' } },
        publishing: true,
        privacy_url: 'https://www.anytown.example.gov.uk/privacy',
      },
    });
  });

  it('keeps the Turnstile secret when its box is left empty, and forgets both keys when turned off', async () => {
    await db
      .update(services)
      .set({ turnstileSitekey: 'old-site-key', turnstileSecret: 'kept-secret' })
      .where(eq(services.id, 'missed-bin-collection'));
    await post('/console/services/missed-bin-collection', {
      ...settings,
      'turnstile-sitekey': 'new-site-key',
    });
    expect(await service('missed-bin-collection')).toMatchObject({
      turnstileSitekey: 'new-site-key',
      turnstileSecret: 'kept-secret',
    });

    await post('/console/services/missed-bin-collection', {
      ...settings,
      'turnstile-sitekey': 'new-site-key',
      'turnstile-off': 'yes',
    });
    expect(await service('missed-bin-collection')).toMatchObject({
      turnstileSitekey: null,
      turnstileSecret: null,
    });
    const last = (await audit()).at(-1);
    expect(last).toMatchObject({ before: { turnstile: 'on' }, after: { turnstile: 'off' } });
    expect(JSON.stringify(await audit())).not.toContain('kept-secret');
  });

  it('shows a mistake with the error summary and changes nothing', async () => {
    const before = await service('missed-bin-collection');
    const res = await post('/console/services/missed-bin-collection', {
      ...settings,
      name: '',
      'privacy-url': 'our notice',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<a href="#name">Enter the service’s name');
    expect(res.text).toContain('<a href="#privacy-url">Enter the privacy notice’s address');
    expect(await service('missed-bin-collection')).toEqual(before);
    expect(await audit()).toEqual([]);
  });
});
