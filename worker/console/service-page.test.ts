// A service's page: its sites and where the widget was last seen on each, a warning for a site that
// shows it unregistered, the links to its code and preview, and adding and removing sites.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { auditEvents, originSightings, serviceOrigins } from '../db/schema';
import { call, MEMBER, type SignedInConsole, signedInConsole } from '../test/console';
import { ORIGIN } from '../test/seed';

let db: Db;
let cookie: string;
let postForm: SignedInConsole['post'];
beforeEach(async () => {
  ({ db, cookie, post: postForm } = await signedInConsole());
});

const PAGE = '/console/services/missed-bin-collection';
const post = (path: string, form: Record<string, string>) => postForm(`${PAGE}${path}`, form);
const origins = async () =>
  (await db.select().from(serviceOrigins).where(eq(serviceOrigins.serviceId, 'missed-bin-collection')))
    .map((o) => o.origin)
    .sort();
const audit = () => db.select().from(auditEvents).orderBy(auditEvents.id);
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('the service page', () => {
  it('links to the widget’s code and its preview', async () => {
    const page = await call(PAGE, { cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="${PAGE}/embed">Get the code to add the widget`);
    expect(page.text).toContain(`href="${PAGE}/preview">Preview the widget`);
    expect(page.text).toContain(`href="${PAGE}/edit"`);
  });

  it('says where the widget was last seen on each site, and “Not seen yet” for one it never was', async () => {
    await db
      .insert(serviceOrigins)
      .values({ serviceId: 'missed-bin-collection', origin: 'https://beta.anytown.example.gov.uk' });
    await db.insert(originSightings).values({
      serviceId: 'missed-bin-collection',
      origin: ORIGIN,
      lastSeenAt: ago(2 * 3_600_000 + 60_000),
    });
    const page = await call(PAGE, { cookie });
    expect(page.text).toContain(`Last seen on ${ORIGIN} 2 hours ago`);
    expect(page.text).toMatch(/https:\/\/beta\.anytown\.example\.gov\.uk<\/td><td[^>]*>Not seen yet/);
    expect(page.text).not.toContain('govuk-warning-text');
  });

  it('warns of a site that showed the widget without being one of the service’s, with a button to add it', async () => {
    await db.insert(originSightings).values([
      {
        serviceId: 'missed-bin-collection',
        origin: 'https://copy.example.org',
        lastSeenAt: ago(5 * 60_000 + 1000),
      },
      // Another service's sighting is not this one's business.
      { serviceId: 'bulky-waste', origin: 'https://elsewhere.example.org', lastSeenAt: ago(60_000) },
    ]);
    const page = await call(PAGE, { cookie });
    expect(page.text).toContain('govuk-warning-text');
    expect(page.text).toContain(
      'The widget was shown on https://copy.example.org 5 minutes ago, which is not one of this service’s sites, so stories from there are refused. Add it only if it is one of your sites: a request can claim to come from anywhere.',
    );
    expect(page.text).toContain('name="origins" value="https://copy.example.org"');
    expect(page.text).not.toContain('https://elsewhere.example.org');

    const res = await post('/origins', { origins: 'https://copy.example.org' });
    expect(res.status).toBe(303);
    expect((await call(PAGE, { cookie })).text).not.toContain('govuk-warning-text');
  });
});

describe('adding sites', () => {
  it('adds each line as browsers send it, and audits each', async () => {
    const res = await post('/origins', {
      origins: 'https://Straße.example/\n\nhttps://beta.anytown.example.gov.uk:443',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${PAGE}?done=origins-added`);
    expect(await origins()).toEqual(
      ['https://beta.anytown.example.gov.uk', ORIGIN, 'https://xn--strae-oqa.example'].sort(),
    );
    expect((await audit()).map((e) => [e.actor, e.action, e.subject, e.after])).toEqual([
      [MEMBER, 'origin.added', 'missed-bin-collection', { origin: 'https://xn--strae-oqa.example' }],
      [MEMBER, 'origin.added', 'missed-bin-collection', { origin: 'https://beta.anytown.example.gov.uk' }],
    ]);
    expect((await call(res.headers.get('Location') ?? '', { cookie })).text).toContain('The sites are added');
  });

  it.each([
    [
      'one the service has',
      `https://beta.example\n${ORIGIN.toUpperCase()}/`,
      `Line 2: ${ORIGIN} is already one of this service’s sites`,
    ],
    [
      'one twice',
      'https://beta.example\nhttps://BETA.example',
      'Line 2: https://beta.example is listed twice',
    ],
    ['plain http', 'http://beta.example', 'Line 1: “http://beta.example” starts with http://'],
    ['nothing at all', '  \n', 'Enter a site’s address'],
  ])('refuses %s with the error summary naming the line, and adds none', async (_, typed, text) => {
    const res = await post('/origins', { origins: typed });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<a href="#origins">${text}`);
    expect(res.text).toContain('id="origins-error"');
    expect(await origins()).toEqual([ORIGIN]);
    expect(await audit()).toEqual([]);
  });
});

describe('removing a site', () => {
  it('removes it and audits it', async () => {
    expect((await call(PAGE, { cookie })).text).toContain(`name="origin" value="${ORIGIN}"`);
    const res = await post('/origins/remove', { origin: ORIGIN });
    expect(res.status).toBe(303);
    expect(await origins()).toEqual([]);
    expect(await audit()).toMatchObject([
      {
        actor: MEMBER,
        action: 'origin.removed',
        subject: 'missed-bin-collection',
        before: { origin: ORIGIN },
        after: null,
      },
    ]);
  });

  it('says so when the service has no such site, and changes nothing', async () => {
    const res = await post('/origins/remove', { origin: 'https://www.elsewhere.example.org' });
    expect(res.status).toBe(404);
    expect(res.text).toContain('has no site https://www.elsewhere.example.org');
    expect(await origins()).toEqual([ORIGIN]);
    expect(await audit()).toEqual([]);
  });
});
