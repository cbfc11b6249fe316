// Stories posted to Teams and Slack channels end to end: workerd and D1, against stand-ins for their
// incoming webhooks that refuse a message of the wrong shape.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import PostalMime from 'postal-mime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client';
import { deliveries, deliveryAttempts, sentEmails, subscriptions } from '../db/schema';
import { newId } from '../ids';
import { api } from '../test/api';
import { HOSTILE_STORIES } from '../test/hostile-stories';
import {
  addChat,
  addWebhook,
  CHAT_URL_TOKEN,
  eventually,
  insertStory,
  received,
  seed,
  submitStory as submit,
} from '../test/seed';
import { attemptDelivery } from './deliver';
import type { SlackMessage } from './slack-blocks';
import type { TeamsMessage } from './teams-card';

let db: Db;
let box: string;
beforeEach(async () => {
  db = await seed();
  box = `box-${newId()}`;
});
afterEach(() => {
  vi.restoreAllMocks();
});

const deliveriesOf = (feedbackId: string) =>
  db.select().from(deliveries).where(eq(deliveries.feedbackId, feedbackId));
const subscriptionOf = (id: string) => db.select().from(subscriptions).where(eq(subscriptions.id, id)).get();

/** Every text a Teams card shows, and its button's link. */
function teamsShows(message: TeamsMessage) {
  const card = message.attachments[0]?.content;
  const texts = (card?.body ?? []).flatMap((element) =>
    'text' in element ? [element.text] : element.facts.map((fact) => `${fact.title}: ${fact.value}`),
  );
  return { texts, link: card?.actions[0]?.url };
}

/** Every text a Slack message shows, and its button's link. */
function slackShows(message: SlackMessage) {
  const texts = message.blocks.flatMap((block) =>
    block.type === 'header'
      ? [block.text.text]
      : block.type === 'section'
        ? [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((field) => field.text)]
        : [],
  );
  const actions = message.blocks.find((block) => block.type === 'actions');
  const button = actions?.elements[0];
  return { texts, link: button && 'url' in button ? button.url : undefined };
}

