/** `POST /v1/feedback`: a citizen's rating and story, stored once per idempotency key. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { BODY_MAX_BYTES, type FeedbackCreated, parseFeedbackSubmission } from '../../shared';
import { findService, insertFeedback, isOriginAllowed, isOriginKnown } from '../db/queries';
import type { AppEnv } from '../env';
import { newId } from '../ids';
import { problem } from '../problem';

const JSON_TYPES = ['application/json', 'text/plain'];

export const feedbackRoutes = new Hono<AppEnv>();

// The browser's CORS check is a courtesy to the page; the POST handler enforces the
// service's own origins itself, because a text/plain POST needs no preflight.
feedbackRoutes.use(
  '/',
  cors({
    origin: async (origin, c) => ((await isOriginKnown(c.var.db, origin)) ? origin : null),
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
  }),
);

feedbackRoutes.post(
  '/',
  bodyLimit({
    maxSize: BODY_MAX_BYTES,
    onError: () => {
      throw problem(413, 'payload-too-large', {
        detail: `The body must be at most ${BODY_MAX_BYTES} bytes`,
      });
    },
  }),
  async (c) => {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!JSON_TYPES.includes(mediaType)) {
      throw problem(415, 'unsupported-media-type', { detail: 'Send the body as application/json' });
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw problem(400, 'malformed-json', { detail: 'The body could not be parsed as JSON' });
    }
    const parsed = parseFeedbackSubmission(body);
    if (!parsed.ok) {
      throw problem(422, 'validation-failed', {
        detail: 'One or more fields are not valid',
        errors: parsed.issues,
      });
    }
    const submission = parsed.value;
    const db = c.var.db;

    if (!(await findService(db, submission.service))) {
      throw problem(404, 'service-not-found', { detail: `No service has the id ${submission.service}` });
    }
    const origin = c.req.header('Origin');
    if (!origin || !(await isOriginAllowed(db, submission.service, origin))) {
      throw problem(403, 'origin-not-allowed', {
        detail: origin
          ? `${origin} is not an allowed origin for ${submission.service}`
          : 'Requests must come from a page with an Origin header',
      });
    }

    const stored = await insertFeedback(db, {
      id: newId(),
      serviceId: submission.service,
      rating: submission.rating,
      story: submission.story?.trim() || null,
      page: submission.page ?? null,
      locale: submission.locale,
      idempotencyKey: submission.idempotency_key,
    });
    if (stored.serviceId !== submission.service) {
      throw problem(409, 'idempotency-key-reused', {
        detail: 'Send each new submission with a new idempotency key',
      });
    }
    if (stored.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json<FeedbackCreated>({ id: stored.id }, 201);
  },
);
