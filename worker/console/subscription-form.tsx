/** The console's form to add a subscription: how stories are sent (with where to find the URL to paste), where, how often. */
import { SUBSCRIPTION_KINDS, type SubscriptionKind } from '../../shared';
import { Csrf, type FieldError, Select, TextInput } from './layout';

/** Each kind's label, and the hint that says what to paste. */
const KINDS: Record<SubscriptionKind, [label: string, hint: string]> = {
  webhook: [
    'Webhook (signed, to your system)',
    'Your system’s https address. Each request is signed (Standard Webhooks); the signing secret is shown once, after you add it.',
  ],
  email: ['Email', 'An email address: each story as it arrives, or a daily digest.'],
  teams: [
    'Microsoft Teams channel',
    'In Teams, open the channel’s Workflows, choose “Post to a channel when a webhook request is received”, and paste the URL the workflow gives you. Each story is posted as a card.',
  ],
  slack: [
    'Slack channel',
    'In Slack, add an app with Incoming Webhooks for the channel and paste its Webhook URL (https://hooks.slack.com/services/…). Each story is posted as a message.',
  ],
};

/** GOV.UK radios in a fieldset, each kind with its hint; the first has the field's id, for the error summary's link. */
function KindRadios({ value = 'webhook', errors }: { value?: string; errors: FieldError[] }) {
  const error = errors.find((e) => e.field === 'kind');
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={error ? 'kind-error' : undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Send stories by</legend>
        {error ? (
          <p class="govuk-error-message" id="kind-error">
            <span class="govuk-visually-hidden">Error:</span> {error.text}
          </p>
        ) : null}
        <div class="govuk-radios">
          {SUBSCRIPTION_KINDS.map((kind, i) => {
            const id = i === 0 ? 'kind' : `kind-${kind}`;
            const [label, hint] = KINDS[kind];
            return (
              <div class="govuk-radios__item">
                <input
                  class="govuk-radios__input"
                  id={id}
                  name="kind"
                  type="radio"
                  value={kind}
                  checked={kind === value}
                  aria-describedby={`${id}-hint`}
                />
                <label class="govuk-label govuk-radios__label" for={id}>
                  {label}
                </label>
                <div id={`${id}-hint`} class="govuk-hint govuk-radios__hint">
                  {hint}
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function AddSubscriptionForm({
  csrf,
  form,
  errors,
}: {
  csrf: string;
  form: Record<string, string>;
  errors: FieldError[];
}) {
  return (
    <form method="post" action="/console/subscriptions" novalidate>
      <Csrf token={csrf} />
      <KindRadios value={form.kind} errors={errors} />
      <TextInput
        id="target"
        label="Where to"
        hint="The address for the kind chosen above. A Teams or Slack URL lets anyone who has it post to the channel, so Tellus keeps it secret: once added, only its start is shown."
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
  );
}
