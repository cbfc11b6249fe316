/**
 * The department API, `/v1/feedback…` with `Authorization: Bearer <department key>`: a department
 * lists, reads and moves its own stories. A story of another department is not found, not forbidden.
 */
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  canMoveStatus,
  FeedbackChange,
  FeedbackQuery,
  type KeyScope,
  NewAnswer,
  parseBody,
} from '../../shared';
import { csvRow } from '../csv';
import {
  answersTo,
  changeStory,
  findActiveKey,
  findStory,
  listStories,
  markKeyUsed,
  storeAnswer,
  webhooksFor,
} from '../db/department';
import { findService } from '../db/queries';
import { attemptDelivery } from '../delivery/deliver';
import type { AppEnv } from '../env';
import { newId } from '../ids';
import { readBody } from '../json-body';
import { problem } from '../problem';
import { sha256Hex } from '../spam/keys';

/** Stories a page when the caller does not say. */
const DEFAULT_PAGE_SIZE = 50;

/** Lets the request through with a live department key that has `scope`; sets `department`. */
export const requireKey = (scope: KeyScope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('Authorization')?.match(/^Bearer (\S+)$/)?.[1];
    const found = key ? await findActiveKey(c.var.db, await sha256Hex(key)) : undefined;
    if (!found) {
      throw problem(401, 'unauthorized', {
        detail: 'Send a department key: Authorization: Bearer <key>',
        headers: { 'WWW-Authenticate': 'Bearer realm="tellus"' },
      });
    }
    if (!found.scopes.includes(scope)) {
      throw problem(403, 'forbidden', { detail: `This key has no ${scope} scope` });
    }
    await markKeyUsed(c.var.db, found.id, new Date().toISOString());
    c.set('department', found.departmentId);
    await next();
  });

/** The query string validated against `FeedbackQuery`, or a 422 naming each bad parameter. */
export function readQuery(query: Record<string, string>): FeedbackQuery {
  const parsed = parseBody(FeedbackQuery, query);
  if (!parsed.ok) {
    throw problem(422, 'validation-failed', {
      detail: 'One or more query parameters are not valid',
      errors: parsed.issues,
    });
  }
  return parsed.value;
}

export const departmentRoutes = new Hono<AppEnv>();

/** Stories read from D1 for each stretch of the CSV export. */
const EXPORT_PAGE_SIZE = 500;

const CSV_COLUMNS = [
  'id',
  'created_at',
  'service',
  'rating',
  'status',
  'severity',
  'tags',
  'page',
  'locale',
  'story',
];

/**
 * `GET /v1/feedback.csv`: the same filters as the list, every page of them, streamed as CSV so a
 * big export never sits whole in memory.
 */
export const exportCsv = new Hono<AppEnv>().get('/', requireKey('read'), async (c) => {
  const query = readQuery(c.req.query());
  const { db, department } = c.var;
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const write = async () => {
    try {
      await writer.write(encoder.encode(csvRow(CSV_COLUMNS)));
      let cursor = query.cursor;
      for (;;) {
        const { stories, more } = await listStories(db, department, { ...query, cursor }, EXPORT_PAGE_SIZE);
        const rows = stories.map((s) =>
          csvRow([
            s.id,
            s.created_at,
            s.service,
            s.rating,
            s.status,
            s.severity,
            s.tags.join('; '),
            s.page,
            s.locale,
            s.story,
          ]),
        );
        if (rows.length) await writer.write(encoder.encode(rows.join('')));
        cursor = stories.at(-1)?.id;
        if (!more) break;
      }
      await writer.close();
    } catch (err) {
      // The 200 is already on its way: the file ends short, and the log says why.
      console.error('CSV export failed part way', err);
      await writer.abort(err);
    }
  };
  c.executionCtx.waitUntil(write());
  return c.body(readable, 200, {
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': 'attachment; filename="tellus-stories.csv"',
    'Cache-Control': 'no-store',
  });
});

departmentRoutes.get('/', requireKey('read'), async (c) => {
  const query = readQuery(c.req.query());
  const { stories, more } = await listStories(
    c.var.db,
    c.var.department,
    query,
    query.limit ?? DEFAULT_PAGE_SIZE,
  );
  c.header('Cache-Control', 'no-store');
  return c.json({ stories, next_cursor: more ? (stories.at(-1)?.id ?? null) : null });
});

departmentRoutes.get('/:id', requireKey('read'), async (c) => {
  const story = await findStory(c.var.db, c.var.department, c.req.param('id'));
  if (!story) throw problem(404, 'not-found', { detail: 'Your department has no story with this id' });
  c.header('Cache-Control', 'no-store');
  return c.json(story);
});

/**
 * A public answer: stored with the story marked answered, and sent at once as `feedback.answered`
 * to the department's webhooks (with retries like any delivery). The citizen's receipt shows it.
 */
departmentRoutes.post('/:id/answers', requireKey('answer'), async (c) => {
  const input = await readBody(c, NewAnswer);
  const { db, department } = c.var;
  const story = await findStory(db, department, c.req.param('id'));
  if (!story) throw problem(404, 'not-found', { detail: 'Your department has no story with this id' });
  if (story.status === 'closed') throw problem(409, 'conflict', { detail: 'This story is closed' });
  const now = Date.now();
  const answer = {
    id: newId(now),
    feedbackId: story.id,
    text: input.text,
    changed: input.changed,
    change: input.changed ? (input.change ?? null) : null,
    createdAt: new Date(now).toISOString(),
  };
  const wanted = { serviceId: story.service, rating: story.rating, severity: story.severity };
  const outbox = (await webhooksFor(db, department, wanted)).map((subscription) => ({
    id: newId(now),
    feedbackId: story.id,
    subscriptionId: subscription.id,
    kind: 'each' as const,
    answerId: answer.id,
    dueAt: answer.createdAt,
  }));
  await storeAnswer(db, answer, outbox);
  c.executionCtx.waitUntil(Promise.allSettled(outbox.map((row) => attemptDelivery(c.env, row.id, now))));
  return c.json(
    {
      id: answer.id,
      feedback_id: story.id,
      text: answer.text,
      changed: answer.changed,
      change: answer.change,
      created_at: answer.createdAt,
    },
    201,
  );
});

departmentRoutes.get('/:id/answers', requireKey('read'), async (c) => {
  const story = await findStory(c.var.db, c.var.department, c.req.param('id'));
  if (!story) throw problem(404, 'not-found', { detail: 'Your department has no story with this id' });
  return c.json({ answers: await answersTo(c.var.db, story.id) });
});

departmentRoutes.patch('/:id', requireKey('answer'), async (c) => {
  const change = await readBody(c, FeedbackChange);
  const story = await findStory(c.var.db, c.var.department, c.req.param('id'));
  if (!story) throw problem(404, 'not-found', { detail: 'Your department has no story with this id' });
  if (change.status && change.status !== story.status && !canMoveStatus(story.status, change.status)) {
    throw problem(409, 'conflict', {
      detail: `A story cannot go from ${story.status} to ${change.status}: statuses go new, acknowledged, answered, closed`,
    });
  }
  if (change.published && !(await findService(c.var.db, story.service))?.publishing) {
    throw problem(409, 'conflict', {
      detail: 'This service does not publish stories; an operator can allow it',
    });
  }
  await changeStory(c.var.db, story.id, change);
  return c.json({ ...story, ...change });
});
