/**
 * The department's subscriptions in the console: list, add (up to a cap), pause and resume (only
 * what the department may resume), send a test event (a few an hour), and the deliveries that
 * failed, each to replay.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { NewSubscription, SUBSCRIPTION_KINDS, type SubscriptionKind } from '../../shared';
import { findSubscription, insertSubscription } from '../db/admin';
import { failedDeliveries, makeDueNow } from '../db/deliveries';
import { enableSubscription, pauseSubscription } from '../db/subscription-standing';
import { attemptDelivery } from '../delivery/deliver';
import { newWebhookSecret } from '../delivery/signing';
import { sendTestEvent } from '../delivery/test-event';
import { subscriptionUrlProblem } from '../delivery/webhook-url';
import { newId } from '../ids';
import {
  departmentMayResume,
  departmentMayTest,
  MAX_SUBSCRIPTIONS_PER_DEPARTMENT,
  TESTS_PER_WINDOW,
} from '../subscription-rules';
import { showFormAgain } from './form-body';
import { fieldErrors } from './form-errors';
import type { FieldError } from './layout';
import { type ConsoleEnv, readForm } from './session';
import { LIST, showSubscriptions } from './subscriptions-page';

export const subscriptionRoutes = new Hono<ConsoleEnv>();
type Ctx = Context<ConsoleEnv>;

/** The page again with one error, against `field`. */
const refuse = (c: Ctx, status: 400 | 404 | 409 | 422 | 429, text: string, field = LIST) =>
  showSubscriptions(c, { errors: [{ field, text }] }, status);

/** A form on the subscriptions page that could not be read: the page again, the error against it. */
const unreadable = showFormAgain<ConsoleEnv>((c, text) =>
  refuse(c, 400, text, c.req.path.endsWith('/subscriptions') ? 'target' : LIST),
);
subscriptionRoutes.onError(unreadable);

/** What to enter as the target, by kind, when what was entered is not that. */
const TARGET_HINTS: Record<SubscriptionKind, string> = {
  webhook: 'Enter the webhook’s address, like https://example.gov.uk/tellus',
  email: 'Enter an email address, like team@example.gov.uk',
  teams: 'Enter the URL of the channel’s Teams workflow, like https://…logic.azure.com/workflows/…',
  slack: 'Enter the channel’s Slack webhook URL, like https://hooks.slack.com/services/…',
};

subscriptionRoutes.get('/', (c) => showSubscriptions(c));

subscriptionRoutes.post('/', async (c) => {
  const form = await readForm(c);
  const parsed = v.safeParse(NewSubscription, {
    department_id: c.var.department,
    kind: form.kind,
    target: form.target ?? '',
    mode: form.mode,
  });
  const errors: FieldError[] = parsed.success
    ? []
    : fieldErrors(parsed.issues, 'target', (field) =>
        field === 'mode'
          ? 'Only email has daily digests: a webhook, Teams or Slack sends each story as it arrives, so choose “Each story”'
          : field === 'kind'
            ? 'Choose how to send stories: webhook, email, Microsoft Teams or Slack'
            : TARGET_HINTS[v.is(v.picklist(SUBSCRIPTION_KINDS), form.kind) ? form.kind : 'webhook'],
      );
  if (parsed.success) {
    const problem = subscriptionUrlProblem(parsed.output.kind, parsed.output.target, {
      allowLocal: c.env.ALLOW_LOCAL_WEBHOOKS === 'true',
      noun: 'address',
    });
    if (problem) errors.push({ field: 'target', text: problem });
  }
  if (!parsed.success || errors.length) return showSubscriptions(c, { errors, form }, 422);
  const secret = parsed.output.kind === 'webhook' ? newWebhookSecret() : null;
  const id = `sub_${newId().replaceAll('-', '')}`;
  const created = await insertSubscription(c.var.db, id, parsed.output, secret, {
    max: MAX_SUBSCRIPTIONS_PER_DEPARTMENT,
    actor: c.var.actor,
  });
  if (!created) {
    const text = `Your department has ${MAX_SUBSCRIPTIONS_PER_DEPARTMENT} subscriptions, the most a department may have`;
    return showSubscriptions(c, { errors: [{ field: 'target', text }], form }, 409);
  }
  if (!secret) return c.redirect('/console/subscriptions', 303);
  // The secret is shown this once, so this answer is the page itself, not a redirect.
  return showSubscriptions(c, { secret: { id, secret } });
});

/** The department's own subscription, or undefined (another department's is not found, as none). */
async function ownSubscription(c: Ctx) {
  const subscription = await findSubscription(c.var.db, c.req.param('id') ?? '');
  return subscription?.departmentId === c.var.department ? subscription : undefined;
}

const notFound = (c: Ctx) => refuse(c, 404, 'Your department has no such subscription');

subscriptionRoutes.post('/:id/pause', async (c) => {
  await readForm(c);
  const subscription = await ownSubscription(c);
  if (!subscription) return notFound(c);
  const reason = `Paused by ${c.var.actor}`;
  if (!(await pauseSubscription(c.var.db, subscription.id, reason, Date.now(), c.var.actor))) {
    return refuse(c, 409, 'That subscription is not sending, so there is nothing to pause');
  }
  return c.redirect('/console/subscriptions?done=paused', 303);
});

subscriptionRoutes.post('/:id/resume', async (c) => {
  await readForm(c);
  const subscription = await ownSubscription(c);
  if (!subscription) return notFound(c);
  const verdict = departmentMayResume(subscription);
  if (!verdict.may) return refuse(c, 409, `That subscription cannot be resumed here. ${verdict.why}`);
  // Only over the standing the verdict was made on: an operator disabling it meanwhile wins.
  if (!(await enableSubscription(c.var.db, subscription.id, { actor: c.var.actor, as: subscription }))) {
    return refuse(c, 409, 'That subscription changed meanwhile: look at it again, then try again');
  }
  return c.redirect('/console/subscriptions?done=resumed', 303);
});

subscriptionRoutes.post('/:id/test', async (c) => {
  await readForm(c);
  const subscription = await ownSubscription(c);
  if (!subscription) return notFound(c);
  const verdict = departmentMayTest(subscription);
  if (!verdict.may) return refuse(c, 409, `No test was sent. ${verdict.why}`);
  const outcome = await sendTestEvent(c.env, c.var.db, subscription);
  if (!outcome.sent) {
    const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
    const text = `A subscription may have ${TESTS_PER_WINDOW} test events an hour: try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
    c.header('Retry-After', String(outcome.retryAfterSeconds));
    return refuse(c, 429, text);
  }
  return c.redirect(`/console/subscriptions?done=${outcome.ok ? 'test-ok' : 'test-failed'}`, 303);
});

/** `/console/deliveries/:id/replay`: one failed delivery of the department's, tried again now. */
export const deliveryRoutes = new Hono<ConsoleEnv>();
deliveryRoutes.onError(unreadable);
deliveryRoutes.post('/:id/replay', async (c) => {
  await readForm(c);
  const [delivery] = await failedDeliveries(c.var.db, {
    id: c.req.param('id'),
    departmentId: c.var.department,
  });
  if (!delivery) return notFound(c);
  const [due] = await makeDueNow(c.var.db, { deliveryId: delivery.id }, Date.now());
  const outcome =
    due?.kind === 'each' ? await attemptDelivery(c.env, due.id, Date.now(), c.var.db) : 'skipped';
  const done = outcome === 'delivered' ? 'delivered' : outcome === 'retrying' ? 'retrying' : 'waiting';
  return c.redirect(`/console/subscriptions?done=${done}`, 303);
});
