// Trust and safety as a citizen meets it in Chromium: the receipt that shows and deletes a story,
// help at once after an urgent story, Turnstile for a service that turns it on, and a honeypot
// that only a program fills in.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  launchChromium,
  OPERATOR_TOKEN,
  startHostSite,
  startWorker,
  unique,
  type Worker,
} from './test/harness';

let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;
/** Every token the stand-in siteverify was asked about, in order. */
const verified: string[] = [];
/** The tokens siteverify has passed: each passes once, as Cloudflare's do. */
const spent = new Set<string>();

const servicePage = (
  lang: string,
  mode = 'inline',
) => `<!doctype html><html lang="${lang}"><head><title>Bins</title></head>
<body><main><h1>Report a missed bin collection</h1>
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" data-mode="${mode}" async></script>
</main></body></html>`;

beforeAll(async () => {
  site = await startHostSite({
    '/': () => servicePage('en'),
    '/cy': () => servicePage('cy'),
    '/tab': () => servicePage('en', 'tab'),
    // Stand-ins for Cloudflare's Turnstile, which this machine cannot reach. The script renders the
    // invisible challenge and calls back with a token; each render and each reset runs it again
    // and issues a new one (DUMMY.<page>.<n>). Siteverify passes each token once: a second use
    // fails with timeout-or-duplicate, as Cloudflare's does.
    '/turnstile.js': () => ({
      html: `(() => {
  const page = Math.random().toString(36).slice(2);
  let issued = 0;
  const widgets = [];
  const run = (id) => setTimeout(() => widgets[id].callback('DUMMY.' + page + '.' + ++issued), 50);
  window.turnstile = {
    render(box, { sitekey, callback }) {
      box.dataset.sitekey = sitekey;
      widgets.push({ callback });
      run(widgets.length - 1);
      return String(widgets.length - 1);
    },
    reset(id) { run(Number(id ?? 0)); },
  };
})();`,
      headers: { 'Content-Type': 'text/javascript' },
    }),
    '/siteverify': ({ body }) => {
      const token = new URLSearchParams(body).get('response') ?? multipartField(body, 'response') ?? '';
      verified.push(token);
      const success = /^DUMMY\./.test(token) && !spent.has(token);
      if (success) spent.add(token);
      return {
        html: JSON.stringify({ success, 'error-codes': success ? [] : ['timeout-or-duplicate'] }),
        headers: { 'Content-Type': 'application/json' },
      };
    },
  });
  [worker, browser] = await Promise.all([
    startWorker(
      [site.origin],
      {},
      {
        TURNSTILE_SCRIPT_URL: `${site.origin}/turnstile.js`,
        TURNSTILE_VERIFY_URL: `${site.origin}/siteverify`,
      },
    ),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await site?.stop();
});

/** A field of a multipart/form-data body, as the worker's FormData sends it. */
function multipartField(body: string, name: string): string | null {
  const match = body.match(new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)`));
  return match?.[1] ?? null;
}

const widget = (page: Page, selector: string) => page.locator(`[data-tellus] ${selector}`);

async function send(page: Page, story: string) {
  await widget(page, 'input[value="2"]').check();
  await widget(page, 'textarea').fill(story);
  await widget(page, 'button[type=submit]:not(.close)').click();
  await expect.poll(() => widget(page, '[role=status]').textContent()).not.toBe('');
}

const rowsWith = (story: string) => worker.query(`SELECT id, status FROM feedback WHERE story = '${story}'`);

async function operator(method: string, path: string, body: unknown) {
  const res = await fetch(`${worker.origin}/v1/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe('the receipt', () => {
  it('is linked after sending, shows the story to the citizen, and deletes it for good', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/`);
    const story = `Bin left in the road ${unique()}`;
    await send(page, story);
    await widget(page, '#thanks').waitFor();
    const link = widget(page, '#thanks a');
    expect(await link.textContent()).toBe('See or delete your story');
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${worker.origin}/v1/receipts/[\\w-]{22}$`));
    expect(await rowsWith(story)).toEqual([{ id: expect.any(String), status: 'new' }]);

    await link.click();
    await page.waitForURL(/\/v1\/receipts\//);
    expect(await page.locator('h1').textContent()).toBe('Your story');
    expect(await page.locator('dl').textContent()).toContain(story);
    expect(await page.locator('dl').textContent()).toContain('Received');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Delete my story' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Your story has been deleted');
    expect(await rowsWith(story)).toEqual([]);
    await page.close();
  });
});

describe('an urgent story', () => {
  it.each([
    ['/', 'I feel unsafe at home and need help', 'call 999 now', 'Samaritans free on 116 123'],
    ['/cy', 'Dydw i ddim yn ddiogel gartref', 'ffoniwch 999 nawr', '116 123'],
  ])('on %s shows where to get help now, right after sending', async (path, words, first, second) => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}${path}`);
    await send(page, `${words} ${unique()}`);
    const help = widget(page, '#thanks .help');
    await help.waitFor();
    expect(await help.textContent()).toContain(first);
    expect(await help.textContent()).toContain(second);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows no help line for an everyday story', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/`);
    await send(page, `Collected late but collected ${unique()}`);
    await widget(page, '#thanks').waitFor();
    expect(await widget(page, '#thanks .help').count()).toBe(0);
    await page.close();
  });
});

