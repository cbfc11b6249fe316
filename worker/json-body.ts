/** Reading a JSON request body into a shared schema, with problem+json for every way it can fail. */
import type { Context } from 'hono';
import type * as v from 'valibot';
import { BODY_MAX_BYTES, parseBody } from '../shared';
import { problem } from './problem';

const JSON_TYPES = ['application/json', 'text/plain'];

/** The body parsed as JSON and validated, or a thrown 415, 400 or 422 problem. */
export async function readBody<T extends v.GenericSchema>(c: Context, schema: T): Promise<v.InferOutput<T>> {
  const mediaType = c.req.header('Content-Type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPES.includes(mediaType)) {
    throw problem(415, 'unsupported-media-type', { detail: 'Send the body as application/json' });
  }
  const text = await c.req.text();
  // Counted here too, not only from Content-Length: a body must never be larger than it says.
  if (new TextEncoder().encode(text).length > BODY_MAX_BYTES) {
    throw problem(413, 'payload-too-large', { detail: `The body must be at most ${BODY_MAX_BYTES} bytes` });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw problem(400, 'malformed-json', { detail: 'The body could not be parsed as JSON' });
  }
  const parsed = parseBody(schema, body);
  if (!parsed.ok) {
    throw problem(422, 'validation-failed', {
      detail: 'One or more fields are not valid',
      errors: parsed.issues,
    });
  }
  return parsed.value;
}
