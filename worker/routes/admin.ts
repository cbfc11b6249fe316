/** `/v1/admin/…`: the operator API for departments, services, subscriptions and deliveries. */
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { timingSafeEqual } from 'hono/utils/buffer';
import {
  maskedTarget,
  NewApiKey,
  NewDepartment,
  NewMember,
  NewService,
  NewSubscription,
  ServiceUpdate,
} from '../../shared';
import { newApiKey } from '../api-keys';
import {
  findDepartment,
  findSubscription,
  insertDepartment,
  insertSubscription,
  listDepartments,
  listServices,
  listSubscriptions,
  rotateSecret,
} from '../db/admin';
import { listMembers } from '../db/console';
import { attemptsOf, failedDeliveries, makeDueNow } from '../db/deliveries';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey } from '../db/department';
import type { Service, Subscription } from '../db/schema';
import { changeService, createService } from '../db/services';
import { disableAsOperator, enableSubscription } from '../db/subscription-standing';
import { addMember, findMember, removeMember } from '../db/team';
import { attemptDelivery, enqueueDeliveries } from '../delivery/deliver';
import { newWebhookSecret } from '../delivery/signing';
import { sendTestEvent } from '../delivery/test-event';
import { subscriptionUrlProblem } from '../delivery/webhook-url';
import type { AppEnv } from '../env';
import { newId } from '../ids';
import { readBody } from '../json-body';
import { problem } from '../problem';
import { MAX_SUBSCRIPTIONS_PER_DEPARTMENT } from '../subscription-rules';

/** How long the old secret keeps signing after a rotation, so receivers can switch over. */
const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;
/** Who the audit log says made a change through this API. */
const OPERATOR = 'operator';

export const adminRoutes = new Hono<AppEnv>();

adminRoutes.use(
  bearerAuth({
    // No token configured means no operator API at all, rather than an open one.
    verifyToken: async (token, c) => {
      const expected = (c.env as Env).OPERATOR_TOKEN;
      return Boolean(expected) && timingSafeEqual(token, expected ?? '');
    },
  }),
);

/** A service as the API shows it: never its Turnstile secret. */
function publicService({ turnstileSecret, ...rest }: Service) {
  return { ...rest, hasTurnstileSecret: turnstileSecret !== null };
}

/**
 * A subscription as the API shows it: never its secrets, nor the count of its test events; a Teams
 * or Slack URL, which is a secret, masked.
 */
function publicSubscription({
  secret,
  previousSecret,
  previousSecretUntil,
  testWindowStartedAt,
  testsInWindow,
  ...rest
}: Subscription) {
  return { ...rest, target: maskedTarget(rest.kind, rest.target), hasSecret: secret !== null };
}

/** A 422 naming `department_id` when no department has that id. */
async function requireDepartment(c: { var: AppEnv['Variables'] }, departmentId: string) {
  if (await findDepartment(c.var.db, departmentId)) return;
  throw problem(422, 'validation-failed', {
    detail: `No department has the id ${departmentId}`,
    errors: [{ pointer: '/department_id', field: 'department_id', detail: 'Unknown department' }],
  });
}

async function subscriptionOr404(c: { var: AppEnv['Variables'] }, id: string) {
  const subscription = await findSubscription(c.var.db, id);
  if (!subscription) throw problem(404, 'not-found', { detail: `No subscription has the id ${id}` });
  return subscription;
}

adminRoutes.get('/departments', async (c) => c.json({ departments: await listDepartments(c.var.db) }));

adminRoutes.post('/departments', async (c) => {
  const input = await readBody(c, NewDepartment);
  const created = await insertDepartment(c.var.db, input);
  if (!created) throw problem(409, 'conflict', { detail: `A department with the id ${input.id} exists` });
  return c.json(created, 201);
});

adminRoutes.get('/services', async (c) =>
  c.json({ services: (await listServices(c.var.db)).map(({ turnstileSecret, ...rest }) => rest) }),
);

adminRoutes.post('/services', async (c) => {
  const input = await readBody(c, NewService);
  await requireDepartment(c, input.department_id);
  const created = await createService(c.var.db, input, { actor: OPERATOR });
  if (!created) throw problem(409, 'conflict', { detail: `A service with the id ${input.id} exists` });
  const { id, departmentId, name, wording, privacyUrl, origins } = created;
  return c.json({ id, departmentId, name, wording, privacyUrl, origins }, 201);
});

