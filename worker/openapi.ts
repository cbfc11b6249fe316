/**
 * The OpenAPI 3.1 document of every route, served at `GET /v1/openapi.json`, and the contract the
 * worker is tested against (contract.test.ts). Request and response bodies and query parameters
 * are generated from the same `shared/` valibot schemas the worker validates with; what those
 * schemas check in code (`v.check`) carries its JSON Schema beside it as `v.metadata`, and the
 * few rules the worker enforces outside the schemas are added here, in `WORKER_RULES`.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { PROBLEM_CODES } from '../shared';
import { ADMIN_OPERATIONS } from './openapi-admin';
import { BODY_SCHEMAS, type BodyName, type Operation, QUERIES, RESPONSE_SCHEMAS } from './openapi-answers';
import { PUBLIC_OPERATIONS } from './openapi-routes';

export { BODY_SCHEMAS, QUERIES, RESPONSE_SCHEMAS };

/** Every route the worker serves, by OpenAPI path and method. */
export const OPERATIONS: Record<string, Record<string, Operation>> = {
  ...PUBLIC_OPERATIONS,
  ...ADMIN_OPERATIONS,
};

type JsonSchema = Record<string, unknown>;

/**
 * The host names a webhook may not use, as the worker refuses them (delivery/webhook-url.ts): an IP
 * literal, a name without a dot, or a private suffix. Written so that a target the document allows
 * is one the worker takes.
 */
const PUBLIC_HTTPS_URL =
  '^https://(?![^/?#]*\\.(?:localhost|local|internal|lan|home\\.arpa)(?:[:/?#]|$))' +
  '(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?' +
  '(?::[1-9][0-9]{0,3})?(?:[/?#][^\\s]*)?$';

/** Rules the worker enforces beyond the body's schema, as JSON Schema added to that schema. */
const WORKER_RULES: Partial<Record<BodyName, JsonSchema>> = {
  // Optional in the schema so that its absence is answered as `form-token-invalid`, but required.
  FeedbackSubmission: { required: ['token'] },
  // Into the schema's own `if kind is email … else …`: a webhook's, Teams' or Slack's URL.
  NewSubscription: {
    else: {
      properties: {
        target: {
          pattern: PUBLIC_HTTPS_URL,
          description:
            'An absolute https URL on a public host name: no credentials, no IP address, no localhost or private names (.local, .internal, .lan, .home.arpa). ' +
            'For teams, the URL of a Teams Workflows flow "When a Teams webhook request is received"; for slack, a Slack incoming webhook URL. ' +
            'Those two are secrets: only the answer to this request shows them whole; every other answer shows them masked.',
        },
      },
    },
  },
};

/** A schema as JSON Schema draft 2020-12, without the `$schema` each would otherwise repeat. */
export function jsonSchema(schema: v.GenericSchema): JsonSchema {
  // Transforms (trim, a number from a query string) have no JSON Schema: the input is described,
  // and what `v.check` enforces is described by the `v.metadata` beside it.
  const { $schema, ...rest } = toJsonSchema(schema, { target: 'draft-2020-12', errorMode: 'ignore' });
  return rest as JsonSchema;
}

/** `extra` merged into `schema`: objects key by key, lists as one list without repeats. */
function merge(schema: unknown, extra: unknown): unknown {
  if (Array.isArray(schema) && Array.isArray(extra)) return [...new Set([...schema, ...extra])];
  if (isObject(schema) && isObject(extra)) {
    const merged: JsonSchema = { ...schema };
    for (const [key, value] of Object.entries(extra))
      merged[key] = key in schema ? merge(schema[key], value) : value;
    return merged;
  }
  return extra;
}

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A body schema with the worker's own rules for it. */
function bodySchema(name: BodyName): JsonSchema {
  return merge(jsonSchema(BODY_SCHEMAS[name]), WORKER_RULES[name] ?? {}) as JsonSchema;
}