describe('a story posted to Teams and Slack channels', () => {
  it('reaches both at once, in the shape each documents, unsigned, with its service, rating, words and console link', async () => {
    await addChat(db, 'teams', box);
    await addChat(db, 'slack', box.replace('box', 'slk'));
    const id = await submit('The crew left the bin open in the rain.');
    const [teams, slack] = await Promise.all([
      eventually(async () => (await received(box))[0]),
      eventually(async () => (await received(box.replace('box', 'slk')))[0]),
    ]);
    for (const got of [teams, slack]) {
      expect(got).toMatchObject({ status: 200, problems: [], signature: null, id: null });
    }
    const link = `${env.PUBLIC_URL}/console/stories/${id}`;
    const card = teamsShows(teams?.body as TeamsMessage);
    expect(card.link).toBe(link);
    expect(card.texts).toEqual([
      'Report a missed bin collection',
      'Rating: 2/5 (Poor)',
      expect.stringMatching(/^Received: /),
      'The crew left the bin open in the rain.',
    ]);
    const message = slackShows(slack?.body as SlackMessage);
    expect(message.link).toBe(link);
    expect(message.texts).toEqual([
      'Report a missed bin collection',
      '*Rating*\n2/5 (Poor)',
      expect.stringMatching(/^\*Received\*\n/),
      'The crew left the bin open in the rain.',
    ]);
    const rows = await eventually(async () => {
      const all = await deliveriesOf(id);
      return all.every((d) => d.state === 'delivered') && all;
    });
    expect(rows).toHaveLength(2);
  });

  it('marks an urgent story as urgent at the top of both messages', async () => {
    await addChat(db, 'teams', box);
    await addChat(db, 'slack', `${box}-s`);
    await submit('The driver threatened me with a knife when I asked about the bin.');
    const teams = await eventually(async () => (await received(box))[0]);
    const slack = await eventually(async () => (await received(`${box}-s`))[0]);
    expect(teamsShows(teams?.body as TeamsMessage).texts[0]).toMatch(/^Urgent/);
    expect(slackShows(slack?.body as SlackMessage).texts[1]).toMatch(/Urgent/);
    expect((slack?.body as SlackMessage | undefined)?.text).toMatch(/^Urgent: /);
  });

  it.each(Object.entries(HOSTILE_STORIES))(
    'posts a hostile story in a shape each platform takes: %s',
    async (_, story) => {
      await addChat(db, 'teams', box);
      await addChat(db, 'slack', `${box}-s`);
      const feedbackId = await insertStory(db, { story, severity: 'urgent' });
      const rows = await db
        .insert(deliveries)
        .values(
          [`sub-teams-${box}`, `sub-slack-${box}-s`].map((subscriptionId) => ({
            id: newId(),
            feedbackId,
            subscriptionId,
            kind: 'each' as const,
            dueAt: new Date().toISOString(),
          })),
        )
        .returning();
      for (const row of rows) expect(await attemptDelivery(env, row.id, Date.now())).toBe('delivered');
      const got = [...(await received(box)), ...(await received(`${box}-s`))];
      expect(got.map((r) => r.problems)).toEqual([[], []]);
      // Slack reads <!channel> and <https://…|…> only unescaped; Teams reads Markdown links only unescaped.
      expect(got[1]?.raw).not.toMatch(/<!(channel|here|everyone)|<https?:/);
      expect(got[0]?.raw).not.toMatch(/(?<!\\)\[link\]\(/);
    },
  );

  it('keeps to each subscription’s filters: services, urgent only, ratings at or below', async () => {
    await addChat(db, 'teams', `${box}-bulky`, '200', { services: ['bulky-waste'] });
    await addChat(db, 'slack', `${box}-urgent`, '200', { minSeverity: 'urgent' });
    await addChat(db, 'teams', `${box}-low`, '200', { maxRating: 1 });
    await addChat(db, 'slack', `${box}-all`);
    const normal = await submit('Rated two, not urgent, missed bins.');
    expect((await deliveriesOf(normal)).map((d) => d.subscriptionId)).toEqual([`sub-slack-${box}-all`]);
    const urgent = await submit('I feel unsafe at home.', { rating: 1 });
    expect((await deliveriesOf(urgent)).map((d) => d.subscriptionId).sort()).toEqual(
      [`sub-slack-${box}-all`, `sub-slack-${box}-urgent`, `sub-teams-${box}-low`].sort(),
    );
    const posted = async (suffix: string) => (await received(`${box}-${suffix}`)).map((r) => r.problems);
    await eventually(async () => (await posted('low')).length === 1 && (await posted('all')).length === 2);
    expect(await posted('all')).toEqual([[], []]);
    expect(await posted('urgent')).toEqual([[]]);
    expect(await posted('low')).toEqual([[]]);
    expect(await posted('bulky')).toEqual([]);
  });

  it('retries a 503 on the schedule and delivers the same message on the next attempt', async () => {
    await addChat(db, 'slack', box, '503,200');
    const id = await submit('First try fails.');
    const [delivery] = await deliveriesOf(id);
    const deliveryId = delivery?.id ?? '';
    await eventually(async () => (await received(box)).length === 1);
    const pending = await eventually(async () => {
      const [row] = await deliveriesOf(id);
      return row?.attempts === 1 && row;
    });
    expect(pending).toMatchObject({ state: 'pending', lastStatus: 503, lastError: 'HTTP 503' });
    expect(await attemptDelivery(env, deliveryId, Date.parse(pending ? pending.dueAt : '') + 1)).toBe(
      'delivered',
    );
    const got = await received(box);
    expect(got.map((r) => r.status)).toEqual([503, 200]);
    expect(got[1]?.raw).toBe(got[0]?.raw);
  });

  it('keeps a 404 or 403 as a failure to retry, not a reason to stop', async () => {
    const notFound = await addChat(db, 'slack', box, '404');
    const forbidden = await addChat(db, 'teams', `${box}-t`, '403');
    await submit('Channel gone?');
    await eventually(async () => (await received(box)).length && (await received(`${box}-t`)).length);
    const attempts = await eventually(async () => {
      const all = await db.select().from(deliveryAttempts);
      return all.length === 2 && all;
    });
    expect(attempts ? attempts.map((a) => a.error).sort() : []).toEqual(['HTTP 403', 'HTTP 404']);
    expect([...(await received(box)), ...(await received(`${box}-t`))].map((r) => r.problems)).toEqual([
      [],
      [],
    ]);
    expect(await subscriptionOf(notFound)).toMatchObject({ state: 'active' });
    expect(await subscriptionOf(forbidden)).toMatchObject({ state: 'active' });
  });

  it('stops at once on 410 (an archived Slack channel) and tells the department without the URL', async () => {
    const subscriptionId = await addChat(db, 'slack', box, '410');
    const target = (await subscriptionOf(subscriptionId))?.target ?? '';
    const emails: string[] = [];
    vi.spyOn(env.EMAIL, 'send').mockImplementation(async (message) => {
      const raw = (message as unknown as Record<string, string | ReadableStream>)['EmailMessage::raw'];
      emails.push(typeof raw === 'string' ? raw : await new Response(raw).text());
      return { messageId: '<1@tellus.test>' };
    });
    await submit('Nobody reads this channel now.');
    const subscription = await eventually(async () => {
      const row = await subscriptionOf(subscriptionId);
      return row?.state === 'disabled' && row;
    });
    expect(subscription).toMatchObject({
      disabledBy: 'failures',
      disabledReason: expect.stringMatching(/410/),
    });
    await eventually(() => db.select().from(sentEmails).where(eq(sentEmails.about, subscriptionId)).get());
    expect(emails).toHaveLength(1);
    const email = await PostalMime.parse(emails[0] ?? '');
    const masked = `${new URL(target).origin}/slack/box-…`;
    expect(email.subject).toBe(`Tellus stopped delivering to ${masked}`);
    expect(email.text).toContain(`Slack subscription ${subscriptionId} (${masked})`);
    for (const shown of [emails[0], email.subject, email.text, email.html]) {
      expect(shown).not.toContain(CHAT_URL_TOKEN);
      expect(shown).not.toContain(`${box}/410`);
    }
  });

  it('never posts an answer to a channel: answers go to webhooks alone', async () => {
    await addChat(db, 'slack', box);
    await addWebhook(db, `${box}-hook`);
    const created = await api('POST', '/v1/admin/departments/waste/keys', {
      body: { scopes: ['read', 'answer'] },
    });
    const id = await submit('Missed again.');
    await eventually(async () => (await received(box)).length === 1);
    const answer = await api('POST', `/v1/feedback/${id}/answers`, {
      token: String(created.body.key),
      body: { text: 'Sorry: the crew had the wrong route sheet.' },
    });
    expect(answer.status).toBe(201);
    await eventually(async () => (await received(`${box}-hook`)).length === 2);
    expect((await deliveriesOf(id)).filter((d) => d.answerId)).toEqual([
      expect.objectContaining({ subscriptionId: `sub-${box}-hook` }),
    ]);
    expect(await received(box)).toHaveLength(1);
  });

  it('delivers a failed message when an operator replays it', async () => {
    await addChat(db, 'teams', box, '500,202');
    const id = await submit('Replay me.');
    const [delivery] = await deliveriesOf(id);
    await eventually(async () => (await deliveriesOf(id))[0]?.attempts === 1);
    const replayed = await api('POST', `/v1/admin/deliveries/${delivery?.id}/replay`);
    expect(replayed).toEqual({ status: 200, body: { id: delivery?.id, outcome: 'delivered' } });
    expect((await received(box)).map((r) => [r.status, r.problems])).toEqual([
      [500, []],
      [202, []],
    ]);
  });
});
