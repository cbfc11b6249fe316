/**
 * The console's subscriptions page: the department's subscriptions with only the buttons it may
 * use, the failed deliveries, and the form to add one.
 */
import type { Context } from 'hono';
import { maskedTarget, SUBSCRIPTION_KIND_NAMES } from '../../shared';
import { listSubscriptions } from '../db/admin';
import { failedDeliveries } from '../db/deliveries';
import type { Subscription } from '../db/schema';
import {
  departmentMayResume,
  departmentMayTest,
  MAX_SUBSCRIPTIONS_PER_DEPARTMENT,
} from '../subscription-rules';
import { DoneBanner, type DoneMessage } from './done';
import { Banner, Csrf, type FieldError, Page, Table, when } from './layout';
import { render } from './render';
import type { ConsoleEnv } from './session';
import { AddSubscriptionForm } from './subscription-form';

// Fixed words only: what a receiver or the network answered is never shown from the URL.
const DONE: Record<string, DoneMessage> = {
  paused: {
    text: 'The subscription is paused: stories that come in while it is paused are not sent to it. Deliveries it already had wait until you resume it.',
    success: true,
  },
  resumed: { text: 'The subscription is sending again.', success: true },
  'test-ok': { text: 'The test event was received.', success: true },
  'test-failed': {
    text: 'The test event was not received: the receiver did not accept it in time. Check its address, that it is up, and that it answers 2xx.',
    success: false,
  },
  delivered: { text: 'The delivery was tried again and arrived.', success: true },
  retrying: {
    text: 'The delivery was tried again and failed again: it will be retried on its schedule.',
    success: false,
  },
  waiting: {
    text: 'The delivery was not sent now: its subscription is paused, it is being sent already, or it goes in a digest.',
    success: false,
  },
};

/** A subscription's target as the page shows it: a Teams or Slack URL, a secret, masked. */
const shownTarget = (s: Pick<Subscription, 'kind' | 'target'>) => maskedTarget(s.kind, s.target);

/** Where an error about one of the listed subscriptions points: the list itself. */
export const LIST = 'your-subscriptions';

interface Shown {
  errors?: FieldError[];
  form?: Record<string, string>;
  secret?: { id: string; secret: string };
}

export async function showSubscriptions(
  c: Context<ConsoleEnv>,
  shown: Shown = {},
  status: 200 | 400 | 404 | 409 | 422 | 429 = 200,
) {
  const { errors = [], form = {}, secret } = shown;
  const [subscriptions, failed] = await Promise.all([
    listSubscriptions(c.var.db, c.var.department),
    failedDeliveries(c.var.db, { departmentId: c.var.department, limit: 50 }),
  ]);
  const csrf = c.var.member.csrf;
  return render(
    c,
    <Page title="Subscriptions" member={c.var.member} section="subscriptions" errors={errors}>
      <DoneBanner messages={DONE} code={c.req.query('done')} />
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
        Where your department's stories go as they arrive: a webhook to your systems, email, or a Microsoft
        Teams or Slack channel.
      </p>
      <div id={LIST}>
        {subscriptions.length ? (
          <Table
            caption="Your subscriptions"
            head={['To', 'Sends', 'State', 'Actions']}
            rows={subscriptions.map((s) => [
              `${SUBSCRIPTION_KIND_NAMES[s.kind]} ${shownTarget(s)}`,
              `${s.mode === 'daily' ? 'A daily digest' : 'Each story'}${s.minSeverity === 'urgent' ? ', urgent only' : ''}`,
              <State subscription={s} />,
              <Actions subscription={s} csrf={csrf} />,
            ])}
          />
        ) : (
          <p class="govuk-body">Your department has no subscriptions yet.</p>
        )}
      </div>

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
      <p class="govuk-body">
        A department may have up to {MAX_SUBSCRIPTIONS_PER_DEPARTMENT} subscriptions; yours has{' '}
        {subscriptions.length}.
      </p>
      <AddSubscriptionForm csrf={csrf} form={form} errors={errors} />
    </Page>,
    status,
  );
}

const TAGS = {
  department: ['Paused', 'grey'],
  failures: ['Stopped after failures', 'red'],
  operator: ['Disabled by an operator', 'grey'],
} as const;

/** The subscription's state, who stopped it and why, and, if the department may not resume it, why not. */
function State({ subscription: s }: { subscription: Subscription }) {
  if (s.state === 'active') return <strong class="govuk-tag govuk-tag--green">Active</strong>;
  const [label, colour] = TAGS[s.disabledBy ?? 'operator'];
  const resume = departmentMayResume(s);
  return (
    <>
      <strong class={`govuk-tag govuk-tag--${colour}`}>{label}</strong>
      {s.disabledReason ? <p class="govuk-body-s">{s.disabledReason}</p> : null}
      {resume.may ? null : <p class="govuk-body-s">{resume.why}</p>}
    </>
  );
}

/** Only the buttons the department may use: no Resume it would refuse. */
function Actions({ subscription: s, csrf }: { subscription: Subscription; csrf: string }) {
  const base = `/console/subscriptions/${s.id}`;
  return (
    <div class="govuk-button-group">
      {s.state === 'active' ? (
        <Action csrf={csrf} action={`${base}/pause`} label="Pause" hidden={shownTarget(s)} />
      ) : departmentMayResume(s).may ? (
        <Action csrf={csrf} action={`${base}/resume`} label="Resume" hidden={shownTarget(s)} />
      ) : null}
      {departmentMayTest(s).may ? (
        <Action csrf={csrf} action={`${base}/test`} label="Send a test" hidden={`to ${shownTarget(s)}`} />
      ) : null}
    </div>
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
