/** `POST /v1/feedback`: a citizen's rating and story, stored once per idempotency key. */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import {
  BODY_MAX_BYTES,
  type FeedbackCreated,
  FeedbackSubmission,
  type Locale,
  redactPersonalData,
  type Severity,
  severityOf,
  URGENT_HELP,
} from '../../shared';
import { isOriginKnown, readForRefusal } from '../db/queries';
import { type StoredStory, submitStory } from '../db/submit-story';
import { attemptDelivery } from '../delivery/deliver';
import { routesSql } from '../delivery/routing-sql';
import { nextDigestAt } from '../delivery/schedule';
import type { AppEnv } from '../env';
import { sameStory, storyFingerprint } from '../fingerprint';
import { newId } from '../ids';
import { readBody } from '../json-body';
import { knownOrigins as recentlyKnown } from '../known-origins';
import { problem } from '../problem';
import { isOwnOrigin } from '../public-origin';
import { clientKey } from '../spam/client';
import { automationRefusal, challengeRefusal } from '../spam/guard';
import { sha256Hex } from '../spam/keys';
import { checkPreviewToken } from '../spam/preview-token';
import { receiptCode } from '../spam/receipt';
import { REPEAT_WINDOW_MS, repeatKey } from '../spam/repeats';
import { tellusSecret } from '../spam/secret';
import { MAX_SUBSCRIPTIONS_PER_DEPARTMENT } from '../subscription-rules';
import { formTokenUsed, idempotencyKeyReused, originNotAllowed, serviceNotFound } from './feedback-problems';
import { receiptUrl } from './receipts';

export const feedbackRoutes = new Hono<AppEnv>();

/**
 * Whether any service takes posts from an origin: asked once a request, though CORS and the gate
 * both ask, and of D1 only when this isolate has not seen the origin known within a minute.
 */
const knownOrigins = new WeakMap<Request, Promise<boolean>>();
function originKnown(c: Context<AppEnv>, origin: string): Promise<boolean> {
  let known = knownOrigins.get(c.req.raw);
  if (!known) {
    known = recentlyKnown.isKnown(origin, (asked) => isOriginKnown(c.var.db, asked));
    knownOrigins.set(c.req.raw, known);
  }
  return known;
}

// Browsers only let registered sites read our answers. The handler still checks the service's own
// origins itself, because a text/plain POST needs no preflight and CORS alone protects nothing.
feedbackRoutes.use(
  '/',
  cors({
    origin: async (origin, c) => ((await originKnown(c, origin)) ? origin : null),
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type'],
    // The widget reads how long to wait before sending a quick citizen's story again.
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  }),
);

/**
 * Refuses a post from a page registered for no service before its body is even read. That page may
 * read this one refusal (the CORS middleware gave it nothing), so that its widget stops sending
 * rather than retrying a story that can never be taken; it says nothing about the body or the services.
 * Tellus's own origin goes on: from the console's preview, a story with a preview token is a test.
 */
const requireKnownOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('Origin');
  if (!origin) throw originNotAllowed(origin);
  if (!isOwnOrigin(c.env, c.req.url, origin) && !(await originKnown(c, origin))) {
    throw originNotAllowed(origin, undefined, { 'Access-Control-Allow-Origin': origin });
  }
  await next();
});