adminRoutes.patch('/services/:id', async (c) => {
  const input = await readBody(c, ServiceUpdate);
  const updated = await changeService(c.var.db, c.req.param('id'), input, { actor: OPERATOR });
  if (!updated) throw problem(404, 'not-found', { detail: `No service has the id ${c.req.param('id')}` });
  return c.json(publicService(updated));
});

adminRoutes.post('/departments/:id/keys', async (c) => {
  const input = await readBody(c, NewApiKey);
  await requireDepartment(c, c.req.param('id'));
  // Shown this once; only its SHA-256 is kept.
  const { key, ...stored } = await newApiKey();
  const created = await insertApiKey(
    c.var.db,
    { ...stored, departmentId: c.req.param('id'), scopes: [...new Set(input.scopes)], label: input.label },
    OPERATOR,
  );
  const { hash, ...shown } = created;
  return c.json({ ...shown, key }, 201);
});

adminRoutes.get('/departments/:id/members', async (c) => {
  await requireDepartment(c, c.req.param('id'));
  return c.json({ members: await listMembers(c.var.db, c.req.param('id')) });
});

adminRoutes.post('/departments/:id/members', async (c) => {
  const input = await readBody(c, NewMember);
  await requireDepartment(c, c.req.param('id'));
  // The first member an operator adds is the department's admin, unless the operator says otherwise.
  const first = (await listMembers(c.var.db, c.req.param('id'))).length === 0;
  const member = await addMember(c.var.db, {
    id: `mem_${newId().replaceAll('-', '')}`,
    departmentId: c.req.param('id'),
    email: input.email,
    role: input.role ?? (first ? 'admin' : 'member'),
    invitedBy: OPERATOR,
  });
  if (!member) throw problem(409, 'conflict', { detail: `${input.email} is already a member` });
  return c.json(member, 201);
});

// An operator may remove any member, the last admin too: an operator can add another.
adminRoutes.delete('/members/:id', async (c) => {
  const member = await findMember(c.var.db, c.req.param('id'));
  const removed = member && (await removeMember(c.var.db, member, { actor: OPERATOR, keepAnAdmin: false }));
  if (!removed) throw problem(404, 'not-found', { detail: 'No member has that id' });
  return c.json({ id: removed.id, removed: true });
});

adminRoutes.get('/keys', async (c) =>
  c.json({ keys: await listApiKeys(c.var.db, c.req.query('department')) }),
);

adminRoutes.post('/keys/:id/revoke', async (c) => {
  const key = await findApiKey(c.var.db, c.req.param('id'));
  const revoked = key && (await revokeApiKey(c.var.db, key, OPERATOR));
  if (!revoked) throw problem(404, 'not-found', { detail: `No live key has the id ${c.req.param('id')}` });
  return c.json({ id: revoked.id, revoked: true });
});

adminRoutes.get('/subscriptions', async (c) => {
  const rows = await listSubscriptions(c.var.db, c.req.query('department'));
  return c.json({ subscriptions: rows.map(publicSubscription) });
});

adminRoutes.post('/subscriptions', async (c) => {
  const input = await readBody(c, NewSubscription);
  await requireDepartment(c, input.department_id);
  const detail = subscriptionUrlProblem(input.kind, input.target, {
    allowLocal: c.env.ALLOW_LOCAL_WEBHOOKS === 'true',
  });
  if (detail) {
    throw problem(422, 'validation-failed', {
      detail,
      errors: [{ pointer: '/target', field: 'target', detail }],
    });
  }
  const secret = input.kind === 'webhook' ? newWebhookSecret() : null;
  const id = `sub_${newId().replaceAll('-', '')}`;
  const created = await insertSubscription(c.var.db, id, input, secret, {
    max: MAX_SUBSCRIPTIONS_PER_DEPARTMENT,
    actor: 'operator',
  });
  if (!created) {
    throw problem(409, 'conflict', {
      detail: `The department ${input.department_id} has ${MAX_SUBSCRIPTIONS_PER_DEPARTMENT} subscriptions, the most a department may have`,
    });
  }
  // The secret, and a Teams or Slack URL in full, are shown this once; Tellus never shows them again.
  return c.json({ ...publicSubscription(created), target: created.target, secret }, 201);
});

