import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { answers, feedback, subscriptions } from '../db/schema';
import { call, setUpConsole, signIn } from '../test/console';
import { addWebhook, submitStory } from '../test/seed';
import { UNREADABLE_FORM } from './form-body';

let db: Db;
beforeEach(async () => {
  db = await setUpConsole();
});

/** Bodies that say they are multipart but are not. */
const BROKEN = [
  { contentType: 'multipart/form-data; boundary=tellus', body: 'text=Hello&csrf=x' },
  {
    contentType: 'multipart/form-data',
    body: '--tellus\r\nContent-Disposition: form-data; name="text"\r\n\r\nHi',
  },
  {
    contentType: 'multipart/form-data; boundary=tellus',
    body: '--tellus\r\nContent-Disposition: form-data; name="text"\r\n\r\nnever ends',
  },
];

const summary = `<a href="#text">${UNREADABLE_FORM}</a>`;

describe('a console form whose body cannot be read', () => {
  it.each(BROKEN)('is answered 400 with its form again, nothing changed (%j)', async (raw) => {
    const cookie = await signIn();
    const id = await submitStory('A story.');
    const subscription = await addWebhook(db, 'unread', '200');

    const answer = await call(`/console/stories/${id}/answers`, { method: 'POST', cookie, raw });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('<title>Error: Story');
    expect(answer.text).toContain(summary);
    expect(answer.text).toContain(`action="/console/stories/${id}/answers"`);

    const status = await call(`/console/stories/${id}/status`, { method: 'POST', cookie, raw });
    expect(status.status).toBe(400);
    expect(status.text).toContain(`<a href="#status">${UNREADABLE_FORM}</a>`);

    const added = await call('/console/subscriptions', { method: 'POST', cookie, raw });
    expect(added.status).toBe(400);
    expect(added.text).toContain(`<a href="#target">${UNREADABLE_FORM}</a>`);
    expect(added.text).toContain('action="/console/subscriptions"');

    const paused = await call(`/console/subscriptions/${subscription}/pause`, {
      method: 'POST',
      cookie,
      raw,
    });
    expect(paused.status).toBe(400);
    expect(paused.text).toContain(UNREADABLE_FORM);

    const replayed = await call('/console/deliveries/nothing/replay', { method: 'POST', cookie, raw });
    expect(replayed.status).toBe(400);

    const signIn_ = await call('/console/sign-in', { method: 'POST', raw });
    expect(signIn_.status).toBe(400);
    expect(signIn_.text).toContain(`<a href="#email">${UNREADABLE_FORM}</a>`);
    expect(signIn_.text).toContain('action="/console/sign-in"');

    const signOut = await call('/console/sign-out', { method: 'POST', cookie, raw });
    expect(signOut.status).toBe(400);
    expect(signOut.text).toContain('action="/console/sign-out"');
    // Still signed in: the sign-out was not read, so it did not happen.
    expect((await call('/console/stories', { cookie })).status).toBe(200);

    expect(await db.select({ n: count() }).from(answers)).toEqual([{ n: 0 }]);
    expect((await db.select().from(feedback).where(eq(feedback.id, id)).get())?.status).toBe('new');
    expect((await db.select().from(subscriptions)).map((s) => s.state)).toEqual(['active']);
  });
});
