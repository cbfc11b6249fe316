/** The operator API (`/v1/admin/…`) in the API document: what each route takes and answers. */
import {
  answers,
  BODY,
  json,
  NOT_FOUND,
  OPERATOR,
  type Operation,
  problem,
  UNKNOWN_DEPARTMENT,
} from './openapi-answers';

/** The operator API's routes, by OpenAPI path and method. */
export const ADMIN_OPERATIONS: Record<string, Record<string, Operation>> = {
  '/v1/admin/departments': {
    get: {
      id: 'listDepartments',
      summary: 'Departments',
      auth: 'operator',
      responses: answers(OPERATOR, { 200: json('DepartmentList', '{departments}') }),
    },
    post: {
      id: 'addDepartment',
      summary: 'Register a department',
      auth: 'operator',
      body: {
        schema: 'NewDepartment',
        example: { id: 'parking', name: 'Parking Services', contact_email: 'parking@anytown.example.gov.uk' },
      },
      responses: answers(OPERATOR, BODY, {
        201: json('DepartmentView', 'The department'),
        409: problem('`conflict`: a department has that id.'),
      }),
    },
  },
  '/v1/admin/departments/{id}/keys': {
    post: {
      id: 'addKey',
      summary: 'A department key, shown once',
      auth: 'operator',
      body: { schema: 'NewApiKey', example: { scopes: ['read', 'answer'], label: 'case system' } },
      responses: answers(OPERATOR, BODY, UNKNOWN_DEPARTMENT, {
        201: json('ApiKeyCreated', '{id, key, scopes, …}'),
      }),
    },
  },
  '/v1/admin/departments/{id}/members': {
    get: {
      id: 'listMembers',
      summary: 'The people who may sign in to the department’s console',
      auth: 'operator',
      responses: answers(OPERATOR, UNKNOWN_DEPARTMENT, { 200: json('MemberList', '{members}') }),
    },
    post: {
      id: 'addMember',
      summary: 'Let a person sign in to the department’s console',
      auth: 'operator',
      body: { schema: 'NewMember', example: { email: 'ward-manager@anytown.example.gov.uk' } },
      responses: answers(OPERATOR, BODY, UNKNOWN_DEPARTMENT, {
        201: json('MemberView', 'The member'),
        409: problem('`conflict`: already a member.'),
      }),
    },
  },
  '/v1/admin/members/{id}': {
    delete: {
      id: 'removeMember',
      summary: 'Remove a member and end their console sessions',
      auth: 'operator',
      responses: answers(OPERATOR, NOT_FOUND('no member has that id'), {
        200: json('MemberRemoved', '{id, removed}'),
      }),
    },
  },
  '/v1/admin/keys': {
    get: {
      id: 'listKeys',
      summary: 'Department keys (never the keys themselves)',
      auth: 'operator',
      query: 'department',
      responses: answers(OPERATOR, { 200: json('ApiKeyList', '{keys}') }),
    },
  },
  '/v1/admin/keys/{id}/revoke': {
    post: {
      id: 'revokeKey',
      summary: 'End a key',
      auth: 'operator',
      responses: answers(OPERATOR, NOT_FOUND('no live key has that id'), {
        200: json('ApiKeyRevoked', '{id, revoked}'),
      }),
    },
  },
  '/v1/admin/services': {
    get: {
      id: 'listServices',
      summary: 'Services with their origins',
      auth: 'operator',
      responses: answers(OPERATOR, { 200: json('ServiceList', '{services}') }),
    },
    post: {
      id: 'addService',
      summary: 'Register a service',
      auth: 'operator',
      body: {
        schema: 'NewService',
        example: {
          id: 'resident-permits',
          department_id: 'parking',
          name: 'Apply for a permit',
          origins: ['https://www.anytown.example.gov.uk'],
          privacy_url: 'https://www.anytown.example.gov.uk/privacy/parking',
        },
        description:
          'Origins are taken as people write them and stored as browsers send them (see Origin); the same origin twice is refused. Each change is written to the department’s audit log.',
      },
      responses: answers(OPERATOR, BODY, UNKNOWN_DEPARTMENT, {
        201: json('ServiceCreated', 'The service'),
        409: problem('`conflict`: a service has that id.'),
      }),
    },
  },
  '/v1/admin/services/{id}': {
    patch: {
      id: 'changeService',
      summary: "A service's name, wording, Turnstile, publishing or privacy notice link",
      auth: 'operator',
      body: {
        schema: 'ServiceUpdate',
        example: {
          wording: { en: { signposting: 'Not for emergencies.' } },
          publishing: true,
          privacy_url: 'https://www.anytown.example.gov.uk/privacy',
        },
        description:
          '`privacy_url: null` removes the link. Each change is written to the department’s audit log.',
      },
      responses: answers(OPERATOR, BODY, NOT_FOUND('no service has that id'), {
        200: json('ServiceView', 'The service'),
      }),
    },
  },
  '/v1/admin/subscriptions': {
    get: {
      id: 'listSubscriptions',
      summary: 'Subscriptions (never their secrets; a Teams or Slack URL masked)',
      auth: 'operator',
      query: 'department',
      responses: answers(OPERATOR, { 200: json('SubscriptionList', '{subscriptions}') }),
    },
    post: {
      id: 'addSubscription',
      summary:
        'A webhook, email, Teams or Slack subscription; a webhook secret, or a Teams or Slack URL, is shown whole once',
      auth: 'operator',
      body: {
        schema: 'NewSubscription',
        example: {
          department_id: 'parking',
          kind: 'webhook',
          target: 'https://hooks.anytown.example.gov.uk/tellus',
        },
        description:
          '`mode: daily` is for email only: a webhook, teams or slack subscription asking for it is refused with `422 validation-failed` naming `mode`. ' +
          'A teams or slack `target` is a secret (anyone with it can post to the channel): this `201` shows it whole, once; every other answer shows it masked, ' +
          'as its scheme, host, first path segment and four characters more, then `…` (`https://hooks.slack.com/services/T0AB…`). They are posted unsigned, and get only new stories, not answers.',
      },
      responses: answers(OPERATOR, BODY, UNKNOWN_DEPARTMENT, {
        201: json('SubscriptionCreated', 'The subscription'),
        409: problem('`conflict`: the department has as many subscriptions as it may (10).'),
      }),
    },
  },
  '/v1/admin/subscriptions/{id}/rotate-secret': {
    post: {
      id: 'rotateSecret',
      summary: 'A new signing secret; the old one signs too for a day',
      auth: 'operator',
      responses: answers(OPERATOR, NOT_FOUND('no subscription has that id'), {
        200: json('SecretRotated', '{id, secret, previous_secret_valid_until}'),
        409: problem('`conflict`: the last rotation is still in its overlap.'),
        422: problem('`bad-request`: only a webhook has a secret (not email, Teams or Slack).'),
      }),
    },
  },
  '/v1/admin/subscriptions/{id}/enable': {
    post: {
      id: 'enableSubscription',
      summary: 'Enable, whoever disabled it',
      auth: 'operator',
      responses: answers(OPERATOR, NOT_FOUND('no subscription has that id'), {
        200: json('SubscriptionView', 'The subscription'),
      }),
    },
  },
  '/v1/admin/subscriptions/{id}/disable': {
    post: {
      id: 'disableSubscription',
      summary: 'Disable; then only an operator may enable it',
      auth: 'operator',
      responses: answers(OPERATOR, NOT_FOUND('no subscription has that id'), {
        200: json('SubscriptionView', 'The subscription'),
      }),
    },
  },
  '/v1/admin/subscriptions/{id}/test': {
    post: {
      id: 'testSubscription',
      summary: 'Send a test event now',
      auth: 'operator',
      responses: answers(OPERATOR, NOT_FOUND('no subscription has that id'), {
        200: json('TestOutcome', 'Whether the receiver took it'),
        429: problem('`rate-limited`: the subscription has had its test events for this hour.', [
          'Retry-After',
        ]),
      }),
    },
  },
  '/v1/admin/subscriptions/{id}/replay': {
    post: {
      id: 'replaySubscription',
      summary: 'Make every waiting delivery due now, through the queue',
      auth: 'operator',
      responses: answers(OPERATOR, NOT_FOUND('no subscription has that id'), {
        202: json('ReplayQueued', 'Queued: {subscription, due}'),
        409: problem('`conflict`: the subscription is disabled.'),
      }),
    },
  },
  '/v1/admin/deliveries/failed': {
    get: {
      id: 'failedDeliveries',
      summary: 'Deliveries that failed and wait for another attempt',
      auth: 'operator',
      query: 'failed',
      responses: answers(OPERATOR, { 200: json('FailedDeliveryList', '{deliveries}') }),
    },
  },
  '/v1/admin/deliveries/{id}/attempts': {
    get: {
      id: 'deliveryAttempts',
      summary: "A delivery's attempts (none for an unknown id)",
      auth: 'operator',
      responses: answers(OPERATOR, { 200: json('AttemptList', '{attempts}') }),
    },
  },
  '/v1/admin/deliveries/{id}/replay': {
    post: {
      id: 'replayDelivery',
      summary: 'Try a pending delivery again now',
      auth: 'operator',
      responses: answers(OPERATOR, NOT_FOUND('no pending delivery has that id'), {
        200: json('DeliveryReplayed', '{id, outcome}'),
      }),
    },
  },
};
