/**
 * `/console/services/:id/preview?mode=…&lang=…` (admins): the service's widget as citizens see it,
 * in each mode and language. Its stories carry a preview token, so they are tests: kept and shown
 * here only, never delivered, counted, exported or published. The one console page with a script.
 */
import { Hono } from 'hono';
import type { Locale } from '../../shared';
import { testStoriesOf } from '../db/stories';
import { signPreviewToken } from '../spam/preview-token';
import { tellusSecret } from '../spam/secret';
import { ownService, serviceNotFound, turnstileOrigin } from './embed';
import { MODES, type WidgetMode } from './embed-code';
import { type FieldError, Page, ratingText, Table, when } from './layout';
import { render } from './render';
import type { ConsoleEnv } from './session';

/** Tests the page lists, newest first. */
const TESTS_SHOWN = 10;

const MODE_NAMES: Record<WidgetMode, string> = {
  inline: 'In the page',
  tab: 'Feedback tab',
  useful: 'Is this page useful?',
  stories: 'Published stories',
};
const LANGUAGES: [Locale, string][] = [
  ['en', 'English'],
  ['cy', 'Cymraeg'],
];

/**
 * The console's policy (routes.tsx) with the widget let in: its scripts and its requests, to our
 * own origin's `/v1/` only (so nothing on the page may script or fetch the console itself), and
 * Turnstile's script and frame for a service that turned it on.
 */
export function previewCsp(origin: string, turnstile?: string) {
  return [
    "default-src 'none'",
    `script-src ${origin}/v1/${turnstile ? ` ${turnstile}` : ''}`,
    `connect-src ${origin}/v1/`,
    ...(turnstile ? [`frame-src ${turnstile}`] : []),
    "style-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export const previewRoutes = new Hono<ConsoleEnv>().get('/:id/preview', async (c) => {
  const service = await ownService(c);
  if (!service) return serviceNotFound(c);
  const modes = MODES.filter((mode) => mode !== 'stories' || service.publishing);
  const asked = { mode: c.req.query('mode') ?? 'inline', lang: c.req.query('lang') ?? 'en' };
  const mode = modes.find((m) => m === asked.mode);
  const lang = LANGUAGES.find(([code]) => code === asked.lang)?.[0];
  const errors: FieldError[] = [];
  if (!mode) errors.push({ field: 'modes', text: `Choose how to show the widget: ${modes.join(', ')}` });
  if (!lang) errors.push({ field: 'languages', text: 'Choose English (en) or Welsh (cy)' });
  const turnstile = service.turnstileSitekey ? turnstileOrigin(c.env) : undefined;
  const now = Date.now();
  const [token, tests] = await Promise.all([
    signPreviewToken(tellusSecret(c.env), service.id, now),
    testStoriesOf(c.var.db, service.id, TESTS_SHOWN),
  ]);
  const base = `/console/services/${service.id}/preview`;
  // The links keep what was chosen well; the widget shows only once both are.
  const chosen = { mode: mode ?? 'inline', lang: lang ?? 'en' };
  if (mode && lang) c.header('Content-Security-Policy', previewCsp(new URL(c.req.url).origin, turnstile));
  return render(
    c,
    <Page title={`Preview: ${service.name}`} member={c.var.member} section="services" errors={errors}>
      <span class="govuk-caption-l">{service.name}</span>
      <h1 class="govuk-heading-l">Preview</h1>
      <div class="govuk-inset-text">
        Stories you send from this page are tests: they are kept and listed below, but never sent to your
        subscriptions, counted in summaries, exported or published. The preview works for an hour: reload the
        page for another hour.
      </div>
      <p class="govuk-body">
        <a class="govuk-link" href={`/console/services/${service.id}/embed`}>
          Get the embed code
        </a>
      </p>
      <Choices id="modes" title="Show it" current={chosen.mode}>
        {modes.map((m): [string, string, string] => [
          m,
          MODE_NAMES[m],
          `${base}?mode=${m}&lang=${chosen.lang}`,
        ])}
      </Choices>
      <Choices id="languages" title="Language" current={chosen.lang}>
        {LANGUAGES.map(([code, name]): [string, string, string] => [
          code,
          name,
          `${base}?mode=${chosen.mode}&lang=${code}`,
        ])}
      </Choices>
      <h2 class="govuk-heading-m">The widget</h2>
      {!mode || !lang ? (
        <p class="govuk-body">Choose a way to show it and a language to see the widget.</p>
      ) : (
        <div class="govuk-!-margin-bottom-8" id="widget">
          <script
            src="/v1/widget.js"
            data-service={service.id}
            data-mode={mode}
            data-lang={lang}
            data-preview={token}
            async
          />
        </div>
      )}
      <h2 class="govuk-heading-m">Tests sent from this preview</h2>
      {tests.length ? (
        <Table
          caption={`The newest ${TESTS_SHOWN} at most`}
          captionSize="s"
          head={['Received', 'Rating', 'Story']}
          rows={tests.map((test) => [
            <>
              {when(test.createdAt)} <strong class="govuk-tag govuk-tag--grey">Test</strong>
            </>,
            ratingText(test.rating),
            test.story ?? 'No story, a rating only',
          ])}
        />
      ) : (
        <p class="govuk-body">None yet.</p>
      )}
    </Page>,
    errors.length ? 422 : 200,
  );
});

/** A row of links, one for each choice, the current one marked as the page. */
function Choices({
  id,
  title,
  current,
  children,
}: {
  id: string;
  title: string;
  current: string;
  children: [string, string, string][];
}) {
  return (
    <nav aria-labelledby={`${id}-title`} id={id}>
      <h2 class="govuk-heading-s" id={`${id}-title`}>
        {title}
      </h2>
      <ul class="govuk-list">
        {children.map(([value, name, href]) =>
          value === current ? (
            <li>
              <a class="govuk-link" href={href} aria-current="page" lang={languageOf(value)}>
                <strong>{name}</strong> (shown)
              </a>
            </li>
          ) : (
            <li>
              <a class="govuk-link" href={href} lang={languageOf(value)}>
                {name}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}

/** A link to the Welsh widget is named in Welsh. */
const languageOf = (choice: string) => (choice === 'cy' ? 'cy' : undefined);
