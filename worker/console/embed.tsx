/**
 * `/console/services/:id/embed` (admins): the script tag to paste for each of the widget's modes,
 * pinned to this release, and the Content-Security-Policy the host page needs.
 */
import { type Context, Hono } from 'hono';
import { findService } from '../db/queries';
import { publicOrigin } from '../public-origin';
import {
  hostCsp,
  MODES,
  type PinnedWidget,
  readPinnedWidget,
  scriptTag,
  type WidgetMode,
} from './embed-code';
import { Page } from './layout';
import { render } from './render';
import type { ConsoleEnv } from './session';

type Ctx = Context<ConsoleEnv>;

/** The department's own service named in the path, or undefined: another department's is not found. */
export async function ownService(c: Ctx) {
  const service = await findService(c.var.db, c.req.param('id') ?? '');
  return service?.departmentId === c.var.department ? service : undefined;
}

export const serviceNotFound = (c: Ctx) =>
  render(
    c,
    <Page title="Service not found" member={c.var.member} section="services">
      <h1 class="govuk-heading-l">Service not found</h1>
      <p class="govuk-body">Your department has no service with this id.</p>
    </Page>,
    404,
  );

/** Turnstile's origin, from the script the widget loads for it. */
export const turnstileOrigin = (env: Env) => new URL(env.TURNSTILE_SCRIPT_URL).origin;

/** This release's pinned widget, per assets binding, once found; undefined while it is not built. */
const pins = new WeakMap<Fetcher, PinnedWidget>();

export async function pinnedWidget(assets: Fetcher): Promise<PinnedWidget | undefined> {
  const known = pins.get(assets);
  if (known) return known;
  try {
    const res = await assets.fetch('https://assets.local/v1/widget.json');
    const pinned = res.ok ? readPinnedWidget(await res.json()) : undefined;
    if (pinned) pins.set(assets, pinned);
    return pinned;
  } catch (err) {
    console.error('No widget.json in the assets: run npm run build', err);
    return undefined;
  }
}

const WHAT_EACH_DOES: Record<WidgetMode, [string, string]> = {
  inline: ['In the page', 'The form, right after the script tag (or inside the element data-target names).'],
  tab: ['A Feedback tab', 'A tab in the corner of the window that opens the form in a dialog.'],
  useful: ['Is this page useful?', 'Yes or No; No opens the form.'],
  stories: ['Published stories', 'The stories you publish, with your answers and what changed.'],
};

export const embedRoutes = new Hono<ConsoleEnv>().get('/:id/embed', async (c) => {
  const service = await ownService(c);
  if (!service) return serviceNotFound(c);
  const tellus = publicOrigin(c.env, c.req.url);
  const pinned = await pinnedWidget(c.env.ASSETS);
  const modes = MODES.filter((mode) => mode !== 'stories' || service.publishing);
  const turnstile = service.turnstileSitekey ? turnstileOrigin(c.env) : undefined;
  return render(
    c,
    <Page title={`Embed code: ${service.name}`} member={c.var.member} section="services">
      <span class="govuk-caption-l">{service.name}</span>
      <h1 class="govuk-heading-l">Embed code</h1>
      <p class="govuk-body">
        Paste one of these where the widget should appear, on a page whose origin is registered for this
        service.{' '}
        <a class="govuk-link" href={`/console/services/${service.id}/preview`}>
          Preview the widget
        </a>{' '}
        first, as citizens will see it.
      </p>
      {pinned ? (
        <p class="govuk-body">
          Each tag is pinned to this release of the widget: the browser checks its hash, and every part it
          loads is pinned with it. Paste a new tag to take a new release.
        </p>
      ) : (
        <div class="govuk-inset-text" id="not-built">
          This Tellus has no built widget to pin (its widget.json is missing: run npm run build), so these
          tags load the latest widget.js, unpinned.
        </div>
      )}
      {modes.map((mode) => (
        <CodeBlock id={`tag-${mode}`} label={WHAT_EACH_DOES[mode][0]} hint={WHAT_EACH_DOES[mode][1]}>
          {scriptTag(tellus, pinned, service.id, mode)}
        </CodeBlock>
      ))}
      {service.publishing ? null : (
        <p class="govuk-body">This service does not publish stories, so it has no published stories mode.</p>
      )}
      <h2 class="govuk-heading-m">Content Security Policy</h2>
      <p class="govuk-body">
        If the page sends a Content-Security-Policy, it must allow these (keep your page’s own sources beside
        them; 'self' stands for them here).{' '}
        {turnstile
          ? 'This service has Turnstile on, so its origin is allowed too.'
          : 'No unsafe-inline, eval or nonce is needed.'}
      </p>
      <CodeBlock id="csp" label="Content-Security-Policy directives" rows={2}>
        {hostCsp(tellus, turnstile)}
      </CodeBlock>
    </Page>,
  );
});

/** Text to copy, selectable in a read-only field with its label (the console has no script to copy it). */
function CodeBlock({
  id,
  label,
  hint,
  rows = 3,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  rows?: number;
  children: string;
}) {
  return (
    <div class="govuk-form-group">
      <label class="govuk-label govuk-label--s" for={id}>
        {label}
      </label>
      {hint ? (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <textarea
        class="govuk-textarea"
        id={id}
        rows={rows}
        readonly
        spellcheck={false}
        aria-describedby={hint ? `${id}-hint` : undefined}
      >
        {children}
      </textarea>
    </div>
  );
}
