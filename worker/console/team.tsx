/**
 * `/console/team`, for admins: invite a colleague (a sign-in link by email, a few an hour), change
 * a member's role and remove a member, never leaving the department without an admin member.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { MEMBER_ROLES, type MemberRole, NewMember } from '../../shared';
import { spendSignInLinks } from '../db/console';
import { changeRole, findMember, inviteMember, isMember, removeMember, teamOf } from '../db/team';
import { invitationEmail } from '../delivery/email';
import { sendEmail } from '../delivery/send-email';
import { newId } from '../ids';
import { randomCode, sha256Hex } from '../spam/keys';
import { showFormAgain } from './form-body';
import { fieldErrors } from './form-errors';
import { Csrf, Page } from './layout';
import { render } from './render';
import { type ConsoleEnv, readForm } from './session';
import { publicOrigin } from './sign-in';
import { ROLE_NAMES, showTeam, TEAM } from './team-page';

/** How long an invitation's link works. */
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
/** Invitations a department's admins may send in an hour: enough for a team, too few to spam with. */
export const INVITATIONS_PER_HOUR = 20;
const HOUR_MS = 3600 * 1000;

export const teamRoutes = new Hono<ConsoleEnv>();
type Ctx = Context<ConsoleEnv>;

const refuse = (c: Ctx, status: 400 | 404 | 409 | 422 | 429, text: string, field = TEAM) =>
  showTeam(c, { errors: [{ field, text }] }, status);

teamRoutes.onError(
  showFormAgain<ConsoleEnv>((c, text) => refuse(c, 400, text, c.req.path.endsWith('/team') ? 'email' : TEAM)),
);

teamRoutes.get('/', (c) => showTeam(c));

const isRole = (role: string | undefined): role is MemberRole => MEMBER_ROLES.some((r) => r === role);

teamRoutes.post('/', async (c) => {
  const form = await readForm(c);
  const parsed = v.safeParse(NewMember, { email: form.email ?? '' });
  const errors = parsed.success
    ? []
    : fieldErrors(parsed.issues, 'email', () =>
        form.email?.trim()
          ? 'Enter an email address in the correct format, like name@example.gov.uk'
          : 'Enter the email address of the colleague to invite',
      );
  if (!isRole(form.role))
    errors.push({ field: 'role', text: 'Choose whether they are an admin or a member' });
  if (!parsed.success || !isRole(form.role)) return showTeam(c, { errors, form }, 422);
  const { email } = parsed.output;
  const { department, actor } = c.var;
  const already = (text: string) => showTeam(c, { errors: [{ field: 'email', text }], form }, 409);
  if ((await teamOf(c.var.db, department)).contactEmail === email) {
    return already(`${email} is your department’s contact address, which can always sign in as an admin`);
  }
  if (await isMember(c.var.db, department, email)) return already(`${email} is in your team already`);

  const token = `${randomCode()}${randomCode()}`;
  const hash = await sha256Hex(token);
  const now = Date.now();
  const invited = await inviteMember(
    c.var.db,
    {
      member: {
        id: `mem_${newId().replaceAll('-', '')}`,
        departmentId: department,
        email,
        role: form.role,
        invitedBy: actor,
      },
      link: { hash, expiresAt: new Date(now + INVITATION_TTL_MS).toISOString() },
      limit: INVITATIONS_PER_HOUR,
      since: new Date(now - HOUR_MS).toISOString(),
    },
    new Date(now),
  );
  if (!invited) {
    // Invited by another admin meanwhile, or the department's invitations for the hour are used up.
    if (await isMember(c.var.db, department, email)) return already(`${email} is in your team already`);
    const text = `Your department has sent ${INVITATIONS_PER_HOUR} invitations in the past hour, the most it may. Try again later.`;
    return showTeam(c, { errors: [{ field: 'email', text }], form }, 429);
  }
  const origin = publicOrigin(c.env, c.req.url);
  const message = invitationEmail(email, c.env.EMAIL_FROM, {
    inviter: actor,
    department: c.var.member.departmentName,
    role: form.role,
    url: `${origin}/console/sign-in/${token}`,
    signInPage: `${origin}/console/sign-in`,
  });
  try {
    await sendEmail(c.env, c.var.db, message, 'invitation', department);
  } catch (err) {
    console.error('Could not send an invitation', err);
    await spendSignInLinks(c.var.db, [hash], new Date().toISOString());
    return c.redirect('/console/team?done=invited-not-sent', 303);
  }
  return c.redirect('/console/team?done=invited', 303);
});

/** The department's own member, or undefined (another department's is not found, as none). */
async function ownMember(c: Ctx) {
  const member = await findMember(c.var.db, c.req.param('id') ?? '');
  return member?.departmentId === c.var.department ? member : undefined;
}

const notFound = (c: Ctx) => refuse(c, 404, 'Your team has no such member');

teamRoutes.post('/:id/role', async (c) => {
  const form = await readForm(c);
  const member = await ownMember(c);
  if (!member) return notFound(c);
  if (!isRole(form.role)) return refuse(c, 422, 'Choose whether they are an admin or a member');
  if (form.role === member.role)
    return refuse(c, 409, `${member.email} is ${form.role === 'admin' ? 'an admin' : 'a member'} already`);
  if (!(await changeRole(c.var.db, member, form.role, c.var.actor))) {
    return refuse(
      c,
      409,
      member.role === 'admin'
        ? `${member.email} is your team’s last admin, so stays an admin. Make someone else an admin first.`
        : `${member.email}’s role changed meanwhile: look at the team again, then try again`,
    );
  }
  // An admin who made themselves a member may no longer see this page.
  if (member.email === c.var.actor) return c.redirect('/console/stories', 303);
  return c.redirect('/console/team?done=role-changed', 303);
});

teamRoutes.get('/:id/remove', async (c) => {
  const member = await ownMember(c);
  if (!member) return notFound(c);
  const you = member.email === c.var.actor;
  return render(
    c,
    <Page title="Remove from the team" member={c.var.member} section="team">
      <h1 class="govuk-heading-l">Remove {you ? 'yourself' : member.email} from the team?</h1>
      <p class="govuk-body">
        {you ? 'You' : `${member.email} (${ROLE_NAMES[member.role].toLowerCase()})`} will be signed out at
        once and will no longer be able to sign in to {c.var.member.departmentName}’s console. An admin can
        invite them again.
      </p>
      <form method="post" action={`/console/team/${member.id}/remove`}>
        <Csrf token={c.var.member.csrf} />
        <div class="govuk-button-group">
          <button type="submit" class="govuk-button govuk-button--warning">
            Remove {you ? 'yourself' : member.email}
          </button>
          <a class="govuk-link" href="/console/team">
            Cancel
          </a>
        </div>
      </form>
    </Page>,
  );
});

teamRoutes.post('/:id/remove', async (c) => {
  await readForm(c);
  const member = await ownMember(c);
  if (!member) return notFound(c);
  if (!(await removeMember(c.var.db, member, { actor: c.var.actor, keepAnAdmin: true }))) {
    return refuse(
      c,
      409,
      member.role === 'admin'
        ? `${member.email} is your team’s last admin, so cannot be removed. Make someone else an admin first.`
        : `${member.email} changed meanwhile: look at the team again, then try again`,
    );
  }
  if (member.email === c.var.actor) return c.redirect('/console/sign-in', 303);
  return c.redirect('/console/team?done=removed', 303);
});