feedbackRoutes.post(
  '/',
  requireKnownOrigin,
  bodyLimit({
    maxSize: BODY_MAX_BYTES,
    onError: () => {
      throw problem(413, 'payload-too-large', {
        detail: `The body must be at most ${BODY_MAX_BYTES} bytes`,
      });
    },
  }),
  async (c) => {
    const submission = await readBody(c, FeedbackSubmission);
    const db = c.var.db;
    const secret = tellusSecret(c.env);
    const origin = c.req.header('Origin');
    const now = Date.now();
    // A story from the console's preview is a test: stored, never delivered, counted or published.
    const test = submission.preview !== undefined;
    if (submission.preview !== undefined) {
      await requirePreviewToken(secret, submission.service, submission.preview, now);
    }
    // The client's address (an IPv6 one by its /64) is only ever used hashed under our secret,
    // and never stored.
    const address = c.req.header('CF-Connecting-IP');
    const client = await clientKey(secret, address);
    // Personal details never reach D1, a webhook or an email: each becomes a label like [email].
    // A path can hold them too (/cases/AB123456C); the schema has already decoded it and cut
    // its query and fragment.
    const fields = {
      serviceId: submission.service,
      rating: submission.rating,
      story: submission.story?.trim() ? redactPersonalData(submission.story.trim()) : null,
      page: submission.page ? redactPersonalData(submission.page) : null,
      locale: submission.locale,
    };
    // Everything kept about the submission is derived from what is stored, keyed: never a plain
    // hash of the words redaction removed.
    const fingerprint = await storyFingerprint(secret, fields);
    // A test is never taken for a repeat of a citizen's story, nor a citizen's story for a repeat of one.
    const repeat = test
      ? null
      : await repeatKey(secret, submission.service, client, submission.rating, fields.story);
    const ownOriginTest = test && isOwnOrigin(c.env, c.req.url, origin);
    const replay = async (earlier: StoredStory) => {
      if (!(await sameStory(secret, earlier, fingerprint))) throw idempotencyKeyReused();
      c.header('Idempotent-Replayed', 'true');
      return c.json(await created(c.env, secret, earlier), 201);
    };

    // The checks that need no database run before anything is stored. A refused submission costs
    // a second trip, to be answered as before them: an unknown service or origin, or a retry of a
    // stored story (the widget retrying after a lost answer), whose form token and one-use
    // Turnstile token could not pass twice.
    const refusal = await automationRefusal(c.env, { submission, client, now });
    if (refusal) {
      const found = await readForRefusal(db, {
        serviceId: submission.service,
        origin: origin ?? '',
        idempotencyKey: submission.idempotency_key,
      });
      if (!found.serviceFound) throw serviceNotFound(submission.service);
      if (!origin || !(found.originAllowed || ownOriginTest))
        throw originNotAllowed(origin, submission.service);
      if (found.earlier) return replay(found.earlier);
      throw refusal;
    }

    const severity = severityOf(fields.story);
    const id = newId(now);
    const receipt = await receiptCode(secret, submission.idempotency_key);
    const attempt = {
      row: {
        id,
        // The id's time and created_at are the same instant.
        createdAt: new Date(now).toISOString(),
        ...fields,
        severity,
        idempotencyKey: submission.idempotency_key,
        fingerprint,
        receiptHash: await sha256Hex(receipt),
        repeatKey: repeat,
        test,
      },
      origin: origin ?? '',
      ownOriginTest,
      formToken: submission.token,
      repeatSince: new Date(now - REPEAT_WINDOW_MS).toISOString(),
      challengePassed: false,
      // A test is stored, never delivered: it gets no outbox rows.
      routes: test ? null : routesSql({ serviceId: submission.service, rating: submission.rating, severity }),
      // A department has at most this many subscriptions, so a story has at most this many routes.
      outboxIds: Array.from({ length: MAX_SUBSCRIPTIONS_PER_DEPARTMENT }, () => newId(now)),
      dueAt: { each: new Date(now).toISOString(), digest: new Date(nextDigestAt(now)).toISOString() },
    };
    // One round trip checks and stores the story with its outbox rows, or tells why it did not.
    let outcome = await submitStory(db, attempt);
    const refusedOrReplayed = (found: typeof outcome) => {
      if (!found.service) throw serviceNotFound(submission.service);
      if (!origin || !(found.originAllowed || ownOriginTest))
        throw originNotAllowed(origin, submission.service);
      // An earlier story under the key, or a copy of this submission that won a race to store it.
      return found.story && !found.stored ? replay(found.story) : undefined;
    };
    const early = refusedOrReplayed(outcome);
    if (early) return early;
    if (!outcome.stored && outcome.service?.turnstileSecret) {
      // A service that turned Turnstile on had nothing written: its secret came back with the
      // checks, and a token that passes sends the story again, a second trip.
      const challenge = await challengeRefusal(c.env, outcome.service.turnstileSecret, submission, address);
      if (challenge) throw challenge;
      outcome = await submitStory(db, { ...attempt, challengePassed: true });
      const late = refusedOrReplayed(outcome);
      if (late) return late;
    }
    if (outcome.tokenSpent) throw formTokenUsed();

    // The same words from the same client minutes later: dropped quietly, answered as the first,
    // but with a receipt of its own that leads nowhere: never the first story's, which may be
    // someone else's at a shared address.
    if (outcome.repeat) {
      const own = {
        ...outcome.repeat,
        idempotencyKey: submission.idempotency_key,
        locale: submission.locale,
      };
      return c.json(await created(c.env, secret, own), 201);
    }
    if (!outcome.stored || !outcome.story)
      throw new Error(`Story ${id} passed every check but was not stored`);

    // The first attempt starts right after the citizen has their answer, not in their way.
    const due = outcome.outbox.filter((delivery) => delivery.kind === 'each');
    c.executionCtx.waitUntil(
      Promise.allSettled(due.map((delivery) => attemptDelivery(c.env, delivery.id, now))),
    );
    return c.json(await created(c.env, secret, outcome.story), 201);
  },
);

/** Refuses a story whose preview token is not ours for its service, or has expired: nothing is stored. */
async function requirePreviewToken(secret: string, service: string, token: string, now: number) {
  const check = await checkPreviewToken(secret, service, token, now);
  if (check === 'ok') return;
  const detail =
    check === 'expired'
      ? 'The preview token has expired (a preview lasts an hour): open the preview again from the console'
      : `The preview token is not one Tellus signed for ${service}: open the preview from the console`;
  throw problem(422, 'validation-failed', {
    detail,
    errors: [{ pointer: '/preview', field: 'preview', detail }],
  });
}

/** The 201 body: the story's id, the citizen's receipt, and for an urgent story where to get help now. */
async function created(
  env: Env,
  secret: string,
  story: { id: string; idempotencyKey: string; severity: Severity; locale: Locale },
): Promise<FeedbackCreated> {
  const receipt = await receiptCode(secret, story.idempotencyKey);
  return {
    id: story.id,
    receipt,
    receipt_url: receiptUrl(env, receipt),
    ...(story.severity === 'urgent' ? { help: URGENT_HELP[story.locale] } : {}),
  };
}

feedbackRoutes.all('/', () => {
  throw problem(405, 'method-not-allowed', {
    detail: 'Send stories with POST; list them with GET and a department key',
    headers: { Allow: 'GET, POST, OPTIONS' },
  });
});
