// A decisive citizen is never refused for being quick: with the worker's real minimum time between
// showing a form and taking its story, a rating sent within half a second of the form showing
// waits out the rest ("Sending…"), is stored exactly once, and is thanked. In real Chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startHostSite, startWorker, unique, type Worker } from './test/harness';

let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;

/** The worker's default minimum, which the other browser tests turn off. */
const FORM_MIN_SECONDS = 2;

const servicePage = (mode: string) => () =>
  `<!doctype html><html lang="en"><head>
<meta charset="utf-8"><title>Bins</title></head>
<body><main><h1>Report a missed bin collection</h1>
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" data-mode="${mode}" async></script>
</main></body></html>`;

beforeAll(async () => {
  site = await startHostSite({ '/inline': servicePage('inline'), '/useful': servicePage('useful') });
  [worker, browser] = await Promise.all([
    startWorker([site.origin], {}, { FORM_MIN_SECONDS: String(FORM_MIN_SECONDS) }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await site?.stop();
});

const widget = (page: Page, selector: string) => page.locator(`[data-tellus] ${selector}`);

/** Opens a page, watching the widget's posts to the worker and any script error. */
async function openPage(path: string) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const posts: number[] = [];
  page.on('response', (res) => {
    if (res.url().endsWith('/v1/feedback')) posts.push(res.status());
  });
  await page.goto(`${site.origin}${path}`);
  return { page, errors, posts };
}

/**
 * Inside the page, the moment the widget's `ready` element shows: clicks each of `clicks` (in the
 * shadow root), typing `story` into the textarea before the last. Real DOM events, at the speed of
 * the page itself rather than of the test's round trips; returns the milliseconds it took.
 */
function actAsSoonAsShown(page: Page, ready: string, clicks: string[], story = '') {
  return page.evaluate(
    async ({ ready, clicks, story }) => {
      const root = () => document.querySelector('[data-tellus]')?.shadowRoot;
      const find = (selector: string) =>
        [...(root()?.querySelectorAll<HTMLElement>(selector.split('|')[0] as string) ?? [])].find(
          (el) => !selector.includes('|') || el.textContent === selector.split('|')[1],
        );
      while (!find(ready)) await new Promise(requestAnimationFrame);
      const shownAt = performance.now();
      for (const [index, selector] of clicks.entries()) {
        if (story && index === clicks.length - 1) {
          const area = find('textarea') as HTMLTextAreaElement;
          area.value = story;
          area.dispatchEvent(new Event('input', { bubbles: true }));
        }
        find(selector)?.click();
      }
      return performance.now() - shownAt;
    },
    { ready, clicks, story },
  );
}

describe('a quick citizen', () => {
  it('rates, writes and sends within half a second in the inline form, and is thanked once', async () => {
    const story = `Quick and clear ${unique()}`;
    const { page, errors, posts } = await openPage('/inline');
    const took = await actAsSoonAsShown(
      page,
      'form',
      ['label[for="rating-5"]', 'button[type="submit"]'],
      story,
    );
    expect(took).toBeLessThan(500);

    // Still sending while the worker's minimum runs out: no failure shown meanwhile.
    await expect.poll(() => widget(page, '[role="status"]').textContent()).toBe('Sending your feedback…');
    await expect
      .poll(() => widget(page, '#thanks h3').textContent(), { timeout: 10_000 })
      .toBe('Thank you for your feedback');
    expect(await widget(page, '#note').count()).toBe(0);
    expect(await worker.query(`SELECT rating, story FROM feedback WHERE story = '${story}'`)).toEqual([
      { rating: 5, story },
    ]);
    // Refused once as too fast, then stored: the wait was the worker's to tell, not a guess.
    expect(posts).toEqual([422, 201]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says Yes within half a second in the useful mode, and is thanked once', async () => {
    const before = await worker.query<{ n: number }>(
      "SELECT count(*) AS n FROM feedback WHERE page = '/useful'",
    );
    const { page, errors, posts } = await openPage('/useful');
    expect(await actAsSoonAsShown(page, 'button|Yes', ['button|Yes'])).toBeLessThan(500);
    await expect.poll(() => widget(page, '[role="status"]').textContent()).toBe('Sending your feedback…');

    await expect
      .poll(() => widget(page, '#thanks h3').textContent(), { timeout: 10_000 })
      .toBe('Thank you for your feedback');
    expect(await widget(page, '#note').count()).toBe(0);
    const after = await worker.query<{ n: number }>(
      "SELECT count(*) AS n FROM feedback WHERE page = '/useful'",
    );
    expect((after[0]?.n ?? 0) - (before[0]?.n ?? 0)).toBe(1);
    expect(posts.at(-1)).toBe(201);
    expect(posts.filter((status) => status === 201)).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a script that posts too fast', () => {
  it('is still refused, with how long to wait, and nothing is stored', async () => {
    const settings = (await (
      await fetch(`${worker.origin}/v1/services/missed-bin-collection/widget`)
    ).json()) as {
      token: string;
    };
    const res = await fetch(`${worker.origin}/v1/feedback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: site.origin },
      body: JSON.stringify({
        service: 'missed-bin-collection',
        rating: 1,
        story: 'posted by a script',
        idempotency_key: `script-${unique()}-0000000`,
        token: settings.token,
      }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('form-too-fast');
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('Retry-After'))).toBeLessThanOrEqual(FORM_MIN_SECONDS);
    expect(await worker.query("SELECT id FROM feedback WHERE story = 'posted by a script'")).toEqual([]);
  });
});
