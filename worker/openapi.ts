/**
 * The OpenAPI 3.1 document of every route, served at `GET /v1/openapi.json`. Request bodies and
 * query parameters are generated from the same `shared/` valibot schemas the worker validates
 * with; what is written here by hand is only which route takes which schema, and the examples,
 * which the tests check against those schemas.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import {
  FeedbackChange,
  FeedbackQuery,
  FeedbackSubmission,
  NewAnswer,
  NewApiKey,
  NewDepartment,
  NewMember,
  NewService,
  NewSubscription,
  PROBLEM_CODES,
  ServiceUpdate,
} from '../shared';

type Schema = v.GenericSchema;

/** A request body: its schema's name in `components.schemas`, and an example that must validate. */
interface Body {
  schema: keyof typeof BODY_SCHEMAS;
  example: unknown;
}

interface Operation {
  summary: string;
  auth?: 'department' | 'operator';
  body?: Body;
  query?: 'feedback' | 'page';
  /** The success status and what it carries. */
  ok: [status: number, description: string, contentType?: string];
}

/** Every schema a request body is checked against, by the name the document gives it. */
export const BODY_SCHEMAS = {
  FeedbackSubmission,
  FeedbackChange,
  NewAnswer,
  NewApiKey,
  NewDepartment,
  NewMember,
  NewService,
  ServiceUpdate,
  NewSubscription,
} satisfies Record<string, Schema>;

const TOKEN_EXAMPLE = '1795680000000.EnD1vbZ0Rs9QvJlgqhqiE15G1JwJsmvpdPeugMfCvzE';

/** Every route the worker serves, by OpenAPI path and method. */
export const OPERATIONS: Record<string, Record<string, Operation>> = {
  '/healthz': { get: { summary: 'Liveness', ok: [200, 'The worker is up'] } },
  '/v1/widget.js': { get: { summary: 'The widget script', ok: [200, 'JavaScript', 'text/javascript'] } },
  '/v1/widget.json': {
    get: { summary: 'The versioned widget file and its SRI hash', ok: [200, '{src, integrity}'] },
  },
  '/v1/openapi.json': { get: { summary: 'This document', ok: [200, 'OpenAPI 3.1'] } },
  '/v1/feedback': {
    post: {
      summary: "A citizen's rating and story (JSON, or the same JSON as text/plain)",
      body: {
        schema: 'FeedbackSubmission',
        example: {
          service: 'missed-bin-collection',
          rating: 4,
          story: 'Collected the next morning.',
          page: '/bins/report-missed',
          locale: 'en',
          idempotency_key: '3f0c2a9e7b5d4c1a8e6f0b2d4a6c8e0f',
          token: TOKEN_EXAMPLE,
        },
      },
      ok: [201, '{id, receipt, receipt_url, help?}'],
    },
    get: {
      summary: "The department's stories, newest first",
      auth: 'department',
      query: 'feedback',
      ok: [200, '{stories, next_cursor}'],
    },
  },
  '/v1/feedback.csv': {
    get: {
      summary: 'The same stories as CSV',
      auth: 'department',
      query: 'feedback',
      ok: [200, 'CSV', 'text/csv'],
    },
  },
  '/v1/feedback/{id}': {
    get: { summary: 'One story', auth: 'department', ok: [200, 'The story'] },
    patch: {
      summary: "A story's status, tags or publication",
      auth: 'department',
      body: { schema: 'FeedbackChange', example: { status: 'acknowledged', tags: ['missed', 'green bin'] } },
      ok: [200, 'The changed story'],
    },
  },
  '/v1/feedback/{id}/answers': {
    get: { summary: "A story's answers", auth: 'department', ok: [200, '{answers}'] },
    post: {
      summary: 'A public answer; sends feedback.answered to the webhooks',
      auth: 'department',
      body: {
        schema: 'NewAnswer',
        example: {
          text: 'Sorry: the crew had the wrong route sheet.',
          changed: true,
          change: 'Route sheets now come from the system.',
        },
      },
      ok: [201, 'The answer'],
    },
  },
  '/v1/services/{id}/widget': {
    get: { summary: 'What the widget needs as it shows', ok: [200, '{messages, token, turnstile?}'] },
  },
  '/v1/services/{id}/stories': {
    get: {
      summary: 'Published stories with answers, and a summary',
      query: 'page',
      ok: [200, '{service, summary, stories, next_cursor}'],
    },
  },
  '/v1/receipts/{code}': {
    get: {
      summary: "The citizen's story and its status (JSON, or a page for text/html)",
      ok: [200, 'The story'],
    },
    delete: { summary: 'Erase the story and its pending deliveries', ok: [204, 'Erased'] },
  },
  '/v1/receipts/{code}/delete': {
    post: { summary: "The receipt page's delete button", ok: [200, 'A page', 'text/html'] },
  },
  '/v1/admin/departments': {
    get: { summary: 'Departments', auth: 'operator', ok: [200, '{departments}'] },
    post: {
      summary: 'Register a department',
      auth: 'operator',
      body: {
        schema: 'NewDepartment',
        example: { id: 'parking', name: 'Parking Services', contact_email: 'parking@anytown.example.gov.uk' },
      },
      ok: [201, 'The department'],
    },
  },
  '/v1/admin/departments/{id}/keys': {
    post: {
      summary: 'A department key, shown once',
      auth: 'operator',
      body: { schema: 'NewApiKey', example: { scopes: ['read', 'answer'], label: 'case system' } },
      ok: [201, '{id, key, scopes, …}'],
    },
  },
  '/v1/admin/departments/{id}/members': {
    get: {
      summary: 'The people who may sign in to the department’s console',
      auth: 'operator',
      ok: [200, '{members}'],
    },
    post: {
      summary: 'Let a person sign in to the department’s console',
      auth: 'operator',
      body: { schema: 'NewMember', example: { email: 'ward-manager@anytown.example.gov.uk' } },
      ok: [201, 'The member'],
    },
  },
  '/v1/admin/members/{id}': {
    delete: {
      summary: 'Remove a member and end their console sessions',
      auth: 'operator',
      ok: [200, '{id, removed}'],
    },
  },
  '/v1/admin/keys': {
    get: { summary: 'Department keys (never the keys themselves)', auth: 'operator', ok: [200, '{keys}'] },
  },
  '/v1/admin/keys/{id}/revoke': {
    post: { summary: 'End a key', auth: 'operator', ok: [200, '{id, revoked}'] },
  },
  '/v1/admin/services': {
    get: { summary: 'Services with their origins', auth: 'operator', ok: [200, '{services}'] },
    post: {
      summary: 'Register a service',
      auth: 'operator',
      body: {
        schema: 'NewService',
        example: {
          id: 'resident-permits',
          department_id: 'parking',
          name: 'Apply for a permit',
          origins: ['https://www.anytown.example.gov.uk'],
        },
      },
      ok: [201, 'The service'],
    },
  },
  '/v1/admin/services/{id}': {
    patch: {
      summary: "A service's name, wording, Turnstile or publishing",
      auth: 'operator',
      body: {
        schema: 'ServiceUpdate',
        example: { wording: { en: { signposting: 'Not for emergencies.' } }, publishing: true },
      },
      ok: [200, 'The service'],
    },
  },
  '/v1/admin/subscriptions': {
    get: { summary: 'Subscriptions (never their secrets)', auth: 'operator', ok: [200, '{subscriptions}'] },
    post: {
      summary: 'A webhook or email subscription; a webhook secret is shown once',
      auth: 'operator',
      body: {
        schema: 'NewSubscription',
        example: {
          department_id: 'parking',
          kind: 'webhook',
          target: 'https://hooks.anytown.example.gov.uk/tellus',
        },
      },
      ok: [201, 'The subscription'],
    },
  },
  '/v1/admin/subscriptions/{id}/rotate-secret': {
    post: { summary: 'A new signing secret', auth: 'operator', ok: [200, '{id, secret, …}'] },
  },
  '/v1/admin/subscriptions/{id}/enable': {
    post: { summary: 'Enable', auth: 'operator', ok: [200, 'The subscription'] },
  },
  '/v1/admin/subscriptions/{id}/disable': {
    post: { summary: 'Disable', auth: 'operator', ok: [200, 'The subscription'] },
  },
  '/v1/admin/subscriptions/{id}/test': {
    post: { summary: 'Send a test event', auth: 'operator', ok: [200, 'The outcome'] },
  },
  '/v1/admin/subscriptions/{id}/replay': {
    post: { summary: 'Replay every waiting delivery', auth: 'operator', ok: [200, 'The outcome'] },
  },
  '/v1/admin/deliveries/failed': {
    get: { summary: 'Failed deliveries', auth: 'operator', ok: [200, '{deliveries}'] },
  },
  '/v1/admin/deliveries/{id}/attempts': {
    get: { summary: "A delivery's attempts", auth: 'operator', ok: [200, '{attempts}'] },
  },
  '/v1/admin/deliveries/{id}/replay': {
    post: { summary: 'Try a delivery again now', auth: 'operator', ok: [200, 'The outcome'] },
  },
};

