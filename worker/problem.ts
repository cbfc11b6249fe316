/** problem+json responses, and the handlers that make sure nothing leaves the worker as HTML. */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  type FieldIssue,
  PROBLEM_CONTENT_TYPE,
  type Problem,
  type ProblemCode,
  problemType,
} from '../shared';

const TITLES: Record<ProblemCode, string> = {
  'validation-failed': 'The submission is not valid',
  'malformed-json': 'The body is not valid JSON',
  'unsupported-media-type': 'The body must be JSON',
  'payload-too-large': 'The body is too large',
  'service-not-found': 'There is no such service',
  'origin-not-allowed': 'This site may not send feedback for this service',
  'idempotency-key-reused': 'This idempotency key was used for a different submission',
  'bad-request': 'The request is not valid',
  unauthorized: 'A valid bearer token is required',
  forbidden: 'This key may not do that',
  conflict: 'That already exists',
  'form-token-invalid': 'The form token is missing or not valid',
  'form-token-used': 'The form token has already made a story',
  'form-too-fast': 'The form was sent too soon after it was shown',
  'spam-suspected': 'The submission looks automated',
  'rate-limited': 'Too many submissions; try again later',
  'challenge-failed': 'The anti-spam challenge was not passed',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'internal-error': 'Something went wrong on our side',
};

interface ProblemOptions {
  detail?: string;
  errors?: FieldIssue[];
  headers?: Record<string, string>;
}

/** A problem+json response for a code and status. */
export function problemResponse(
  status: ContentfulStatusCode,
  code: ProblemCode,
  { detail, errors, headers = {} }: ProblemOptions = {},
): Response {
  const body: Problem = { type: problemType(code), title: TITLES[code], status, code };
  if (detail) body.detail = detail;
  if (errors) body.errors = errors;
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store' },
  });
}

/** An exception that Hono's error handler turns into the problem response it carries. */
export function problem(status: ContentfulStatusCode, code: ProblemCode, options?: ProblemOptions) {
  return new HTTPException(status, { res: problemResponse(status, code, options) });
}

/** Re-sends a response through the context so headers set by middleware (CORS) are kept. */
function throughContext(c: Context, res: Response): Response {
  return c.newResponse(res.body, res);
}

export const onError: ErrorHandler = (err, c) => {
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    if (res.headers.get('Content-Type') === PROBLEM_CONTENT_TYPE) return throughContext(c, res);
    const challenge = res.headers.get('WWW-Authenticate');
    return throughContext(
      c,
      problemResponse(
        err.status,
        statusCode(err.status),
        challenge ? { headers: { 'WWW-Authenticate': challenge } } : {},
      ),
    );
  }
  console.error('Unhandled error', err);
  return throughContext(c, problemResponse(500, 'internal-error'));
};

export const notFound: NotFoundHandler = (c) =>
  problemResponse(404, 'not-found', { detail: `No route for ${c.req.method} ${c.req.path}` });

/** The code for an HTTPException thrown without a problem body (by Hono itself or middleware). */
function statusCode(status: number): ProblemCode {
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not-found';
  if (status === 405) return 'method-not-allowed';
  if (status === 413) return 'payload-too-large';
  if (status === 415) return 'unsupported-media-type';
  if (status >= 500) return 'internal-error';
  return 'bad-request';
}
