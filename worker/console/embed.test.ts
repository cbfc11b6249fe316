// The embed code page: the tag to paste for each mode, pinned by the build's widget.json (or plainly
// unpinned when there is none), the CSP lines the host page needs, and for admins of the service's
// own department only.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { services } from '../db/schema';
import worker from '../index';
import { CONSOLE_ORIGIN, READER, setUpConsole, signIn } from '../test/console';

const PINNED = {
  src: '/v1/widget.0123456789ab.js',
  integrity: `sha384-${'A'.repeat(63)}x`,
  parts: {},
};

/** An assets binding that serves `widget` as widget.json (404 when null), and the real assets besides. */
function assetsWith(widget: unknown): Fetcher {
  return {
    fetch: async (input: RequestInfo | URL) => {
      const url = new URL(input instanceof Request ? input.url : input);
      if (url.pathname !== '/v1/widget.json') return env.ASSETS.fetch(url);
      return widget === null ? new Response('Not found', { status: 404 }) : Response.json(widget);
    },
  } as unknown as Fetcher;
}

/** The page's text as a reader sees it: what the fields hold, unescaped. */
const unescaped = (html: string) =>
  html
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');

/** GETs a console page as `cookie`'s member, the worker's bindings changed by `bindings`. */
async function open(path: string, cookie: string, bindings: Partial<Env> = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${CONSOLE_ORIGIN}${path}`, { headers: { Cookie: cookie } }),
    { ...env, ...bindings },
    ctx,
  );
  const text = unescaped(await res.text());
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, text };
}

let db: Db;
let cookie: string;
beforeEach(async () => {
  db = await setUpConsole();
  cookie = await signIn();
});

const PATH = '/console/services/missed-bin-collection/embed';

describe('the embed code page', () => {
  it('gives each mode its tag, pinned to the built widget with its integrity, on PUBLIC_URL', async () => {
    const page = await open(PATH, cookie, {
      ASSETS: assetsWith(PINNED),
      PUBLIC_URL: 'https://feedback.example.gov.uk',
    });
    expect(page.status).toBe(200);
    const pinned = (mode: string) =>
      [
        '<script src="https://feedback.example.gov.uk/v1/widget.0123456789ab.js"',
        `        integrity="${PINNED.integrity}" crossorigin="anonymous"`,
        `        data-service="missed-bin-collection"${mode} async></script>`,
      ].join('\n');
    expect(page.text).toContain(`>${pinned('')}</textarea>`);
    expect(page.text).toContain(`>${pinned(' data-mode="tab"')}</textarea>`);
    expect(page.text).toContain(`>${pinned(' data-mode="useful"')}</textarea>`);
    // The service does not publish, so there is no stories mode to paste.
    expect(page.text).not.toContain('data-mode="stories"');
    expect(page.text).not.toContain('id="not-built"');
    expect(page.text).toContain(
      ">script-src 'self' https://feedback.example.gov.uk; connect-src 'self' https://feedback.example.gov.uk</textarea>",
    );
    expect(page.text).not.toContain('challenges.cloudflare.com');
  });

  it('adds Turnstile to script-src and frame-src, and the stories mode, for a service that has them', async () => {
    await db
      .update(services)
      .set({ turnstileSitekey: '1x00000000000000000000AA', publishing: true })
      .where(eq(services.id, 'missed-bin-collection'));
    const page = await open(PATH, cookie, { ASSETS: assetsWith(PINNED), PUBLIC_URL: '' });
    expect(page.text).toContain('data-service="missed-bin-collection" data-mode="stories" async></script>');
    expect(page.text).toContain(
      `>script-src 'self' ${CONSOLE_ORIGIN} https://challenges.cloudflare.com; connect-src 'self' ${CONSOLE_ORIGIN}; frame-src https://challenges.cloudflare.com</textarea>`,
    );
  });

  it('says the widget is not built, and gives unpinned tags, when there is no widget.json', async () => {
    const page = await open(PATH, cookie, { ASSETS: assetsWith(null), PUBLIC_URL: '' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="not-built"');
    expect(page.text).toContain('its widget.json is missing: run npm run build');
    expect(page.text).toContain(
      `><script src="${CONSOLE_ORIGIN}/v1/widget.js" data-service="missed-bin-collection" data-mode="tab" async></script></textarea>`,
    );
    expect(page.text).not.toContain('integrity=');
  });

  it('pins what the real assets hold: the build if there is one, else nothing', async () => {
    const built = await env.ASSETS.fetch('https://assets.local/v1/widget.json');
    const page = await open(PATH, cookie);
    if (built.ok) {
      const { src, integrity } = (await built.json()) as typeof PINNED;
      expect(page.text).toContain(`<script src="${env.PUBLIC_URL}${src}"\n        integrity="${integrity}"`);
    } else {
      expect(page.text).toContain('id="not-built"');
    }
  });

  it('is for admins: a member is refused, and another department’s service is not found', async () => {
    const member = await open(PATH, await signIn(READER));
    expect(member.status).toBe(403);
    expect(member.text).not.toContain('data-service');
    const elsewhere = await open('/console/services/parking-permit/embed', cookie);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.text).not.toContain('parking-permit');
    expect((await open('/console/services/no-such-service/embed', cookie)).status).toBe(404);
  });
});
