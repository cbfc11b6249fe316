/**
 * The department's subscriptions in the console: list, add, pause and resume, send a test event,
 * and the deliveries that failed, each to replay.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { NewSubscription } from '../../shared';
import { findSubscription, insertSubscription, listSubscriptions, setSubscriptionState } from '../db/admin';
import { failedDeliveries, makeDueNow } from '../db/deliveries';
import { attemptDelivery } from '../delivery/deliver';
import { newWebhookSecret } from '../delivery/signing';
import { sendTestEvent } from '../delivery/test-event';
import { webhookUrlProblem } from '../delivery/webhook-url';
import { newId } from '../ids';
import { fieldErrors } from './form-errors';
import { Banner, Csrf, type FieldError, Page, Select, Table, TextInput, when } from './layout';
import { render } from './render';
import { type ConsoleEnv, readForm } from './session';

export const subscriptionRoutes = new Hono<ConsoleEnv>();
type Ctx = Context<ConsoleEnv>;

const DONE: Record<string, string> = {
  paused: 'The subscription is paused: stories wait for it until you resume it.',
  resumed: 'The subscription is sending again.',
  'test-ok': 'The test event was received.',
  'test-failed': 'The test event was not received',
  delivered: 'The delivery was tried again and arrived.',
  retrying: 'The delivery was tried again and failed again: it will be retried on its schedule.',
  waiting:
    'The delivery was not sent now: its subscription is paused, it is being sent already, or it goes in a digest.',
};

interface Shown {
  errors?: FieldError[];
  form?: Record<string, string>;
  secret?: { id: string; secret: string };
}

async function showSubscriptions(c: Ctx, shown: Shown = {}, status: 200 | 404 | 422 = 200) {
  const { errors = [], form = {}, secret } = shown;
  const [subscriptions, failed] = await Promise.all([
    listSubscriptions(c.var.db, c.var.department),
    failedDeliveries(c.var.db, { departmentId: c.var.department, limit: 50 }),
  ]);
  const done = c.req.query('done');
  const csrf = c.var.member.csrf;
  return render(
    c,
    <Page title="Subscriptions" member={c.var.member} section="subscriptions" errors={errors}>
      {done && DONE[done] ? (
        <Banner
          title="Done"
          success={done === 'test-ok' || done === 'delivered' || done === 'paused' || done === 'resumed'}
        >
          <p class="govuk-notification-banner__heading">
            {DONE[done]}
            {done === 'test-failed' ? `: ${c.req.query('error') ?? 'no answer'}` : ''}
          </p>
        </Banner>
      ) : null}
      {secret ? (
        <Banner title="Subscription added" success>
          <p class="govuk-notification-banner__heading">
            Copy the signing secret now: it is not shown again.
          </p>
          <p class="govuk-body">
            Your receiver checks each webhook's signature with it (Standard Webhooks):{' '}
            <code id="secret">{secret.secret}</code>
          </p>
        </Banner>
      ) : null}
      <h1 class="govuk-heading-l">Subscriptions</h1>
      <p class="govuk-body">
        Where your department's stories go as they arrive: a webhook to your systems, or email.
      </p>
      {subscriptions.length ? (
        <Table
          caption="Your subscriptions"
          head={['To', 'Sends', 'State', 'Actions']}
          rows={subscriptions.map((s) => [
            `${s.kind === 'webhook' ? 'Webhook' : 'Email'} ${s.target}`,
            `${s.mode === 'daily' ? 'A daily digest' : 'Each story'}${s.minSeverity === 'urgent' ? ', urgent only' : ''}`,
            <>
              {s.state === 'active' ? (
                <strong class="govuk-tag govuk-tag--green">Active</strong>
              ) : (
                <strong class="govuk-tag govuk-tag--grey">Paused</strong>
              )}
              {s.state !== 'active' && s.disabledReason ? (
                <p class="govuk-body-s">{s.disabledReason}</p>
              ) : null}
            </>,
            <div class="govuk-button-group">
              <Action
                csrf={csrf}
                action={`/console/subscriptions/${s.id}/${s.state === 'active' ? 'pause' : 'resume'}`}
                label={s.state === 'active' ? 'Pause' : 'Resume'}
                hidden={s.target}
              />
              <Action
                csrf={csrf}
                action={`/console/subscriptions/${s.id}/test`}
                label="Send a test"
                hidden={`to ${s.target}`}
              />
            </div>,
          ])}
        />
      ) : (
        <p class="govuk-body">Your department has no subscriptions yet.</p>
      )}

      <h2 class="govuk-heading-m">Failed deliveries</h2>
      {failed.length ? (
        <Table
          head={['Story', 'Last error', 'Next try', 'Replay']}
          rows={failed.map((d) => [
            <a class="govuk-link" href={`/console/stories/${d.feedbackId}`}>
              Story received with delivery {d.id.slice(-6)}
            </a>,
            `${d.lastError ?? `HTTP ${d.lastStatus}`} (${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'})`,
            when(d.dueAt),
            <Action
              csrf={csrf}
              action={`/console/deliveries/${d.id}/replay`}
              label="Try again now"
              hidden={`delivery ${d.id.slice(-6)}`}
            />,
          ])}
        />
      ) : (
        <p class="govuk-body">No delivery is failing.</p>
      )}

      <h2 class="govuk-heading-m">Add a subscription</h2>
      <form method="post" action="/console/subscriptions" novalidate>
        <Csrf token={csrf} />
        <Select
          id="kind"
          label="Send stories by"
          value={form.kind}
          errors={errors}
          options={[
            ['webhook', 'Webhook (signed, to your system)'],
            ['email', 'Email'],
          ]}
        />
        <TextInput
          id="target"
          label="Where to"
          hint="A webhook's https address, or an email address"
          value={form.target}
          errors={errors}
        />
        <Select
          id="mode"
          label="How often"
          value={form.mode}
          errors={errors}
          options={[
            ['each', 'Each story as it arrives'],
            ['daily', 'A daily digest (email only)'],
          ]}
        />
        <button type="submit" class="govuk-button">
          Add subscription
        </button>
      </form>
    </Page>,
    status,
  );
}

/** A button that posts to `action`; `hidden` tells screen readers which row it acts on. */
const Action = ({
  csrf,
  action,
  label,
  hidden,
}: {
  csrf: string;
  action: string;
  label: string;
  hidden: string;
}) => (
  <form method="post" action={action}>
    <Csrf token={csrf} />
    <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1">
      {label} <span class="govuk-visually-hidden">{hidden}</span>
    </button>
  </form>
);

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
          ? 'A webhook sends each story as it arrives: choose “Each story”'
          : field === 'kind'
            ? 'Choose webhook or email'
            : form.kind === 'email'
              ? 'Enter an email address, like team@example.gov.uk'
              : 'Enter the webhook’s address, like https://example.gov.uk/tellus',
      );
  if (parsed.success && parsed.output.kind === 'webhook') {
    const problem = webhookUrlProblem(parsed.output.target, {
      allowLocal: c.env.ALLOW_LOCAL_WEBHOOKS === 'true',
    });
    if (problem) errors.push({ field: 'target', text: `The webhook address ${problem}` });
  }
  if (!parsed.success || errors.length) return showSubscriptions(c, { errors, form }, 422);
  const secret = parsed.output.kind === 'webhook' ? newWebhookSecret() : null;
  const id = `sub_${newId().replaceAll('-', '')}`;
  await insertSubscription(c.var.db, id, parsed.output, secret);
  if (!secret) return c.redirect('/console/subscriptions', 303);
  // The secret is shown this once, so this answer is the page itself, not a redirect.
  return showSubscriptions(c, { secret: { id, secret } });
});

