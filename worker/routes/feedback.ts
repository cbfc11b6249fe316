/** `POST /v1/feedback`: a citizen's rating and story, stored once per idempotency key. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import {
  BODY_MAX_BYTES,
  type FeedbackCreated,
  FeedbackSubmission,
  redactPersonalData,
  severityOf,
} from '../../shared';
import { subscriptionsOfServiceDepartment } from '../db/deliveries';
import { findService, isOriginAllowed, isOriginKnown, storeStory } from '../db/queries';
import { attemptDelivery } from '../delivery/deliver';
import { subscriptionsFor } from '../delivery/routing';
import { nextDigestAt } from '../delivery/schedule';
import type { AppEnv } from '../env';
import { submissionFingerprint } from '../fingerprint';
import { newId } from '../ids';
import { readBody } from '../json-body';
import { problem } from '../problem';

export const feedbackRoutes = new Hono<AppEnv>();

// Browsers only let registered sites read our answers. The handler still checks the service's own
// origins itself, because a text/plain POST needs no preflight and CORS alone protects nothing.
feedbackRoutes.use(
  '/',
  cors({
    origin: async (origin, c) => ((await isOriginKnown(c.var.db, origin)) ? origin : null),
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
  }),
);

/** Refuses a post from a page registered for no service before its body is even read. */
const requireKnownOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('Origin');
  if (!origin || !(await isOriginKnown(c.var.db, origin))) throw originNotAllowed(origin);
  await next();
});

function originNotAllowed(origin: string | undefined, service?: string) {
  return problem(403, 'origin-not-allowed', {
    detail: !origin
      ? 'Send feedback from a web page: the request has no Origin header'
      : `${origin} is not registered to send feedback${service ? ` for ${service}` : ''}`,
  });
}

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

    if (!(await findService(db, submission.service))) {
      throw problem(404, 'service-not-found', { detail: `No service has the id ${submission.service}` });
    }
    const origin = c.req.header('Origin');
    if (!origin || !(await isOriginAllowed(db, submission.service, origin))) {
      throw originNotAllowed(origin, submission.service);
    }

    const now = Date.now();
    const fingerprint = await submissionFingerprint(submission);
    // Personal details never reach D1, a webhook or an email: each becomes a label like [email].
    const story = submission.story?.trim() ? redactPersonalData(submission.story.trim()) : null;
    const severity = severityOf(story);
    const id = newId(now);
    const routes = subscriptionsFor(
      { serviceId: submission.service, rating: submission.rating, severity },
      await subscriptionsOfServiceDepartment(db, submission.service),
    );
    const outbox = routes.map((route) => ({
      id: newId(now),
      feedbackId: id,
      subscriptionId: route.subscriptionId,
      kind: route.kind,
      dueAt: new Date(route.kind === 'digest' ? nextDigestAt(now) : now).toISOString(),
    }));
    const stored = await storeStory(
      db,
      {
        id,
        serviceId: submission.service,
        rating: submission.rating,
        story,
        page: submission.page ?? null,
        locale: submission.locale,
        severity,
        idempotencyKey: submission.idempotency_key,
        fingerprint,
      },
      outbox,
    );
    if (stored.fingerprint !== fingerprint) {
      throw problem(422, 'idempotency-key-reused', {
        detail: 'This idempotency key was sent before with a different submission; use a new key',
      });
    }
    if (stored.replayed) {
      c.header('Idempotent-Replayed', 'true');
    } else {
      // The first attempt starts right after the citizen has their answer, not in their way.
      const due = outbox.filter((delivery) => delivery.kind === 'each');
      c.executionCtx.waitUntil(
        Promise.allSettled(due.map((delivery) => attemptDelivery(c.env, delivery.id, now))),
      );
    }
    return c.json<FeedbackCreated>({ id: stored.id }, 201);
  },
);

feedbackRoutes.all('/', () => {
  throw problem(405, 'method-not-allowed', {
    detail: 'Send stories with POST',
    headers: { Allow: 'POST, OPTIONS' },
  });
});
