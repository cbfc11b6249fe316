/**
 * The pieces the API document's route tables are made of (openapi-routes.ts, openapi-admin.ts):
 * the schemas bodies and answers follow, the answers most routes share, and the query parameters.
 */
import * as v from 'valibot';
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
  PROBLEM_CONTENT_TYPE,
  ReceiptLookup,
  ServiceUpdate,
} from '../shared';
import * as Responses from '../shared/responses';

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
  ReceiptLookup,
} satisfies Record<string, v.GenericSchema>;
export type BodyName = keyof typeof BODY_SCHEMAS;

/** Every schema a successful answer's body follows. */
export const RESPONSE_SCHEMAS: Record<keyof typeof Responses, v.GenericSchema> = { ...Responses };
export type SchemaName = keyof typeof Responses | 'OpenApiDocument' | 'Problem';

/** One status of an operation: what it means, its media types (with their schema) and headers. */
export interface Answer {
  description: string;
  content?: Record<string, SchemaName | null>;
  headers?: string[];
}

export interface Operation {
  id: string;
  summary: string;
  description?: string;
  auth?: 'department' | 'operator';
  /** A request body: its schema, an example that must validate, and whether text/plain is taken too. */
  body?: { schema: BodyName; example: unknown; textPlain?: boolean; description?: string };
  query?: keyof typeof QUERIES;
  responses: Record<number, Answer>;
}

export const json = (schema: SchemaName, description: string, headers?: string[]): Answer => ({
  description,
  content: { 'application/json': schema },
  ...(headers ? { headers } : {}),
});
export const problem = (description: string, headers?: string[]): Answer => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: 'Problem' },
  ...(headers ? { headers } : {}),
});
export const html = (description: string): Answer => ({ description, content: { 'text/html': null } });

/** Joins answers by status: descriptions are added up, media types and headers united. */
export function answers(...parts: Record<number, Answer>[]): Record<number, Answer> {
  const all: Record<number, Answer> = {};
  for (const part of parts) {
    for (const [key, answer] of Object.entries(part)) {
      const status = Number(key);
      const before = all[status];
      all[status] = before
        ? {
            description: `${before.description} ${answer.description}`,
            content: { ...before.content, ...answer.content },
            headers: [...new Set([...(before.headers ?? []), ...(answer.headers ?? [])])],
          }
        : answer;
    }
  }
  return all;
}

export const OPERATOR = {
  400: problem('`bad-request`: the Authorization header is not `Bearer <token>`.'),
  401: problem('`unauthorized`: no operator token, or a wrong one.', ['WWW-Authenticate']),
};
export const department = (scope: 'read' | 'answer') => ({
  401: problem('`unauthorized`: no department key, or one that is unknown or revoked.', ['WWW-Authenticate']),
  403: problem(`\`forbidden\`: the key has no ${scope} scope.`),
});
export const BODY = {
  400: problem('`malformed-json`: the body is not JSON.'),
  413: problem('`payload-too-large`: the body is over 16 KiB.'),
  415: problem('`unsupported-media-type`: the body is not application/json (or text/plain).'),
  422: problem('`validation-failed`: the body breaks the schema; `errors` names each field.'),
};
export const QUERY = {
  422: problem('`validation-failed`: a query parameter is not valid, or is not one of those listed.'),
};
export const NOT_FOUND = (what: string) => ({ 404: problem(`\`not-found\`: ${what}.`) });
export const UNKNOWN_DEPARTMENT = {
  422: problem('`validation-failed`: no department has that id (`errors` points at it).'),
};

/** A query parameter: always optional, as a string schema. */
export interface QueryParameter {
  name: string;
  description?: string;
  schema: v.GenericSchema;
}

const SEARCH_DESCRIPTIONS: Record<string, string> = {
  service: "Only this service's stories",
  status: 'Only stories with this status',
  severity: 'Only stories of this severity',
  rating_min: 'Only stories rated this or higher',
  rating_max: 'Only stories rated this or lower',
  since: 'Only stories sent at or after this time',
  until: 'Only stories sent before this time',
  q: 'Words to find in the story or its answers: each matches the start of a word, case and accents aside, and all must be found',
  cursor: 'The `next_cursor` of the page before',
  limit: 'Stories a page, 1 to 100: 50 when absent (20 for published stories)',
};

const searchParameters = (only?: string[]): QueryParameter[] =>
  Object.entries(FeedbackQuery.entries)
    .filter(([name]) => !only || only.includes(name))
    .map(([name, schema]) => ({ name, description: SEARCH_DESCRIPTIONS[name], schema }));

/** Query parameters by the name operations give them. */
export const QUERIES = {
  feedback: searchParameters(),
  page: searchParameters(['cursor', 'limit']),
  department: [{ name: 'department', description: "Only this department's", schema: v.string() }],
  failed: [
    { name: 'subscription', description: "Only this subscription's", schema: v.string() },
    {
      name: 'limit',
      description:
        'How many at most: up to 500 (more is read as 500); 100 when absent or not a positive number',
      schema: v.string(),
    },
  ],
} satisfies Record<string, QueryParameter[]>;