/** The problem+json body every error carries (RFC 9457). */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', description: '`urn:tellus:problem:<code>`' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    code: { enum: [...PROBLEM_CODES], description: 'Stable: match on this' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Each failing field, by RFC 6901 pointer into the body or query ("" is the whole)',
      items: {
        type: 'object',
        required: ['pointer', 'field', 'detail'],
        additionalProperties: false,
        properties: { pointer: { type: 'string' }, field: { type: 'string' }, detail: { type: 'string' } },
      },
    },
  },
};

const HEADERS: Record<string, { description: string; schema: JsonSchema }> = {
  'Retry-After': {
    description: 'Seconds to wait before sending again',
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  'WWW-Authenticate': { description: 'The Bearer challenge', schema: { type: 'string' } },
  ETag: {
    description: 'Send it back as If-None-Match to get 304 while nothing changed',
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description: '`true` when the idempotency key was seen before and this is the first answer again',
    schema: { const: 'true' },
  },
  'Content-Disposition': {
    description: 'attachment; filename="tellus-stories.csv"',
    schema: { type: 'string' },
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function responses(op: Operation) {
  return Object.fromEntries(
    Object.entries(op.responses).map(([status, answer]) => [
      status,
      {
        description: answer.description,
        ...(answer.headers?.length
          ? { headers: Object.fromEntries(answer.headers.map((name) => [name, HEADERS[name]])) }
          : {}),
        ...(answer.content
          ? {
              content: Object.fromEntries(
                Object.entries(answer.content).map(([type, schema]) => [
                  type,
                  schema ? { schema: ref(schema) } : {},
                ]),
              ),
            }
          : {}),
      },
    ]),
  );
}

function requestBody(op: Operation) {
  if (!op.body) return {};
  const json = { schema: ref(op.body.schema), example: op.body.example };
  return {
    requestBody: {
      required: true,
      ...(op.body.description ? { description: op.body.description } : {}),
      content: {
        'application/json': json,
        ...(op.body.textPlain
          ? {
              'text/plain': {
                schema: {
                  type: 'string',
                  contentMediaType: 'application/json',
                  contentSchema: ref(op.body.schema),
                },
              },
            }
          : {}),
      },
    },
  };
}

function operation(path: string, op: Operation) {
  const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', minLength: 1 },
  }));
  return {
    operationId: op.id,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.auth
      ? { security: [{ [op.auth === 'department' ? 'departmentKey' : 'operatorToken']: [] }] }
      : {}),
    parameters: [
      ...pathParameters,
      ...(op.query ? QUERIES[op.query] : []).map(({ name, description, schema }) => ({
        name,
        in: 'query',
        required: false,
        ...(description ? { description } : {}),
        schema: jsonSchema(schema),
      })),
    ],
    ...requestBody(op),
    responses: responses(op),
  };
}

/** The whole document, for a worker at `publicUrl`. */
export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Tellus',
      version: '1',
      description:
        "Citizens' stories about public services, delivered to the departments that run them. Every " +
        'status and media type a route answers is listed; every error is application/problem+json. ' +
        'Lengths are counted as JavaScript counts them, in UTF-16 code units, where JSON Schema counts ' +
        'characters: a character outside the Basic Multilingual Plane (an emoji) counts as two.',
    },
    servers: [{ url: publicUrl }],
    paths: Object.fromEntries(
      Object.entries(OPERATIONS).map(([path, methods]) => [
        path,
        Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, operation(path, op)])),
      ]),
    ),
    components: {
      securitySchemes: {
        departmentKey: { type: 'http', scheme: 'bearer', description: 'A department key (tk_…)' },
        operatorToken: { type: 'http', scheme: 'bearer', description: 'The OPERATOR_TOKEN secret' },
      },
      schemas: <Record<string, JsonSchema>>{
        ...Object.fromEntries(Object.keys(BODY_SCHEMAS).map((name) => [name, bodySchema(name as BodyName)])),
        ...Object.fromEntries(
          Object.entries(RESPONSE_SCHEMAS).map(([name, schema]) => [name, jsonSchema(schema)]),
        ),
        OpenApiDocument: { type: 'object', required: ['openapi', 'info', 'paths'] },
        Problem: PROBLEM_SCHEMA,
      },
    },
  };
}