/** The department's own subscription, or undefined (another department's is not found, as none). */
async function ownSubscription(c: Ctx) {
  const subscription = await findSubscription(c.var.db, c.req.param('id') ?? '');
  return subscription?.departmentId === c.var.department ? subscription : undefined;
}

const notFound = (c: Ctx) =>
  showSubscriptions(
    c,
    { errors: [{ field: 'kind', text: 'Your department has no such subscription' }] },
    404,
  );

subscriptionRoutes.post('/:id/pause', async (c) => {
  await readForm(c);
  const subscription = await ownSubscription(c);
  if (!subscription) return notFound(c);
  await setSubscriptionState(c.var.db, subscription.id, 'disabled', `Paused by ${c.var.actor}`);
  return c.redirect('/console/subscriptions?done=paused', 303);
});

subscriptionRoutes.post('/:id/resume', async (c) => {
  await readForm(c);
  const subscription = await ownSubscription(c);
  if (!subscription) return notFound(c);
  await setSubscriptionState(c.var.db, subscription.id, 'active', null);
  return c.redirect('/console/subscriptions?done=resumed', 303);
});

subscriptionRoutes.post('/:id/test', async (c) => {
  await readForm(c);
  const subscription = await ownSubscription(c);
  if (!subscription) return notFound(c);
  const result = await sendTestEvent(c.env, c.var.db, subscription);
  const query = result.ok
    ? 'done=test-ok'
    : `done=test-failed&error=${encodeURIComponent(result.error ?? '')}`;
  return c.redirect(`/console/subscriptions?${query}`, 303);
});

/** `/console/deliveries/:id/replay`: one failed delivery of the department's, tried again now. */
export const deliveryRoutes = new Hono<ConsoleEnv>().post('/:id/replay', async (c) => {
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
