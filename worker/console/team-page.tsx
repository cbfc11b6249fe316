/**
 * The console's team page: who may sign in to the department's console, with their roles, last
 * sign-ins and who invited them, the buttons to change a role or remove someone, and the form to
 * invite a colleague.
 */
import type { Context } from 'hono';
import type { MemberRole } from '../../shared';
import type { Member as TeamMember } from '../db/schema';
import { teamOf } from '../db/team';
import { DoneBanner, type DoneMessage } from './done';
import { Csrf, type FieldError, Page, Table, TextInput, when } from './layout';
import { render } from './render';
import type { ConsoleEnv } from './session';

// Fixed words only: nothing from the URL is shown.
const DONE: Record<string, DoneMessage> = {
  invited: { text: 'The invitation was sent. Its link works once, within 7 days.', success: true },
  'invited-not-sent': {
    text: 'They were added to the team, but the invitation email could not be sent. They can ask for a sign-in link on the sign-in page.',
    success: false,
  },
  'role-changed': { text: 'The role was changed.', success: true },
  removed: { text: 'They were removed from the team and signed out.', success: true },
};

/** Where an error about one of the listed members points: the list itself. */
export const TEAM = 'your-team';

export const ROLE_NAMES: Record<MemberRole, string> = { admin: 'Admin', member: 'Member' };
const ROLE_HINTS: Record<MemberRole, string> = {
  member: 'Reads, answers, publishes and exports stories',
  admin: 'Also sets up services, subscriptions, the team and API keys',
};

interface Shown {
  errors?: FieldError[];
  form?: Record<string, string>;
}

export async function showTeam(
  c: Context<ConsoleEnv>,
  { errors = [], form = {} }: Shown = {},
  status: 200 | 400 | 404 | 409 | 422 | 429 = 200,
) {
  const team = await teamOf(c.var.db, c.var.department);
  const { csrf, email: you } = c.var.member;
  const contactRow = team.contactEmail
    ? [
        [
          team.contactEmail === you ? `${you} (you)` : team.contactEmail,
          ROLE_NAMES.admin,
          '',
          'Department contact address, set by an operator',
          'Cannot be changed here',
        ],
      ]
    : [];
  return render(
    c,
    <Page title="Team" member={c.var.member} section="team" errors={errors}>
      <DoneBanner messages={DONE} code={c.req.query('done')} />
      <h1 class="govuk-heading-l">Team</h1>
      <p class="govuk-body">
        Who may sign in to {c.var.member.departmentName}’s console. A department always keeps at least one
        admin besides its contact address.
      </p>
      <div id={TEAM}>
        <Table
          caption="Your team"
          head={['Email address', 'Role', 'Last signed in', 'Invited by', 'Actions']}
          rows={[
            ...contactRow,
            ...team.members.map((m) => [
              m.email === you ? `${m.email} (you)` : m.email,
              ROLE_NAMES[m.role],
              m.lastSignInAt ? when(m.lastSignInAt) : 'Never',
              invitedBy(m.invitedBy),
              <Actions member={m} csrf={csrf} />,
            ]),
          ]}
        />
      </div>

      <h2 class="govuk-heading-m">Invite a colleague</h2>
      <p class="govuk-body">
        We email them a link to sign in, which works once within 7 days, saying you invited them.
      </p>
      <form method="post" action="/console/team" novalidate>
        <Csrf token={csrf} />
        <TextInput
          id="email"
          label="Their email address"
          type="email"
          autocomplete="off"
          value={form.email}
          errors={errors}
        />
        <RoleRadios value={form.role} errors={errors} />
        <button type="submit" class="govuk-button">
          Send invitation
        </button>
      </form>
    </Page>,
    status,
  );
}

function invitedBy(by: string | null) {
  if (by === 'operator') return 'A Tellus operator';
  return by ?? 'Not recorded';
}

/** The buttons for one member: make them admin or member, and remove them (after a question). */
function Actions({ member: m, csrf }: { member: TeamMember; csrf: string }) {
  const to: MemberRole = m.role === 'admin' ? 'member' : 'admin';
  return (
    <div class="govuk-button-group">
      <form method="post" action={`/console/team/${m.id}/role`}>
        <Csrf token={csrf} />
        <input type="hidden" name="role" value={to} />
        <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1">
          Make {to} <span class="govuk-visually-hidden">{m.email}</span>
        </button>
      </form>
      <a class="govuk-link" href={`/console/team/${m.id}/remove`}>
        Remove <span class="govuk-visually-hidden">{m.email}</span>
      </a>
    </div>
  );
}

/** GOV.UK radios in a fieldset: the first one has the field's id, for the error summary's link. */
function RoleRadios({ value = 'member', errors }: { value?: string; errors: FieldError[] }) {
  const error = errors.find((e) => e.field === 'role');
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={error ? 'role-error' : undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Their role</legend>
        {error ? (
          <p class="govuk-error-message" id="role-error">
            <span class="govuk-visually-hidden">Error:</span> {error.text}
          </p>
        ) : null}
        <div class="govuk-radios">
          {(['member', 'admin'] as const).map((role, i) => {
            const id = i === 0 ? 'role' : `role-${role}`;
            return (
              <div class="govuk-radios__item">
                <input
                  class="govuk-radios__input"
                  id={id}
                  name="role"
                  type="radio"
                  value={role}
                  checked={role === value}
                  aria-describedby={`${id}-hint`}
                />
                <label class="govuk-label govuk-radios__label" for={id}>
                  {ROLE_NAMES[role]}
                </label>
                <div id={`${id}-hint`} class="govuk-hint govuk-radios__hint">
                  {ROLE_HINTS[role]}
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
