/**
 * `POST /v1/receipts/lookup`: the returning citizen's widget asks, in one request, which of the
 * receipts it keeps for a service name a story, what the team has answered, who the team is, and
 * where each receipt's page is.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { BODY_MAX_BYTES, ReceiptLookup } from '../../shared';
import type { ReceiptLookupResult } from '../../shared/responses';
import { findReceiptStatuses } from '../db/receipts';
import type { AppEnv } from '../env';
import { readBody } from '../json-body';
import { problem } from '../problem';
import { clientKey } from '../spam/client';
import { sha256Hex } from '../spam/keys';
import { tellusSecret } from '../spam/secret';
import { receiptUrl } from './receipts';

/** How long a client that hit the lookup limit is asked to wait, in seconds (the limiter's period). */
const RETRY_AFTER_SECONDS = 60;

export const receiptLookupRoutes = new Hono<AppEnv>();

// Any page may ask, without credentials: the codes in the body are the only key, and nothing is
// readable without them. The widget sends text/plain, which needs no preflight.
receiptLookupRoutes.use(
  '/',
  cors({ origin: '*', allowMethods: ['POST'], allowHeaders: ['Content-Type'], maxAge: 600 }),
);

receiptLookupRoutes.post(
  '/',
  bodyLimit({
    maxSize: BODY_MAX_BYTES,
    onError: () => {
      throw problem(413, 'payload-too-large', { detail: `The body must be at most ${BODY_MAX_BYTES} bytes` });
    },
  }),
  async (c) => {
    c.header('Cache-Control', 'no-store');
    const client = await clientKey(tellusSecret(c.env), c.req.header('CF-Connecting-IP'));
    if (!(await c.env.RECEIPT_LOOKUPS.limit({ key: client })).success) {
      throw problem(429, 'rate-limited', {
        detail: 'Too many receipt lookups from one address; try again in a minute',
        headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      });
    }
    const lookup = await readBody(c, ReceiptLookup);
    const codes = [...new Set(lookup.receipts)];
    // Every code is hashed and looked up in the same one query, known or not, so an unknown code
    // takes as long as a known one.
    const hashes = await Promise.all(codes.map(sha256Hex));
    const found = new Map(
      (await findReceiptStatuses(c.var.db, lookup.service, hashes)).map((story) => [
        story.receiptHash,
        story,
      ]),
    );
    const receipts = codes.flatMap((receipt, index) => {
      const story = found.get(hashes[index] as string);
      if (!story) return [];
      return [
        {
          receipt,
          status: story.status,
          answers: story.answers.map(({ createdAt, ...answer }) => ({ ...answer, created_at: createdAt })),
          // Who answers, as the citizen knows them: the department by its name, never a person.
          department: { name: story.departmentName },
          receipt_url: receiptUrl(c.env, receipt),
          created_at: story.createdAt,
        },
      ];
    });
    return c.json({ receipts } satisfies ReceiptLookupResult);
  },
);

receiptLookupRoutes.all('/', () => {
  throw problem(405, 'method-not-allowed', {
    detail: 'Send receipt codes with POST, in the body',
    headers: { Allow: 'POST, OPTIONS' },
  });
});
