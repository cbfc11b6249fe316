// Teams and Slack channels in the console: added with the URL pasted, then shown only masked.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import PostalMime from 'postal-mime';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { subscriptions } from '../db/schema';
import { newId } from '../ids';
import { call, type SignedInConsole, sent, signedInConsole } from '../test/console';
import { CHAT_URL_TOKEN, eventually, received, submitStory } from '../test/seed';

let db: Db;
let cookie: string;
let post: SignedInConsole['post'];
beforeEach(async () => {
  ({ db, cookie, post } = await signedInConsole());
});

/** Every page a department's people see that names the subscription. */
const pages = async (storyId: string) =>
  Promise.all(
    ['/console/subscriptions', '/console/audit', `/console/stories/${storyId}`].map(
      async (path) => (await call(path, { cookie })).text,
    ),
  );

describe('Teams and Slack channels in the console', () => {
  it('offers each kind as a radio with where to find its URL', async () => {
    const page = (await call('/console/subscriptions', { cookie })).text;
    expect(page).toContain('type="radio" value="teams"');
    expect(page).toContain('type="radio" value="slack"');
    expect(page).toContain('“Post to a channel when a webhook request is received”');
    expect(page).toContain('Incoming Webhooks');
  });

  it('adds a Slack channel; a story that meets 410 stops it; a test received lets it resume; the URL is only ever shown masked', async () => {
    const box = `box-${newId()}`;
    const target = `${env.RECEIVER_ORIGIN}/slack/${box}/410,200?token=${CHAT_URL_TOKEN}`;
    const masked = `${env.RECEIVER_ORIGIN}/slack/box-…`;
    const added = await post('/console/subscriptions', { kind: 'slack', target, mode: 'each' });
    expect(added.status).toBe(303);
    const [subscription] = await db.select().from(subscriptions);
    expect(subscription).toMatchObject({ kind: 'slack', target, secret: null, state: 'active' });
    const id = subscription?.id ?? '';
    expect((await call('/console/subscriptions', { cookie })).text).toContain(`Slack ${masked}`);

    const storyId = await submitStory('The bins were missed again.');
    await eventually(async () => (await db.select().from(subscriptions).get())?.state === 'disabled');
    expect((await call('/console/subscriptions', { cookie })).text).toContain('Stopped after failures');

    const tested = await post(`/console/subscriptions/${id}/test`);
    expect(tested.headers.get('Location')).toBe('/console/subscriptions?done=test-ok');
    expect((await received(box)).map((r) => [r.status, r.problems])).toEqual([
      [410, []],
      [200, []],
    ]);
    const resumed = await post(`/console/subscriptions/${id}/resume`);
    expect(resumed.headers.get('Location')).toBe('/console/subscriptions?done=resumed');
    expect((await db.select().from(subscriptions).where(eq(subscriptions.id, id)).get())?.state).toBe(
      'active',
    );

    const [list, audit, story] = await pages(storyId);
    expect(story).toContain(`Slack ${masked}`);
    expect(audit).toContain(`Created subscription ${id} to ${masked}`);
    expect(audit).toContain(`Resumed subscription ${id} to ${masked}`);
    const emails = await Promise.all(sent.map((raw) => PostalMime.parse(raw)));
    expect(emails.map((email) => email.subject)).toContain(`Tellus stopped delivering to ${masked}`);
    const mail = emails.flatMap((email) => [email.subject ?? '', email.text ?? '', email.html ?? '']);
    for (const shown of [list, audit, story, ...mail]) {
      expect(shown).not.toContain(CHAT_URL_TOKEN);
      expect(shown).not.toContain(`${box}/410`);
    }
  });

  it('refuses a daily digest to a Teams channel, and a Slack URL that is not https, with words for the form', async () => {
    const daily = await post('/console/subscriptions', {
      kind: 'teams',
      target: 'https://prod-1.westeurope.logic.azure.com/workflows/abc',
      mode: 'daily',
    });
    expect(daily.status).toBe(422);
    expect(daily.text).toContain('<a href="#mode">Only email has daily digests');
    const http = await post('/console/subscriptions', {
      kind: 'slack',
      target: 'http://hooks.slack.com/services/T0/B0/x',
      mode: 'each',
    });
    expect(http.status).toBe(422);
    expect(http.text).toContain('<a href="#target">The Slack address must use https');
    expect(await db.select().from(subscriptions)).toEqual([]);
  });

  it('sends a Teams test message the channel takes, and says it was received', async () => {
    const box = `box-${newId()}`;
    await post('/console/subscriptions', {
      kind: 'teams',
      target: `${env.RECEIVER_ORIGIN}/teams/${box}/202?sig=${CHAT_URL_TOKEN}`,
      mode: 'each',
    });
    const id = (await db.select().from(subscriptions).get())?.id ?? '';
    const tested = await post(`/console/subscriptions/${id}/test`);
    expect(tested.headers.get('Location')).toBe('/console/subscriptions?done=test-ok');
    expect(await received(box)).toEqual([expect.objectContaining({ status: 202, problems: [] })]);
  });
});
