/** The problems `POST /v1/feedback` answers with when a story is not stored. */
import { problem } from '../problem';

/** 403: no page origin, or one not registered (for the service, when it is named). */
export function originNotAllowed(
  origin: string | undefined,
  service?: string,
  headers?: Record<string, string>,
) {
  return problem(403, 'origin-not-allowed', {
    detail: !origin
      ? 'Send feedback from a web page: the request has no Origin header'
      : `${origin} is not registered to send feedback${service ? ` for ${service}` : ''}`,
    headers,
  });
}

/** 404: the submission names no service Tellus has. */
export function serviceNotFound(service: string) {
  return problem(404, 'service-not-found', { detail: `No service has the id ${service}` });
}

/** 409: the form token already made a story. */
export function formTokenUsed() {
  return problem(409, 'form-token-used', {
    detail: 'This form token already made a story; a token makes one. Load the widget again for a new one',
    errors: [{ pointer: '/token', field: 'token', detail: 'Already used for another story' }],
  });
}

/** 422: the idempotency key came before with a different story. */
export function idempotencyKeyReused() {
  return problem(422, 'idempotency-key-reused', {
    detail: 'This idempotency key was sent before with a different submission; use a new key',
  });
}
