/**
 * `/console/keys`, for admins: create a department API key (shown once, on the answer to the form)
 * and revoke one of the department's own live keys.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { KEY_SCOPES, NewApiKey } from '../../shared';
import { newApiKey } from '../api-keys';
import { findApiKey, insertApiKey, revokeApiKey } from '../db/department';
import { showFormAgain } from './form-body';
import { fieldErrors } from './form-errors';
import { KEYS, scopeField, showKeys } from './keys-page';
import { Csrf, Page } from './layout';
import { render } from './render';
import { type ConsoleEnv, readForm } from './session';

export const keyRoutes = new Hono<ConsoleEnv>();
type Ctx = Context<ConsoleEnv>;

const refuse = (c: Ctx, status: 400 | 404 | 409 | 422, text: string, field = KEYS) =>
  showKeys(c, { errors: [{ field, text }] }, status);

keyRoutes.onError(
  showFormAgain<ConsoleEnv>((c, text) => refuse(c, 400, text, c.req.path.endsWith('/keys') ? 'label' : KEYS)),
);

keyRoutes.get('/', (c) => showKeys(c));

keyRoutes.post('/', async (c) => {
  const form = await readForm(c);
  const label = (form.label ?? '').trim();
  const parsed = v.safeParse(NewApiKey, {
    label,
    scopes: KEY_SCOPES.filter((scope) => form[scopeField(scope)] === 'yes'),
  });
  const errors = parsed.success
    ? []
    : fieldErrors(parsed.issues, 'label', (field) =>
        field === 'scopes'
          ? 'Choose what the key may do: read stories, answer them, or both'
          : 'Enter a label of 100 characters or fewer',
      );
  if (!label)
    errors.unshift({ field: 'label', text: 'Enter a label: which system or person will hold the key' });
  if (!parsed.success || !label) return showKeys(c, { errors, form }, 422);
  const { key, ...stored } = await newApiKey();
  await insertApiKey(
    c.var.db,
    { ...stored, departmentId: c.var.department, scopes: parsed.output.scopes, label },
    c.var.actor,
  );
  // The key is shown this once, so this answer is the page itself, not a redirect.
  return showKeys(c, { created: { label, key } });
});

/** The department's own key, or undefined (another department's is not found, as none). */
async function ownKey(c: Ctx) {
  const key = await findApiKey(c.var.db, c.req.param('id') ?? '');
  return key?.departmentId === c.var.department ? key : undefined;
}

const notFound = (c: Ctx) => refuse(c, 404, 'Your department has no such key');

keyRoutes.get('/:id/revoke', async (c) => {
  const key = await ownKey(c);
  if (!key) return notFound(c);
  if (key.revokedAt) return refuse(c, 409, 'That key is revoked already');
  const name = key.label ? `the key “${key.label}”` : 'this key';
  return render(
    c,
    <Page title="Revoke a key" member={c.var.member} section="keys">
      <h1 class="govuk-heading-l">Revoke {name}?</h1>
      <p class="govuk-body">
        Every request with it is refused from the moment you revoke it. A revoked key cannot be used again:
        the system that holds it will need a new one.
      </p>
      <form method="post" action={`/console/keys/${key.id}/revoke`}>
        <Csrf token={c.var.member.csrf} />
        <div class="govuk-button-group">
          <button type="submit" class="govuk-button govuk-button--warning">
            Revoke the key
          </button>
          <a class="govuk-link" href="/console/keys">
            Cancel
          </a>
        </div>
      </form>
    </Page>,
  );
});

keyRoutes.post('/:id/revoke', async (c) => {
  await readForm(c);
  const key = await ownKey(c);
  if (!key) return notFound(c);
  if (!(await revokeApiKey(c.var.db, key, c.var.actor))) return refuse(c, 409, 'That key is revoked already');
  return c.redirect('/console/keys?done=revoked', 303);
});
