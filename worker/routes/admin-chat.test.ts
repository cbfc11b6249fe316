// Teams and Slack subscriptions through the operator API: the URL whole only in the answer that created it.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client';
import { auditEvents, deliveries } from '../db/schema';
import { consumeRetries } from '../delivery/handlers';
import { newId } from '../ids';
import { api } from '../test/api';
import { addChat, received, seed, submitStory } from '../test/seed';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

const SLACK_URL = 'https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/aBcDeFgHiJkLmNoPqRsTuVwX';
const TEAMS_URL =
  'https://prod-12.westeurope.logic.azure.com:443/workflows/8f3c2b1a9d7e4f60/triggers/manual/paths/invoke?api-version=2016-06-01&sig=Zx9yW8vU7tS6rQ5pO4nM3l';

describe('Teams and Slack subscriptions in the operator API', () => {
  it('shows the URL whole when it is created, then only masked: in the list, on enable and disable, in the audit log', async () => {
    const slack = await api('POST', '/v1/admin/subscriptions', {
      body: { department_id: 'waste', kind: 'slack', target: SLACK_URL, min_severity: 'urgent' },
    });
    const teams = await api('POST', '/v1/admin/subscriptions', {
      body: { department_id: 'waste', kind: 'teams', target: TEAMS_URL, max_rating: 2 },
    });
    expect(slack).toMatchObject({
      status: 201,
      body: { kind: 'slack', target: SLACK_URL, secret: null, hasSecret: false, mode: 'each' },
    });
    expect(teams).toMatchObject({ status: 201, body: { kind: 'teams', target: TEAMS_URL, maxRating: 2 } });

    const listed = await api('GET', '/v1/admin/subscriptions?department=waste');
    expect(listed.body.subscriptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: slack.body.id, target: 'https://hooks.slack.com/services/T0AB…' }),
        expect.objectContaining({
          id: teams.body.id,
          target: 'https://prod-12.westeurope.logic.azure.com:443/workflows/8f3c…',
        }),
      ]),
    );
    const disabled = await api('POST', `/v1/admin/subscriptions/${slack.body.id}/disable`);
    const enabled = await api('POST', `/v1/admin/subscriptions/${slack.body.id}/enable`);
    for (const shown of [listed, disabled, enabled]) {
      expect(JSON.stringify(shown.body)).not.toContain('aBcDeFgHiJkLmNoPqRsTuVwX');
      expect(JSON.stringify(shown.body)).not.toContain('Zx9yW8vU7tS6rQ5pO4nM3l');
    }
    expect(enabled.body.target).toBe('https://hooks.slack.com/services/T0AB…');

    const entries = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subject, String(slack.body.id)));
    expect(entries.map((e) => [e.action, e.after?.target])).toEqual([
      ['subscription.created', 'https://hooks.slack.com/services/T0AB…'],
      ['subscription.disabled', 'https://hooks.slack.com/services/T0AB…'],
      ['subscription.enabled', 'https://hooks.slack.com/services/T0AB…'],
    ]);
    const log = JSON.stringify(await db.select().from(auditEvents));
    expect(log).not.toContain('aBcDeFgHiJkLmNoPqRsTuVwX');
    expect(log).not.toContain('Zx9yW8vU7tS6rQ5pO4nM3l');
  });

  it.each([
    [{ kind: 'slack', target: SLACK_URL, mode: 'daily' }, 'mode', 'Only email has daily digests'],
    [{ kind: 'teams', target: TEAMS_URL, mode: 'daily' }, 'mode', 'Only email has daily digests'],
    [{ kind: 'slack', target: SLACK_URL.replace('https', 'http') }, 'target', 'The Slack URL must use https'],
    [
      { kind: 'teams', target: 'https://10.1.2.3/workflows/x' },
      'target',
      'The Microsoft Teams URL must use a host name',
    ],
    [{ kind: 'slack', target: 'not a URL' }, 'target', 'must be an absolute URL'],
  ])('refuses the subscription %j with problem+json naming the field', async (fields, field, words) => {
    const res = await api('POST', '/v1/admin/subscriptions', { body: { department_id: 'waste', ...fields } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({ field, detail: expect.stringContaining(words) }),
    );
  });

  it('has no signing secret to rotate', async () => {
    const created = await api('POST', '/v1/admin/subscriptions', {
      body: { department_id: 'waste', kind: 'slack', target: SLACK_URL },
    });
    const id = String(created.body.id);
    expect(await api('POST', `/v1/admin/subscriptions/${id}/rotate-secret`)).toMatchObject({
      status: 422,
      body: { detail: 'Only webhooks have secrets' },
    });
  });

  it.each(['teams', 'slack'] as const)(
    'sends a %s test message in the shape the channel takes, linking to the subscriptions page',
    async (kind) => {
      const box = `box-${newId()}`;
      const id = await addChat(db, kind, box);
      expect(await api('POST', `/v1/admin/subscriptions/${id}/test`)).toEqual({
        status: 200,
        body: { ok: true, status: 200, error: null },
      });
      const [got] = await received(box);
      expect(got).toMatchObject({ problems: [], signature: null });
      expect(got?.raw).toContain(`${env.PUBLIC_URL}/console/subscriptions`);
      expect(got?.raw).toContain('This is a test message from Tellus');
    },
  );

  it('re-enables a Slack subscription that stopped and replays what waited, through the queue', async () => {
    const box = `box-${newId()}`;
    const id = await addChat(db, 'slack', box, '200', { state: 'disabled', disabledBy: 'failures' });
    const storyIds = [await submitStory('One.'), await submitStory('Two.')];
    await db.insert(deliveries).values(
      storyIds.map((feedbackId) => ({
        id: newId(),
        feedbackId,
        subscriptionId: id,
        kind: 'each' as const,
        dueAt: new Date(Date.now() + 3600_000).toISOString(),
      })),
    );
    expect((await api('POST', `/v1/admin/subscriptions/${id}/enable`)).body).toMatchObject({
      state: 'active',
    });
    const enqueued = vi.spyOn(env.DELIVERIES, 'sendBatch');
    expect(await api('POST', `/v1/admin/subscriptions/${id}/replay`)).toMatchObject({
      status: 202,
      body: { due: 2 },
    });
    const messages = enqueued.mock.calls.flatMap(([batch]) => [...batch]);
    await consumeRetries(
      { queue: 'q', messages: messages.map(({ body }) => ({ body, ack() {}, retry() {} })) } as never,
      env,
    );
    const got = await received(box);
    expect(got.map((r) => [r.status, r.problems])).toEqual([
      [200, []],
      [200, []],
    ]);
  });
});