describe('Turnstile, for a service that turns it on', () => {
  it('runs the invisible challenge in the widget and the worker checks its token', async () => {
    await operator('PATCH', '/services/missed-bin-collection', {
      turnstile: { sitekey: '1x00000000000000000000BB', secret: '1x0000000000000000000000000000000AA' },
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${site.origin}/`);
      await expect
        .poll(() => widget(page, '#challenge').getAttribute('data-sitekey'))
        .toBe('1x00000000000000000000BB');
      const story = `Behind the challenge ${unique()}`;
      await send(page, story);
      await widget(page, '#thanks').waitFor();
      expect(verified.at(-1)).toMatch(/^DUMMY\.\w+\.1$/);
      expect(await rowsWith(story)).toHaveLength(1);
      await page.close();
    } finally {
      await operator('PATCH', '/services/missed-bin-collection', { turnstile: null });
    }
  });

  it('runs the challenge in tab mode too, where the form waits in the page for its dialog', async () => {
    await operator('PATCH', '/services/missed-bin-collection', {
      turnstile: { sitekey: '1x00000000000000000000BB', secret: '1x0000000000000000000000000000000AA' },
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${site.origin}/tab`);
      // The challenge runs at once, in the shadow root, before the dialog's part has come.
      await expect
        .poll(() => widget(page, '#challenge').getAttribute('data-sitekey'))
        .toBe('1x00000000000000000000BB');
      await widget(page, '#tab').click();
      await widget(page, 'dialog[open]').waitFor();
      const story = `Behind the challenge, in the dialog ${unique()}`;
      await send(page, story);
      await widget(page, '#thanks').waitFor();
      expect(await rowsWith(story)).toHaveLength(1);
      await page.close();
    } finally {
      await operator('PATCH', '/services/missed-bin-collection', { turnstile: null });
    }
  });

  it('retries a story kept for later with a fresh challenge: never a spent token, never dropped', async () => {
    await operator('PATCH', '/services/missed-bin-collection', {
      turnstile: { sitekey: '1x00000000000000000000BB', secret: '1x0000000000000000000000000000000AA' },
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      /** The Turnstile token of each story the browser posted. */
      const sent: string[] = [];
      await page.route('**/v1/feedback', async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        const token = JSON.parse(route.request().postData() ?? '{}').turnstile;
        sent.push(token);
        if (sent.length > 1) return route.continue();
        // As a worker would that verified the token and then failed: the token is spent, the
        // story not stored, and the browser is told to try later.
        const check = await fetch(`${site.origin}/siteverify`, {
          method: 'POST',
          body: new URLSearchParams({ secret: '1x0000000000000000000000000000000AA', response: token }),
        });
        expect(await check.json()).toMatchObject({ success: true });
        return route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          headers: { 'Access-Control-Allow-Origin': site.origin },
          body: JSON.stringify({ code: 'internal-error', title: 'Something went wrong' }),
        });
      });
      await page.goto(`${site.origin}/`);
      await expect
        .poll(() => widget(page, '#challenge').getAttribute('data-sitekey'), { timeout: 10_000 })
        .toBe('1x00000000000000000000BB');
      const story = `Kept behind the challenge ${unique()}`;
      await send(page, story);
      await expect
        .poll(() => widget(page, '[role=status]').textContent(), { timeout: 10_000 })
        .toContain('saved on this device');
      await expect
        .poll(() =>
          page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('tellus:outbox:'))),
        )
        .toHaveLength(1);
      await expect
        .poll(
          () =>
            page.evaluate(() =>
              Boolean((window as { Tellus?: { parts?: { outbox?: unknown } } }).Tellus?.parts?.outbox),
            ),
          {
            timeout: 10_000,
          },
        )
        .toBe(true);
      expect(await rowsWith(story)).toEqual([]);

      // Back online: the outbox tries again.
      await context.setOffline(true);
      await context.setOffline(false);
      await expect.poll(() => widget(page, '#thanks').count(), { timeout: 10_000 }).toBe(1);
      expect(sent).toHaveLength(2);
      expect(sent[1]).toMatch(/^DUMMY\./);
      expect(sent[1]).not.toBe(sent[0]);
      // The retry's token was one siteverify had never seen, and it passed.
      expect(verified.filter((token) => token === sent[1])).toHaveLength(1);
      expect(spent.has(sent[1] as string)).toBe(true);
      expect(await rowsWith(story)).toHaveLength(1);
      expect(
        await page.evaluate(() =>
          Object.keys(localStorage).filter((key) => key.startsWith('tellus:outbox:')),
        ),
      ).toEqual([]);
    } finally {
      await context.close();
      await operator('PATCH', '/services/missed-bin-collection', { turnstile: null });
    }
  });
});

describe('the honeypot', () => {
  it('is out of sight and out of the accessibility tree; a program that fills it stores nothing', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/`);
    const field = widget(page, '#website');
    expect(await field.isVisible()).toBe(false);
    const story = `Filled in by a bot ${unique()}`;
    await field.evaluate((input) => {
      (input as HTMLInputElement).value = 'https://cheap-pills.example';
    });
    await send(page, story);
    await expect
      .poll(() => widget(page, '[role=status]').textContent())
      .toBe('Your feedback could not be sent. Contact the service another way.');
    expect(await rowsWith(story)).toEqual([]);
    await page.close();
  });
});
