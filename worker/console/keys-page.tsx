/**
 * The console's API keys page: the department's keys (label, scopes, when created and last used,
 * live or revoked), a new key shown this once, and the form to create one.
 */
import type { Context } from 'hono';
import { KEY_SCOPES, type KeyScope } from '../../shared';
import { listApiKeys } from '../db/department';
import { DoneBanner, type DoneMessage } from './done';
import { Banner, Csrf, type FieldError, Page, Table, TextInput, when } from './layout';
import { render } from './render';
import type { ConsoleEnv } from './session';

const DONE: Record<string, DoneMessage> = {
  revoked: { text: 'The key was revoked: requests with it are refused from now on.', success: true },
};

/** Where an error about one of the listed keys points: the list itself. */
export const KEYS = 'your-keys';

export const SCOPE_WORDS: Record<KeyScope, string> = {
  read: 'Read stories',
  answer: 'Answer stories, and change their status and tags',
};

/** The form's checkbox of a scope (one name each, as the console reads one value per name). */
export const scopeField = (scope: KeyScope) => `scope-${scope}`;

interface Shown {
  errors?: FieldError[];
  form?: Record<string, string>;
  /** A key just created: shown on this answer only. */
  created?: { label: string; key: string };
}

export async function showKeys(
  c: Context<ConsoleEnv>,
  { errors = [], form = {}, created }: Shown = {},
  status: 200 | 400 | 404 | 409 | 422 = 200,
) {
  const keys = await listApiKeys(c.var.db, c.var.department);
  const csrf = c.var.member.csrf;
  return render(
    c,
    <Page title="API keys" member={c.var.member} section="keys" errors={errors}>
      <DoneBanner messages={DONE} code={c.req.query('done')} />
      {created ? (
        <Banner title="Key created" success>
          <p class="govuk-notification-banner__heading">
            Copy the key “{created.label}” now: it is not shown again.
          </p>
          <p class="govuk-body">
            Your system sends it as <code>Authorization: Bearer …</code>: <code id="key">{created.key}</code>
          </p>
        </Banner>
      ) : null}
      <h1 class="govuk-heading-l">API keys</h1>
      <p class="govuk-body">
        Keys let your department’s systems read and answer its stories through the Tellus API.
      </p>
      <div id={KEYS}>
        {keys.length ? (
          <Table
            caption="Your keys"
            head={['Label', 'May', 'Created', 'Last used', 'State']}
            rows={keys.map((k) => [
              k.label ?? 'No label',
              k.scopes.map((scope) => SCOPE_WORDS[scope]).join('; '),
              when(k.createdAt),
              k.lastUsedAt ? when(k.lastUsedAt) : 'Never',
              k.revokedAt ? (
                <strong class="govuk-tag govuk-tag--grey">Revoked {when(k.revokedAt)}</strong>
              ) : (
                <>
                  <strong class="govuk-tag govuk-tag--green">Live</strong>{' '}
                  <a class="govuk-link" href={`/console/keys/${k.id}/revoke`}>
                    Revoke <span class="govuk-visually-hidden">{k.label ?? k.id}</span>
                  </a>
                </>
              ),
            ])}
          />
        ) : (
          <p class="govuk-body">Your department has no API keys yet.</p>
        )}
      </div>

      <h2 class="govuk-heading-m">Create a key</h2>
      <form method="post" action="/console/keys" novalidate>
        <Csrf token={csrf} />
        <TextInput
          id="label"
          label="Label"
          hint="Which system or person will hold the key, like “Case system”"
          value={form.label}
          errors={errors}
        />
        <ScopeCheckboxes form={form} errors={errors} />
        <button type="submit" class="govuk-button">
          Create key
        </button>
      </form>
    </Page>,
    status,
  );
}

/** GOV.UK checkboxes in a fieldset: the first one has the id `scopes`, for the error summary's link. */
function ScopeCheckboxes({ form, errors }: { form: Record<string, string>; errors: FieldError[] }) {
  const error = errors.find((e) => e.field === 'scopes');
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={error ? 'scopes-error' : undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">What the key may do</legend>
        {error ? (
          <p class="govuk-error-message" id="scopes-error">
            <span class="govuk-visually-hidden">Error:</span> {error.text}
          </p>
        ) : null}
        <div class="govuk-checkboxes">
          {KEY_SCOPES.map((scope, i) => {
            const id = i === 0 ? 'scopes' : scopeField(scope);
            return (
              <div class="govuk-checkboxes__item">
                <input
                  class="govuk-checkboxes__input"
                  id={id}
                  name={scopeField(scope)}
                  type="checkbox"
                  value="yes"
                  checked={form[scopeField(scope)] === 'yes'}
                />
                <label class="govuk-label govuk-checkboxes__label" for={id}>
                  {SCOPE_WORDS[scope]}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
