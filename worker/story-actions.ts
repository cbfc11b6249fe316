/**
 * What a department does to one of its stories, whichever door it comes through (the API or the
 * console): answer it, move its status, tag it, publish it. Each returns a result, never throws for
 * a refusal, so the API can answer problem+json and the console a page that says what to do.
 */
import { canMoveStatus, type FeedbackChange, type NewAnswer, type Status } from '../shared';
import type { Db } from './db/client';
import { changeStory, findStory, storeAnswer, webhooksFor } from './db/department';
import { findService } from './db/queries';
import { attemptDelivery } from './delivery/deliver';
import { newId } from './ids';

export type Refusal = { ok: false; status: 404 | 409; detail: string };
export type ActionResult<T> = { ok: true; value: T } | Refusal;

const NOT_FOUND: Refusal = { ok: false, status: 404, detail: 'Your department has no story with this id' };
const MOVED_MEANWHILE: Refusal = {
  ok: false,
  status: 409,
  detail: 'Someone changed this story’s status meanwhile: look again',
};

/** Who did it, for the story's history: a member's address, or an API key. */
export interface Actor {
  department: string;
  by: string;
}

/** An answer that came as a reply to an alert email: the hash of its `Message-ID`, and its sender. */
export interface ByEmail {
  messageIdHash: string;
  from: string;
}

/**
 * A public answer: stored with the story marked answered, and sent at once as `feedback.answered`
 * to the department's webhooks (with retries like any delivery). The citizen's receipt shows it.
 * An answer `byEmail` is stored only if its message was not taken before.
 */
export async function answerStory(
  env: Env,
  db: Db,
  actor: Actor,
  storyId: string,
  input: NewAnswer,
  waitUntil: (promise: Promise<unknown>) => void,
  byEmail?: ByEmail,
) {
  const story = await findStory(db, actor.department, storyId);
  if (!story) return NOT_FOUND;
  if (story.status === 'closed') return { ok: false, status: 409, detail: 'This story is closed' } as Refusal;
  const now = Date.now();
  const at = new Date(now).toISOString();
  const answer = {
    id: newId(now),
    feedbackId: story.id,
    text: input.text,
    changed: input.changed,
    change: input.changed ? (input.change ?? null) : null,
    createdAt: at,
  };
  const wanted = { serviceId: story.service, rating: story.rating, severity: story.severity };
  const outbox = (await webhooksFor(db, actor.department, wanted)).map((subscription) => ({
    id: newId(now),
    feedbackId: story.id,
    subscriptionId: subscription.id,
    kind: 'each' as const,
    answerId: answer.id,
    dueAt: at,
  }));
  const change =
    story.status === 'answered'
      ? undefined
      : {
          id: newId(now),
          feedbackId: story.id,
          from: story.status,
          to: 'answered' as Status,
          by: actor.by,
          at,
        };
  const reply = byEmail && { ...byEmail, answerId: answer.id, receivedAt: at };
  if (!(await storeAnswer(db, answer, story.status, outbox, change, reply))) return MOVED_MEANWHILE;
  waitUntil(Promise.allSettled(outbox.map((row) => attemptDelivery(env, row.id, now))));
  return { ok: true, value: answer } as const;
}

/** A change of status (new → acknowledged, or to closed), tags, or publishing. */
export async function updateStory(db: Db, actor: Actor, storyId: string, asked: FeedbackChange) {
  // The same tag twice (tags are lowercased) is one tag.
  const change = asked.tags ? { ...asked, tags: [...new Set(asked.tags)] } : asked;
  const story = await findStory(db, actor.department, storyId);
  if (!story) return NOT_FOUND;
  if (change.status && change.status !== story.status && !canMoveStatus(story.status, change.status)) {
    return {
      ok: false,
      status: 409,
      detail:
        change.status === 'answered'
          ? 'A story is answered by answering it'
          : `A story cannot go from ${story.status} to ${change.status}: statuses go new, acknowledged, answered, closed`,
    } as Refusal;
  }
  if (change.published && !(await findService(db, story.service))?.publishing) {
    return {
      ok: false,
      status: 409,
      detail: 'This service does not publish stories; an admin can allow it in the service’s settings',
    } as Refusal;
  }
  const now = Date.now();
  const moved =
    change.status && change.status !== story.status
      ? {
          id: newId(now),
          feedbackId: story.id,
          from: story.status,
          to: change.status,
          by: actor.by,
          at: new Date(now).toISOString(),
        }
      : undefined;
  if (!(await changeStory(db, story.id, change, moved))) return MOVED_MEANWHILE;
  return { ok: true, value: { ...story, ...change } } as const;
}
