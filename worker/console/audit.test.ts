import { beforeEach, describe, expect, it } from 'vitest';
import { type AuditEntry, auditEntry } from '../db/audit';
import type { Db } from '../db/client';
import { call, MEMBER, READER, setUpConsole, signIn } from '../test/console';

let db: Db;
let cookie: string;
beforeEach(async () => {
  db = await setUpConsole();
  cookie = await signIn();
});

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  departmentId: 'waste',
  actor: MEMBER,
  action: 'service.created',
  subject: 'missed-bin-collection',
  ...overrides,
});

/** Writes the entries in order, one batch, as the changes they record would. */
async function log(...entries: AuditEntry[]) {
  const [first, ...rest] = entries.map((e) => auditEntry(db, e));
  if (first) await db.batch([first, ...rest]);
}

const rowsOf = (html: string) => html.split('<tr class="govuk-table__row">').slice(2);
const olderLink = (html: string) => html.match(/href="(\/console\/audit\?before=\d+)" rel="next"/)?.[1];
const newerLink = (html: string) => html.match(/href="(\/console\/audit(?:\?before=\d+)?)" rel="prev"/)?.[1];

describe('the audit log page', () => {
  it('lists the department’s changes newest first: when, who, what, and the fields changed', async () => {
    await log(
      entry(),
      entry({
        action: 'member.role-changed',
        subject: READER,
        before: { role: 'member' },
        after: { role: 'admin' },
      }),
      entry({
        actor: 'operator',
        action: 'key.revoked',
        subject: 'key_abc',
        before: { label: 'Case system' },
      }),
      entry({
        action: 'widget.frobbed',
        subject: 'thing-1',
        before: { colour: 'red' },
        after: { colour: 'blue' },
      }),
    );
    const page = await call('/console/audit', { cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain('aria-current="page">Audit log</a>');
    const rows = rowsOf(page.text);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('widget.frobbed thing-1');
    expect(rows[0]).toContain('colour: red → blue');
    expect(rows[1]).toContain('An operator');
    expect(rows[1]).toContain('Revoked API key “Case system” (key_abc)');
    expect(rows[2]).toContain(MEMBER);
    expect(rows[2]).toContain(`Changed the role of ${READER} from member to admin`);
    expect(rows[2]).toContain('role: member → admin');
    expect(rows[3]).toContain('Created service missed-bin-collection');
    expect(rows[3]).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/);
  });

  it('never shows another department’s changes', async () => {
    await log(
      entry({ departmentId: 'parking', action: 'service.created', subject: 'parking-permit' }),
      entry({ subject: 'bulky-waste' }),
    );
    const page = await call('/console/audit', { cookie });
    expect(rowsOf(page.text)).toHaveLength(1);
    expect(page.text).toContain('Created service bulky-waste');
    expect(page.text).not.toContain('parking-permit');
    const parking = await call('/console/audit?before=999999', { cookie });
    expect(parking.text).not.toContain('parking-permit');
  });

  it('pages fifty changes at a time, older and back to newer, by event id', async () => {
    const subjects = Array.from({ length: 60 }, (_, i) => `service-${String(i + 1).padStart(2, '0')}`);
    // Another department's changes in between take ids but never a place on a page.
    await log(
      ...subjects.flatMap((subject) => [entry({ subject }), entry({ departmentId: 'parking', subject })]),
    );

    const first = await call('/console/audit', { cookie });
    const newest = rowsOf(first.text);
    expect(newest).toHaveLength(50);
    expect(newest[0]).toContain('service-60');
    expect(newest[49]).toContain('service-11');
    expect(newerLink(first.text)).toBeUndefined();

    const older = olderLink(first.text);
    expect(older).toBeDefined();
    const second = await call(older ?? '', { cookie });
    const rest = rowsOf(second.text);
    expect(rest).toHaveLength(10);
    expect(rest[0]).toContain('service-10');
    expect(rest[9]).toContain('service-01');
    expect(olderLink(second.text)).toBeUndefined();
    expect(newerLink(second.text)).toBe('/console/audit');
  });

  it('links a page in the middle back to the fifty changes just newer than it', async () => {
    const subjects = Array.from({ length: 120 }, (_, i) => `service-${String(i + 1).padStart(3, '0')}`);
    await log(...subjects.map((subject) => entry({ subject })));
    const second = await call(olderLink((await call('/console/audit', { cookie })).text) ?? '', { cookie });
    const third = await call(olderLink(second.text) ?? '', { cookie });
    expect(rowsOf(third.text)).toHaveLength(20);
    const back = await call(newerLink(third.text) ?? '', { cookie });
    expect(back.text).toBe(second.text);
    expect(newerLink(back.text)).toBe('/console/audit');
  });

  it('reads a page that is not an event id as the newest, never as an error', async () => {
    await log(entry());
    for (const before of ['abc', '-1', '0', '1.5', '1e9', '99999999999999999999', '%00', '']) {
      const page = await call(`/console/audit?before=${before}`, { cookie });
      expect(page.status, before).toBe(200);
      expect(rowsOf(page.text), before).toHaveLength(1);
    }
    const beyond = await call('/console/audit?before=1', { cookie });
    expect(beyond.status).toBe(200);
    expect(beyond.text).toContain('There are no older changes.');
    expect(newerLink(beyond.text)).toBe('/console/audit');
  });

  it('says so when nothing has been changed yet', async () => {
    const page = await call('/console/audit', { cookie });
    expect(page.text).toContain('Nothing has been changed yet.');
    expect(page.text).not.toContain('govuk-pagination');
  });

  it('refuses a member who is not an admin with 403, shows them nothing of it and no link to it', async () => {
    await log(entry({ subject: 'secretive-service' }));
    const reader = await signIn(READER);
    const page = await call('/console/audit', { cookie: reader });
    expect(page.status).toBe(403);
    expect(page.text).toContain('Only your department’s admins can do this');
    expect(page.text).not.toContain('secretive-service');
    expect(page.text).not.toContain('href="/console/audit"');
    expect((await call('/console/audit?before=99', { cookie: reader })).status).toBe(403);
    expect((await call('/console/stories', { cookie: reader })).text).not.toContain('href="/console/audit"');
    expect((await call('/console/stories', { cookie })).text).toContain('href="/console/audit"');
  });
});
