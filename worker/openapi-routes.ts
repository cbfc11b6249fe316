/**
 * Which public and department route takes which schema and answers what: every status and media
 * type each can answer, for the API document (openapi.ts). The operator API is in openapi-admin.ts.
 */
import { PROBLEM_CONTENT_TYPE } from '../shared';
import {
  answers,
  BODY,
  department,
  html,
  json,
  NOT_FOUND,
  type Operation,
  problem,
  QUERY,
} from './openapi-answers';

const TOKEN_EXAMPLE = '1795680000000.x3Zk0vbZ0Rs9QvJlgqhqiA.EnD1vbZ0Rs9QvJlgqhqiE15G1JwJsmvpdPeugMfCvzE';
const PUBLIC_STORY_HEADERS = ['ETag'];

/** The public routes and the department API, by OpenAPI path and method. */
export const PUBLIC_OPERATIONS: Record<string, Record<string, Operation>> = {
  '/healthz': {
    get: { id: 'health', summary: 'Liveness', responses: { 200: json('Health', 'The worker is up') } },
  },
  '/v1/widget.js': {
    get: {
      id: 'widgetScript',
      summary: 'The widget script',
      responses: {
        200: {
          description: 'The script, cached for five minutes (it names its release’s parts)',
          content: { 'text/javascript': null },
        },
        304: { description: 'Not modified (the If-None-Match ETag matches)' },
        404: problem('`not-found`: the widget has not been built.'),
      },
    },
  },
  '/v1/widget.json': {
    get: {
      id: 'widgetManifest',
      summary: 'The versioned widget file, its parts and their SRI hashes',
      responses: {
        200: json(
          'WidgetFile',
          '{src, integrity, parts}: widget.<hash>.js and every part (/v1/<part>.<hash>.js, cached for a year), each with its SRI hash',
        ),
        304: { description: 'Not modified (the If-None-Match ETag matches)' },
        404: problem('`not-found`: the widget has not been built.'),
      },
    },
  },
  '/v1/openapi.json': {
    get: {
      id: 'openApi',
      summary: 'This document',
      responses: { 200: json('OpenApiDocument', 'OpenAPI 3.1') },
    },
  },
  '/v1/feedback': {
    post: {
      id: 'submitFeedback',
      summary: "A citizen's rating and story",
      description:
        'From a page on one of the service’s origins (the Origin header). The form token comes from ' +
        '`GET /v1/services/{id}/widget` and makes one story; the same idempotency key with the same ' +
        'story again answers the first 201 again. With a `preview` token (the console’s preview page, ' +
        'on Tellus’s own origin) the story is a test: stored, never delivered, counted, exported or published.',
      body: {
        schema: 'FeedbackSubmission',
        textPlain: true,
        description: 'JSON; the widget sends the same JSON as text/plain, which needs no CORS preflight.',
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
      responses: answers(BODY, {
        201: json('FeedbackCreatedBody', 'Stored (or stored before, under the same key)', [
          'Idempotent-Replayed',
        ]),
        403: problem(
          '`origin-not-allowed`: no Origin, or one not registered for the service (a page registered for no service may read this answer, and only this, through CORS); `challenge-failed`: Turnstile did not pass.',
        ),
        404: problem('`service-not-found`: no service has that id.'),
        409: problem('`form-token-used`: the form token already made another story; load the widget again.'),
        422: problem(
          '`validation-failed` (the body breaks its schema, or its `preview` token is not valid for the ' +
            'service or has expired), ' +
            '`idempotency-key-reused` (the key came before with another story), `form-token-invalid` ' +
            '(missing, forged, for another service or over 8 days old), `form-too-fast` (sooner after ' +
            'the form was shown than a person writes: send it again after Retry-After seconds), ' +
            '`spam-suspected` (the honeypot was filled in).',
          ['Retry-After'],
        ),
        429: problem('`rate-limited`: too many stories from one address for the service.', ['Retry-After']),
      }),
    },
    get: {
      id: 'listFeedback',
      summary: "The department's stories, newest first",
      auth: 'department',
      query: 'feedback',
      responses: answers(department('read'), QUERY, { 200: json('StoryPage', '{stories, next_cursor}') }),
    },
  },
  '/v1/feedback.csv': {
    get: {
      id: 'exportFeedback',
      summary: 'The same stories as CSV, every page',
      auth: 'department',
      query: 'feedback',
      responses: answers(department('read'), QUERY, {
        200: {
          description:
            'CSV (RFC 4180): a header row, a row a story, and last a record whose id cell is `end of export: <n> stories`. A file without that record was cut off: export again.',
          content: { 'text/csv': null },
          headers: ['Content-Disposition'],
        },
      }),
    },
  },
  '/v1/feedback/{id}': {
    get: {
      id: 'getFeedback',
      summary: 'One story',
      auth: 'department',
      responses: answers(department('read'), NOT_FOUND('the department has no story with that id'), {
        200: json('StoryView', 'The story'),
      }),
    },
    patch: {
      id: 'changeFeedback',
      summary: "A story's status, tags or publication",
      auth: 'department',
      body: { schema: 'FeedbackChange', example: { status: 'acknowledged', tags: ['missed', 'green bin'] } },
      responses: answers(department('answer'), BODY, NOT_FOUND('the department has no story with that id'), {
        200: json('StoryView', 'The changed story'),
        409: problem(
          '`conflict`: a status it cannot move to (statuses go new, acknowledged, answered, closed), publishing on a service that does not publish, or a change made meanwhile.',
        ),
      }),
    },
  },
  '/v1/feedback/{id}/answers': {
    get: {
      id: 'listAnswers',
      summary: "A story's answers",
      auth: 'department',
      responses: answers(department('read'), NOT_FOUND('the department has no story with that id'), {
        200: json('AnswerList', '{answers}'),
      }),
    },
    post: {
      id: 'answerFeedback',
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
      responses: answers(department('answer'), BODY, NOT_FOUND('the department has no story with that id'), {
        201: json('AnswerView', 'The answer'),
        409: problem('`conflict`: the story is closed.'),
      }),
    },
  },
  '/v1/services/{id}/widget': {
    get: {
      id: 'widgetConfig',
      summary: 'What the widget needs as it shows',
      responses: {
        200: json(
          'WidgetConfig',
          "{messages, token, turnstile?, retention_days, privacy_url?}: retention_days is the department's retention in days, the longest the widget keeps a receipt on the device; privacy_url is the service's privacy notice, which the widget links to",
        ),
        404: problem('`service-not-found`: no service has that id.'),
      },
    },
  },
  '/v1/services/{id}/stories': {
    get: {
      id: 'publishedStories',
      summary: 'Published stories with answers, and a summary',
      query: 'page',
      responses: answers(
        {
          422: problem('`validation-failed`: only `cursor` and `limit` are taken, each as documented.'),
        },
        {
          200: json('PublishedStoryPage', '{service, summary, stories, next_cursor}', PUBLIC_STORY_HEADERS),
          304: {
            description: 'Not modified (the If-None-Match ETag matches)',
            headers: PUBLIC_STORY_HEADERS,
          },
          404: problem('`service-not-found`: no service publishes stories under that id.'),
        },
      ),
    },
  },
  '/v1/receipts/{code}': {
    get: {
      id: 'getReceipt',
      summary: "The citizen's story and its status",
      description:
        'JSON, or a page with a button that deletes the story when the Accept header asks for text/html.',
      responses: {
        200: { description: 'The story', content: { 'application/json': 'Receipt', 'text/html': null } },
        404: {
          description: 'No story has that receipt (perhaps deleted): `not-found`, or a page.',
          content: { [PROBLEM_CONTENT_TYPE]: 'Problem', 'text/html': null },
        },
      },
    },
    delete: {
      id: 'deleteReceipt',
      summary: 'Erase the story and its pending deliveries',
      responses: { 204: { description: 'Erased' }, ...NOT_FOUND('no story has that receipt') },
    },
  },
  '/v1/receipts/lookup': {
    post: {
      id: 'lookupReceipts',
      summary: "Which of a returning citizen's receipts name a story, and the team's answers",
      description:
        'From any page, without credentials (`Access-Control-Allow-Origin: *`): the codes in the ' +
        'body are the only key, never sent in an address. Each code that names a story of the ' +
        'service is listed once, in the order asked, with its status and every answer; a code that ' +
        'names none (unknown, deleted, or of another service) is left out and costs the same time, ' +
        'so an empty list is the answer for an unknown service too. Each receipt names the team ' +
        'that answers by its department (`department.name`, never a person) and gives ' +
        '`receipt_url`, the receipt page `POST /v1/feedback` gave. Not cached.',
      body: {
        schema: 'ReceiptLookup',
        textPlain: true,
        description: 'JSON; the widget sends the same JSON as text/plain, which needs no CORS preflight.',
        example: {
          service: 'missed-bin-collection',
          receipts: ['Jx3kP0vbZ0Rs9QvJlgqhqA', 'pQ7w-1mN_8sXr2TbV6yLcE'],
        },
      },
      responses: answers(BODY, {
        200: json(
          'ReceiptLookupResult',
          '{receipts: [{receipt, status, answers, department: {name}, receipt_url, created_at}]}: the codes that name a story of the service',
        ),
        429: problem('`rate-limited`: too many lookups from one address.', ['Retry-After']),
      }),
    },
  },
  '/v1/receipts/{code}/delete': {
    post: {
      id: 'deleteReceiptFromPage',
      summary: "The receipt page's delete button (forms cannot send DELETE)",
      responses: {
        200: html('A page saying the story is deleted'),
        404: html('A page saying there is no story with that receipt'),
      },
    },
  },
};
