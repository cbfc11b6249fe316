/** The problem types every Tellus error carries (RFC 9457 `application/problem+json`). */
import type { FieldIssue } from './feedback';

/** Stable codes; the widget maps each to text for citizens, integrators match on them. */
export const PROBLEM_CODES = [
  'validation-failed',
  'malformed-json',
  'unsupported-media-type',
  'payload-too-large',
  'service-not-found',
  'origin-not-allowed',
  'idempotency-key-reused',
  'not-found',
  'method-not-allowed',
  'bad-request',
  'unauthorized',
  'forbidden',
  'conflict',
  'form-token-invalid',
  'form-token-used',
  'form-too-fast',
  'spam-suspected',
  'rate-limited',
  'challenge-failed',
  'internal-error',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** The media type of every error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem details body with Tellus's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  errors?: FieldIssue[];
}

/** The `type` URI of a problem code. */
export function problemType(code: ProblemCode): string {
  return `urn:tellus:problem:${code}`;
}

/** True when a parsed body looks like a Tellus problem. */
export function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Problem).code === 'string' &&
    typeof (body as Problem).status === 'number'
  );
}
