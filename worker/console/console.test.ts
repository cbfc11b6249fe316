import { env } from 'cloudflare:workers';
import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { changeStory } from '../db/department';
import {
  answers,
  consoleSessions,
  deliveries,
  departments,
  feedback,
  members,
  services,
  signInLinks,
  statusChanges,
  subscriptions,
} from '../db/schema';
import { newId } from '../ids';
import { call, csrfOf, linksSent, MEMBER, READER, sent, setUpConsole, signIn } from '../test/console';
import { countingD1 } from '../test/d1-trips';
import { addWebhook, received, submitStory } from '../test/seed';
import { CONSOLE_CSP } from './routes';

let db: Db;
beforeEach(async () => {
  db = await setUpConsole();
});

describe('signing in to the console', () => {
  it('sends a member a single-use link and starts a session with a strict cookie', async () => {
    const asked = await call('/console/sign-in', {
      method: 'POST',
      form: { email: 'Officer@Anytown.example.gov.uk' },
    });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Check your email');
    const [link] = await linksSent();
    expect(link).toMatch(/^https?:\/\/.+\/console\/sign-in\/[\w-]{40,}$/);
    const path = new URL(link ?? '').pathname;

    // Opening the link asks first: a mail scanner that follows it does not use it up.
    const opened = await call(path);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('Sign in to Waste and Recycling');
    const used = await call(path, { method: 'POST' });
    expect(used.status).toBe(303);
    expect(used.headers.get('Location')).toBe('/console/stories');
    const [cookie = '', known = ''] = used.headers.getSetCookie();
    expect(cookie).toMatch(/^tellus_console=[\w-]+; Path=\/console; HttpOnly; Secure; SameSite=Strict$/);
    // And the mark of a browser this address signed in from, sent to the sign-in pages only.
    expect(known).toMatch(
      /^tellus_known=[\w-]+; Max-Age=31536000; Path=\/console\/sign-in; HttpOnly; Secure; SameSite=Strict$/,
    );

    // Only hashes are stored.
    const [link_] = await db.select().from(signInLinks);
    expect(link_?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(path).not.toContain(link_?.hash ?? 'x');
    const [session] = await db.select().from(consoleSessions);
    expect(cookie).not.toContain(session?.hash ?? 'x');

    expect((await call('/console/stories', { cookie: cookie.split(';')[0] })).status).toBe(200);
  });

  it('answers the same for an unknown address, and sends nothing', async () => {
    const known = await call('/console/sign-in', { method: 'POST', form: { email: MEMBER } });
    const unknown = await call('/console/sign-in', {
      method: 'POST',
      form: { email: 'stranger@example.org' },
    });
    expect(unknown.status).toBe(known.status);
    expect(unknown.text.replace('stranger@example.org', MEMBER)).toBe(known.text);
    expect(sent).toHaveLength(1);
  });

  it('lets the department contact address sign in as a member, whatever its capitals', async () => {
    await db
      .update(departments)
      .set({ contactEmail: 'Waste@Anytown.example.gov.uk' })
      .where(eq(departments.id, 'waste'));
    await call('/console/sign-in', { method: 'POST', form: { email: 'waste@anytown.example.gov.uk' } });
    expect(await linksSent()).toHaveLength(1);
  });

  it('lets no link in once its member is removed', async () => {
    await call('/console/sign-in', { method: 'POST', form: { email: MEMBER } });
    const path = new URL((await linksSent())[0] ?? '').pathname;
    await db.delete(members).where(eq(members.email, MEMBER));
    const res = await call(path, { method: 'POST' });
    expect(res.status).toBe(410);
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('refuses a used link and an expired one', async () => {
    await call('/console/sign-in', { method: 'POST', form: { email: MEMBER } });
    const path = new URL((await linksSent())[0] ?? '').pathname;
    expect((await call(path, { method: 'POST' })).status).toBe(303);
    const again = await call(path, { method: 'POST' });
    expect(again.status).toBe(410);
    expect(again.headers.get('Set-Cookie')).toBeNull();
    expect((await call(path)).status).toBe(410);

    await call('/console/sign-in', { method: 'POST', form: { email: MEMBER } });
    const late = new URL((await linksSent())[1] ?? '').pathname;
    await db.update(signInLinks).set({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await call(late, { method: 'POST' })).status).toBe(410);
    expect(await db.select({ n: count() }).from(consoleSessions)).toEqual([{ n: 1 }]);
  });

  it('explains an address that is not one, keeping what was typed', async () => {
    const res = await call('/console/sign-in', { method: 'POST', form: { email: 'not an address' } });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter an email address in the correct format');
    expect(res.text).toContain('value="not an address"');
    expect(res.text).toContain('<title>Error: Sign in');
  });

  it('limits sign-in requests per client, whatever the address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const form = { email: `person${i}@anytown.example.gov.uk` };
      statuses.push((await call('/console/sign-in', { method: 'POST', form, client: '10.8.8.8' })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.at(-1)).toBe(429);
  });

  it('ends the session at sign-out, server-side', async () => {
    const cookie = await signIn();
    const page = await call('/console/stories', { cookie });
    const out = await call('/console/sign-out', {
      method: 'POST',
      cookie,
      form: { csrf: csrfOf(page.text) },
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('Set-Cookie')).toMatch(/^tellus_console=; Max-Age=0; Path=\/console/);
    const after = await call('/console/stories', { cookie });
    expect(after.status).toBe(303);
    expect(after.headers.get('Location')).toBe('/console/sign-in');
  });

  it('starts a new session at every sign-in and ends the one the browser had', async () => {
    const first = await signIn();
    await call('/console/sign-in', { method: 'POST', form: { email: MEMBER }, client: '10.3.3.3' });
    const link = (await linksSent()).at(-1) ?? '';
    const again = await call(new URL(link).pathname, { method: 'POST', cookie: first });
    const second = (again.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    expect(second).not.toBe(first);
    expect((await call('/console/stories', { cookie: second })).status).toBe(200);
    expect((await call('/console/stories', { cookie: first })).status).toBe(303);
  });

  it('ends a session idle for 8 hours', async () => {
    const cookie = await signIn();
    await db
      .update(consoleSessions)
      .set({ lastSeenAt: new Date(Date.now() - 8 * 3600_000 - 1000).toISOString() });
    expect((await call('/console/stories', { cookie })).status).toBe(303);
  });

  it('ends a session 24 hours after sign-in, however busy it has been', async () => {
    const cookie = await signIn();
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();
    await db.update(consoleSessions).set({ createdAt: hoursAgo(23.9), lastSeenAt: hoursAgo(0.01) });
    expect((await call('/console/stories', { cookie })).status).toBe(200);
    // In use a moment ago, but signed in a day ago: over.
    await db.update(consoleSessions).set({ createdAt: hoursAgo(24.01), lastSeenAt: hoursAgo(0.01) });
    const after = await call('/console/stories', { cookie });
    expect(after.status).toBe(303);
    expect(after.headers.get('Location')).toBe('/console/sign-in');
  });
});

describe('console pages', () => {
  it('sends a strict policy, no cache and no framing on every page', async () => {
    const res = await call('/console/sign-in');
    expect(res.headers.get('Content-Security-Policy')).toBe(CONSOLE_CSP);
    expect(res.headers.get('Referrer-Policy')).toBe('same-origin');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.text).not.toMatch(/<script|style="/);
    expect(res.text).toMatch(/^<!doctype html><html lang="en"/);
  });

  it('shows a member only their own department: another’s story is not found', async () => {
    const ours = await submitStory('Our story.');
    const theirs = newId();
    await db.insert(feedback).values({
      id: theirs,
      serviceId: 'parking-permit',
      rating: 1,
      story: 'Their story.',
      idempotencyKey: crypto.randomUUID(),
      fingerprint: 'x',
    });
    const cookie = await signIn();
    expect((await call(`/console/stories/${ours}`, { cookie })).status).toBe(200);
    const other = await call(`/console/stories/${theirs}`, { cookie });
    expect(other.status).toBe(404);
    expect(other.text).not.toContain('Their story.');
    const list = await call('/console/stories', { cookie });
    expect(list.text).toContain('Our story.');
    expect(list.text).not.toContain('Their story.');
  });

  it('answers a story, marks it answered and records who did', async () => {
    const id = await submitStory('The crew left the gate open.');
    const cookie = await signIn();
    const page = await call(`/console/stories/${id}`, { cookie });
    const res = await call(`/console/stories/${id}/answers`, {
      method: 'POST',
      cookie,
      form: {
        csrf: csrfOf(page.text),
        text: 'Sorry: we have spoken to the crew.',
        changed: 'yes',
        change: 'Crews now close gates.',
      },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/console/stories/${id}?done=answered`);
    const [answer] = await db.select().from(answers);
    expect(answer).toMatchObject({
      text: 'Sorry: we have spoken to the crew.',
      changed: true,
      change: 'Crews now close gates.',
    });
    const shown = await call(`/console/stories/${id}?done=answered`, { cookie });
    expect(shown.text).toContain('new to answered');
    expect(shown.text).toContain(MEMBER);
  });

  it.each([
    ['no CSRF token', {}],
    ['a wrong CSRF token', { csrf: 'forged' }],
  ])('refuses a form with %s: 403 and nothing changed', async (_, extra) => {
    const id = await submitStory('A story.');
    const cookie = await signIn();
    const res = await call(`/console/stories/${id}/answers`, {
      method: 'POST',
      cookie,
      form: { text: 'Hello', ...extra },
    });
    expect(res.status).toBe(403);
    expect(await db.select({ n: count() }).from(answers)).toEqual([{ n: 0 }]);
    const [story] = await db.select().from(feedback).where(eq(feedback.id, id));
    expect(story?.status).toBe('new');
  });

  it('refuses a form from another origin, even with the token', async () => {
    const id = await submitStory('A story.');
    const cookie = await signIn();
    const page = await call(`/console/stories/${id}`, { cookie });
    const res = await call(`/console/stories/${id}/answers`, {
      method: 'POST',
      cookie,
      origin: 'https://evil.example',
      form: { csrf: csrfOf(page.text), text: 'Hello' },
    });
    expect(res.status).toBe(403);
    expect(await db.select({ n: count() }).from(answers)).toEqual([{ n: 0 }]);
  });

  it('shows an answer form error against its field and keeps the words', async () => {
    const id = await submitStory('A story.');
    const cookie = await signIn();
    const page = await call(`/console/stories/${id}`, { cookie });
    const res = await call(`/console/stories/${id}/answers`, {
      method: 'POST',
      cookie,
      form: { csrf: csrfOf(page.text), text: 'We fixed it.', changed: 'yes' },
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<a href="#change">Say what changed, or untick the box</a>');
    expect(res.text).toContain('We fixed it.');
  });

  it('lists a thousand stories a page at a time in the same few D1 round trips', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      id: newId(Date.now() - i * 1000),
      serviceId: i % 2 ? 'missed-bin-collection' : 'bulky-waste',
      rating: (i % 5) + 1,
      story: `Story number ${i}`,
      severity: i % 100 === 0 ? ('urgent' as const) : ('normal' as const),
      idempotencyKey: crypto.randomUUID(),
      fingerprint: 'x',
    }));
    for (let i = 0; i < rows.length; i += 5) await db.insert(feedback).values(rows.slice(i, i + 5));
    const cookie = await signIn();
    const trips: number[] = [];
    let path = '/console/stories';
    for (let page = 0; page < 3; page++) {
      const d1 = countingD1(env.DB);
      const res = await call(path, { cookie, db: d1.binding });
      expect(res.status).toBe(200);
      trips.push(d1.trips());
      path = (res.text.match(/href="(\/console\/stories\?cursor=[^"]+)" rel="next"/)?.[1] ?? '').replaceAll(
        '&amp;',
        '&',
      );
      expect(path).not.toBe('');
    }
    // The session, its touch, and one batch for the services, the urgent ones and the page.
    expect(trips).toEqual([3, 3, 3]);
  });
});

describe('acting on a story', () => {
  it('lets a member publish a story of a service that publishes, and stop publishing it', async () => {
    const id = await submitStory('The crew came back the same day.');
    const cookie = await signIn(READER);
    const publish = async (published: 'yes' | 'no') => {
      const csrf = csrfOf((await call(`/console/stories/${id}`, { cookie })).text);
      return call(`/console/stories/${id}/publish`, { method: 'POST', cookie, form: { csrf, published } });
    };
    const isPublished = async () =>
      (await db.select({ published: feedback.published }).from(feedback).where(eq(feedback.id, id)))[0]
        ?.published;

    // A service that does not publish: the page says who can allow it, and a forged form changes nothing.
    expect((await call(`/console/stories/${id}`, { cookie })).text).toContain(
      'This service does not publish stories. An admin can allow it',
    );
    const refused = await publish('yes');
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('This service does not publish stories');
    expect(await isPublished()).toBe(false);

    await db.update(services).set({ publishing: true }).where(eq(services.id, 'missed-bin-collection'));
    expect((await call(`/console/stories/${id}`, { cookie })).text).toContain('Publish this story');
    const published = await publish('yes');
    expect(published.headers.get('Location')).toBe(`/console/stories/${id}?done=published`);
    expect(await isPublished()).toBe(true);
    const shown = await call(`/console/stories/${id}?done=published`, { cookie });
    expect(shown.text).toContain('The story is published.');
    expect(shown.text).toContain('Stop publishing');

    const withdrawn = await publish('no');
    expect(withdrawn.headers.get('Location')).toBe(`/console/stories/${id}?done=unpublished`);
    expect(await isPublished()).toBe(false);
  });

  it('moves the status and saves tags, recording who moved it', async () => {
    const id = await submitStory('A story.');
    const cookie = await signIn();
    const csrf = csrfOf((await call(`/console/stories/${id}`, { cookie })).text);
    const moved = await call(`/console/stories/${id}/status`, {
      method: 'POST',
      cookie,
      form: { csrf, status: 'acknowledged' },
    });
    expect(moved.headers.get('Location')).toBe(`/console/stories/${id}?done=status`);
    const tagged = await call(`/console/stories/${id}/tags`, {
      method: 'POST',
      cookie,
      form: { csrf, tags: 'Crew, gate, crew' },
    });
    expect(tagged.status).toBe(303);
    const [story] = await db.select().from(feedback).where(eq(feedback.id, id));
    expect(story).toMatchObject({ status: 'acknowledged', tags: ['crew', 'gate'] });
    expect(
      await db
        .select({ from: statusChanges.from, to: statusChanges.to, by: statusChanges.by })
        .from(statusChanges),
    ).toEqual([{ from: 'new', to: 'acknowledged', by: MEMBER }]);
    // A status read before someone else moved it is not applied over theirs.
    const stale = {
      id: newId(),
      feedbackId: id,
      from: 'new' as const,
      to: 'closed' as const,
      by: MEMBER,
      at: new Date().toISOString(),
    };
    expect(await changeStory(db, id, { status: 'closed' }, stale)).toBe(false);
    expect((await db.select().from(feedback).where(eq(feedback.id, id)))[0]?.status).toBe('acknowledged');
    const refused = await call(`/console/stories/${id}/status`, {
      method: 'POST',
      cookie,
      form: { csrf, status: 'answered' },
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('A story is answered by answering it');
  });
});

describe('subscriptions in the console', () => {
  it('adds a webhook and shows its secret once, pauses and resumes it, and sends it a test', async () => {
    const cookie = await signIn();
    const csrf = csrfOf((await call('/console/subscriptions', { cookie })).text);
    const target = `${env.RECEIVER_ORIGIN}/hook/console-test/200`;
    const added = await call('/console/subscriptions', {
      method: 'POST',
      cookie,
      form: { csrf, kind: 'webhook', target, mode: 'each' },
    });
    expect(added.status).toBe(200);
    const [subscription] = await db.select().from(subscriptions);
    expect(subscription).toMatchObject({ departmentId: 'waste', kind: 'webhook', target, state: 'active' });
    expect(added.text).toContain(subscription?.secret ?? 'no secret');
    expect((await call('/console/subscriptions', { cookie })).text).not.toContain(
      subscription?.secret ?? 'no secret',
    );

    const id = subscription?.id ?? '';
    expect(
      (await call(`/console/subscriptions/${id}/pause`, { method: 'POST', cookie, form: { csrf } })).status,
    ).toBe(303);
    expect((await db.select().from(subscriptions))[0]?.state).toBe('disabled');
    await call(`/console/subscriptions/${id}/resume`, { method: 'POST', cookie, form: { csrf } });
    expect((await db.select().from(subscriptions))[0]?.state).toBe('active');

    const tested = await call(`/console/subscriptions/${id}/test`, {
      method: 'POST',
      cookie,
      form: { csrf },
    });
    expect(tested.headers.get('Location')).toBe('/console/subscriptions?done=test-ok');
    expect(await received('console-test')).toHaveLength(1);
  });

  it('explains a webhook address it will not send to', async () => {
    const cookie = await signIn();
    const csrf = csrfOf((await call('/console/subscriptions', { cookie })).text);
    const res = await call('/console/subscriptions', {
      method: 'POST',
      cookie,
      form: { csrf, kind: 'webhook', target: 'http://example.org/hook', mode: 'each' },
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<a href="#target">The webhook address');
    expect(await db.select().from(subscriptions)).toEqual([]);
  });

  it('shows failed deliveries and replays one', async () => {
    await addWebhook(db, 'console-replay', '500,200');
    const id = await submitStory('A story.');
    const cookie = await signIn();
    const page = await call('/console/subscriptions', { cookie });
    const [delivery] = await db.select().from(deliveries).where(eq(deliveries.feedbackId, id));
    expect(page.text).toContain(`/console/deliveries/${delivery?.id}/replay`);
    expect(page.text).toContain('HTTP 500');
    const replayed = await call(`/console/deliveries/${delivery?.id}/replay`, {
      method: 'POST',
      cookie,
      form: { csrf: csrfOf(page.text) },
    });
    expect(replayed.headers.get('Location')).toBe('/console/subscriptions?done=delivered');
    expect((await received('console-replay')).map((r) => r.status)).toEqual([500, 200]);
  });

  it('does not touch another department’s subscription', async () => {
    await db
      .insert(subscriptions)
      .values({ id: 'theirs', departmentId: 'parking', kind: 'email', target: 'p@anytown.example.gov.uk' });
    const cookie = await signIn();
    const csrf = csrfOf((await call('/console/subscriptions', { cookie })).text);
    expect(
      (await call('/console/subscriptions/theirs/pause', { method: 'POST', cookie, form: { csrf } })).status,
    ).toBe(404);
    expect((await db.select().from(subscriptions))[0]?.state).toBe('active');
  });
});

describe('the summary', () => {
  it('adds up each service and charts its ratings per week', async () => {
    const id = await submitStory('One.', { rating: 2 });
    await submitStory('Two.', { rating: 4 });
    await db
      .insert(answers)
      .values({ id: newId(), feedbackId: id, text: 'Thanks.', changed: true, change: 'Fixed.' });
    const cookie = await signIn();
    const res = await call('/console/summary', { cookie });
    expect(res.status).toBe(200);
    expect(res.text).toContain('3 out of 5');
    expect(res.text).toContain('50%');
    expect(res.text).toContain('100%');
    expect(res.text).toMatch(/<svg class="tellus-chart"[^>]*role="img"/);
    expect(res.text).toContain('2 stories, average 3.0 out of 5.');
  });
});

describe('the summary, however many services', () => {
  it('reads D1 as often for six services as for two', async () => {
    const cookie = await signIn();
    const trips = async () => {
      const d1 = countingD1(env.DB);
      expect((await call('/console/summary', { cookie, db: d1.binding })).status).toBe(200);
      return d1.trips();
    };
    const two = await trips();
    await db
      .insert(services)
      .values([1, 2, 3, 4].map((n) => ({ id: `service-${n}`, departmentId: 'waste', name: `Service ${n}` })));
    expect(await trips()).toBe(two);
  });
});

describe('cookies', () => {
  it('sets no cookie on any /v1/ response, signed in or not', async () => {
    const cookie = await signIn();
    const id = await submitStory('A story.');
    for (const path of [
      '/v1/services/missed-bin-collection/widget',
      '/v1/widget.js',
      '/v1/openapi.json',
      `/v1/feedback/${id}`,
      '/v1/feedback',
      '/healthz',
    ]) {
      const res = await call(path, { cookie });
      expect(res.headers.get('Set-Cookie'), path).toBeNull();
    }
  });
});