adminRoutes.post('/subscriptions/:id/rotate-secret', async (c) => {
  const current = await subscriptionOr404(c, c.req.param('id'));
  if (current.kind !== 'webhook') throw problem(422, 'bad-request', { detail: 'Only webhooks have secrets' });
  if (current.previousSecretUntil && Date.parse(current.previousSecretUntil) > Date.now()) {
    throw problem(409, 'conflict', {
      detail: `The last rotation is still in its overlap until ${current.previousSecretUntil}; rotate again after that`,
    });
  }
  const until = new Date(Date.now() + ROTATION_OVERLAP_MS).toISOString();
  const secret = newWebhookSecret();
  await rotateSecret(c.var.db, current.id, secret, until, 'operator');
  return c.json({ id: current.id, secret, previous_secret_valid_until: until });
});

// An operator may enable any subscription, whoever disabled it; one an operator disabled only an
// operator may enable (the console refuses it).
adminRoutes.post('/subscriptions/:id/enable', async (c) => {
  const current = await subscriptionOr404(c, c.req.param('id'));
  const enabled = await enableSubscription(c.var.db, current.id, { actor: 'operator' });
  return c.json(publicSubscription(enabled ?? current));
});

adminRoutes.post('/subscriptions/:id/disable', async (c) => {
  const current = await subscriptionOr404(c, c.req.param('id'));
  const updated = await disableAsOperator(c.var.db, current.id, Date.now());
  return c.json(publicSubscription(updated ?? current));
});

adminRoutes.post('/subscriptions/:id/test', async (c) => {
  const subscription = await subscriptionOr404(c, c.req.param('id'));
  const outcome = await sendTestEvent(c.env, c.var.db, subscription);
  if (!outcome.sent) {
    throw problem(429, 'rate-limited', {
      detail: 'This subscription has had as many test events as it may this hour',
      headers: { 'Retry-After': String(outcome.retryAfterSeconds) },
    });
  }
  const { sent, ...result } = outcome;
  return c.json(result);
});

/** How many failed deliveries to list: up to 500; 100 when absent or not a positive number. */
export function failedDeliveriesLimit(asked: string | undefined): number {
  // Never passed on as it is: SQLite reads LIMIT -1 as no limit at all.
  const limit = Number.parseInt(asked ?? '', 10);
  return limit > 0 ? Math.min(limit, 500) : 100;
}

adminRoutes.get('/deliveries/failed', async (c) => {
  const limit = failedDeliveriesLimit(c.req.query('limit'));
  const rows = await failedDeliveries(c.var.db, { subscriptionId: c.req.query('subscription'), limit });
  return c.json({ deliveries: rows });
});

adminRoutes.get('/deliveries/:id/attempts', async (c) =>
  c.json({ attempts: await attemptsOf(c.var.db, c.req.param('id')) }),
);

adminRoutes.post('/deliveries/:id/replay', async (c) => {
  const [due] = await makeDueNow(c.var.db, { deliveryId: c.req.param('id') }, Date.now());
  if (!due) throw problem(404, 'not-found', { detail: 'No pending delivery has that id' });
  const outcome =
    due.kind === 'each' ? await attemptDelivery(c.env, due.id, Date.now(), c.var.db) : 'waiting-for-digest';
  return c.json({ id: due.id, outcome });
});

adminRoutes.post('/subscriptions/:id/replay', async (c) => {
  const subscription = await subscriptionOr404(c, c.req.param('id'));
  if (subscription.state !== 'active') {
    throw problem(409, 'conflict', { detail: 'The subscription is disabled: enable it first' });
  }
  // Due now, and each one a queue message, so a backlog drains as fast as the queue's consumers
  // scale rather than the minute sweep's 200; the sweep stays the backstop.
  const due = await makeDueNow(c.var.db, { subscriptionId: subscription.id }, Date.now());
  await enqueueDeliveries(
    c.env.DELIVERIES,
    due.filter((delivery) => delivery.kind === 'each').map((delivery) => delivery.id),
  );
  return c.json({ subscription: subscription.id, due: due.length }, 202);
});