const jsonSchema = (schema: Schema) =>
  // Transforms (a rating from a query string, say) have no JSON Schema: the input side is described.
  toJsonSchema(schema, { target: 'draft-2020-12', errorMode: 'ignore' });

/** Query parameters from an object schema's entries, each with its generated schema. */
function queryParameters(schema: typeof FeedbackQuery, only?: string[]) {
  return Object.entries(schema.entries)
    .filter(([name]) => !only || only.includes(name))
    .map(([name, entry]) => ({ name, in: 'query', required: false, schema: jsonSchema(entry as Schema) }));
}

function operation(path: string, op: Operation) {
  const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query =
    op.query === 'feedback'
      ? queryParameters(FeedbackQuery)
      : op.query === 'page'
        ? queryParameters(FeedbackQuery, ['cursor', 'limit'])
        : [];
  const [status, description, contentType = 'application/json'] = op.ok;
  return {
    summary: op.summary,
    ...(op.auth
      ? { security: [{ [op.auth === 'department' ? 'departmentKey' : 'operatorToken']: [] }] }
      : {}),
    parameters: [...pathParameters, ...query],
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: `#/components/schemas/${op.body.schema}` },
                example: op.body.example,
              },
            },
          },
        }
      : {}),
    responses: {
      [status]: { description, ...(status === 204 ? {} : { content: { [contentType]: {} } }) },
      default: {
        description: 'A problem (RFC 9457)',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    },
  };
}

/** The whole document, for a worker at `publicUrl`. */
export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tellus',
      version: '1',
      description: "Citizens' stories about public services, delivered to the departments that run them.",
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
      schemas: {
        ...Object.fromEntries(
          Object.entries(BODY_SCHEMAS).map(([name, schema]) => [name, jsonSchema(schema)]),
        ),
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { enum: [...PROBLEM_CODES] },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  pointer: { type: 'string' },
                  field: { type: 'string' },
                  detail: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  };
}
