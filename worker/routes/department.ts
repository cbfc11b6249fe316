/**
 * The department API, `/v1/feedback…` with `Authorization: Bearer <department key>`: a department
 * lists, reads and moves its own stories. A story of another department is not found, not forbidden.
 */
import { type Context, Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { FeedbackChange, FeedbackQuery, type KeyScope, NewAnswer, parseBody } from '../../shared';
import { answersTo, findActiveKey, findStory, listStories, markKeyUsed } from '../db/department';
import type { AppEnv } from '../env';
import { readBody } from '../json-body';
import { problem } from '../problem';
import { sha256Hex } from '../spam/keys';
import { CSV_HEADERS, storiesCsv } from '../stories-csv';
import { type Actor, answerStory, type Refusal, updateStory } from '../story-actions';

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
    c.set('actor', `API key ${found.label ?? found.id}`);
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

const actor = (c: Context<AppEnv>): Actor => ({ department: c.var.department, by: c.var.actor });

/** A refused action as problem+json. */
const refused = ({ status, detail }: Refusal) =>
  problem(status, status === 404 ? 'not-found' : 'conflict', { detail });

/**
 * `GET /v1/feedback.csv`: the same filters as the list, every page of them, streamed as CSV so a
 * big export never sits whole in memory.
 */
export const exportCsv = new Hono<AppEnv>().get('/', requireKey('read'), async (c) => {
  const query = readQuery(c.req.query());
  const body = storiesCsv(c.var.db, c.var.department, query, (p) => c.executionCtx.waitUntil(p));
  return c.body(body, 200, CSV_HEADERS);
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

/** A public answer; see `answerStory`. */
departmentRoutes.post('/:id/answers', requireKey('answer'), async (c) => {
  const input = await readBody(c, NewAnswer);
  const result = await answerStory(c.env, c.var.db, actor(c), c.req.param('id'), input, (p) =>
    c.executionCtx.waitUntil(p),
  );
  if (!result.ok) throw refused(result);
  const answer = result.value;
  return c.json(
    {
      id: answer.id,
      feedback_id: answer.feedbackId,
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
  const result = await updateStory(c.var.db, actor(c), c.req.param('id'), change);
  if (!result.ok) throw refused(result);
  return c.json(result.value);
});
