// The outbox at work while the page is open and as it goes: a retry a minute later, two tabs at
// once, the beacons sent as a page is hidden, and a widget mounted again that leaves its old self
// no say. Each test stores through the real worker and reads D1.
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startWorker, unique, type Worker } from './test/harness';

let worker: Worker;
let browser: Browser;

beforeAll(async () => {
  [worker, browser] = await Promise.all([startWorker(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

const SAVED =
  'Your feedback could not be sent yet. It is saved on this device and will be sent automatically.';
const THANKS = 'Thank you for your feedback';

const widget = (page: Page, selector: string) => page.locator(`[data-tellus] ${selector}`);
const status = (page: Page) => widget(page, '[role=status]').textContent();

/** The stories the widget keeps in the browser, by their localStorage key. */
const kept = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      Object.keys(localStorage)
        .filter((key) => key.startsWith('tellus:outbox:'))
        .map((key) => [key, JSON.parse(localStorage.getItem(key) as string)]),
    ),
  );

const rowsWith = (story: string) =>
  worker.query(`SELECT id FROM feedback WHERE story = '${story.replaceAll("'", "''")}'`);

/** Whether this page has loaded the outbox part (it loads when a send fails). */
const outboxLoaded = (page: Page) =>
  page.evaluate(() =>
    Boolean((window as { Tellus?: { parts?: { outbox?: unknown } } }).Tellus?.parts?.outbox),
  );

async function fillAndSend(page: Page, story: string, rating = 2) {
  await widget(page, `input[value="${rating}"]`).check();
  await widget(page, 'textarea').fill(story);
  await widget(page, 'button[type=submit]').click();
}

/** The POSTs to /v1/feedback: the first is handed to `first`, the rest go to the worker. */
async function routeFirstPost(page: Page, first: (route: Route) => unknown) {
  let seen = 0;
  await page.route('**/v1/feedback', async (route) => {
    if (route.request().method() === 'POST' && seen++ === 0) return first(route);
    return route.continue();
  });
}

describe('the outbox while the page stays open', () => {
  it('sends a story that failed again a minute later, with no online event and no reload', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.install();
    await routeFirstPost(page, (route) => route.abort('connectionfailed'));
    await page.goto(`${worker.origin}/`);
    const story = `Tried again a minute later ${unique()}`;
    await fillAndSend(page, story);
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe(SAVED);
    await expect.poll(() => outboxLoaded(page), { timeout: 10_000 }).toBe(true);
    expect(await rowsWith(story)).toEqual([]);

    await page.clock.fastForward('01:05');
    await expect.poll(() => rowsWith(story), { timeout: 10_000 }).toHaveLength(1);
    await expect.poll(() => widget(page, '.panel h3').textContent(), { timeout: 10_000 }).toBe(THANKS);
    expect(await kept(page)).toEqual({});
    await context.close();
  });

  it('keeps the stories of two tabs sent offline at once apart, and stores each exactly once', async () => {
    const context = await browser.newContext();
    const pages = [await context.newPage(), await context.newPage()];
    for (const page of pages) {
      await page.goto(`${worker.origin}/`);
      await widget(page, 'form').waitFor();
    }
    await context.setOffline(true);
    const stories = [`First tab on a train ${unique()}`, `Second tab on a train ${unique()}`];
    await Promise.all(pages.map((page, n) => fillAndSend(page, stories[n] as string, n + 1)));
    for (const page of pages) await expect.poll(() => status(page), { timeout: 10_000 }).toBe(SAVED);

    // Each story under its own key, tellus:outbox:<its idempotency key>: neither wrote over the other.
    const both = await kept(pages[0] as Page);
    expect(Object.keys(both)).toHaveLength(2);
    for (const [key, value] of Object.entries(both))
      expect(key).toBe(`tellus:outbox:${value.submission.idempotency_key}`);
    expect(Object.values(both).map((value) => value.submission.story)).toEqual(
      expect.arrayContaining(stories),
    );

    await context.setOffline(false);
    for (const story of stories)
      await expect.poll(() => rowsWith(story), { timeout: 10_000 }).toHaveLength(1);
    await expect.poll(() => kept(pages[0] as Page), { timeout: 10_000 }).toEqual({});
    await expect
      .poll(() => widget(pages[0] as Page, '.panel h3').textContent(), { timeout: 10_000 })
      .toBe(THANKS);
    // Both pages sent both stories (each outbox sends all that is kept): still one row each.
    for (const story of stories) expect(await rowsWith(story)).toHaveLength(1);
    await context.close();
  });
});

describe('a story kept by an earlier page', () => {
  /** Puts a story in the outbox as an earlier page would have, then opens a page with the widget. */
  async function keptEarlier(story: string, { token, until }: { token?: string; until?: number }) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${worker.origin}/healthz`);
    const settings = (await (
      await fetch(`${worker.origin}/v1/services/missed-bin-collection/widget`)
    ).json()) as { token: string };
    const key = `kept-earlier-${unique()}`.replace(/[^\w-]/g, '-');
    await page.evaluate(([key, kept]) => localStorage.setItem(`tellus:outbox:${key}`, JSON.stringify(kept)), [
      key,
      {
        endpoint: worker.origin,
        until: until ?? Date.now() + 86_400_000,
        submission: {
          service: 'missed-bin-collection',
          rating: 3,
          story,
          locale: 'en',
          idempotency_key: key,
          token: token ?? settings.token,
        },
      },
    ] as const);
    await page.goto(`${worker.origin}/`);
    return { context, page, key };
  }

  it('is sent with a fresh form token when its own has expired', async () => {
    const story = `Kept past its token ${unique()}`;
    // Its token as one a week old would be: refused as invalid.
    const { context, page } = await keptEarlier(story, { token: 'expired.token.0000' });
    await expect.poll(() => rowsWith(story), { timeout: 15_000 }).toHaveLength(1);
    await expect.poll(() => kept(page), { timeout: 10_000 }).toEqual({});
    await context.close();
  });

  it('is dropped, unsent, once kept for longer than a week', async () => {
    const story = `Kept too long ${unique()}`;
    const { context, page } = await keptEarlier(story, { until: Date.now() - 1000 });
    await expect.poll(() => kept(page), { timeout: 10_000 }).toEqual({});
    expect(await rowsWith(story)).toEqual([]);
    await context.close();
  });
});

describe('a page hidden with a story pending', () => {
  it('has a kept story stored by the beacon the outbox sends as the page goes', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The worker cannot be reached for the first send: the story is kept, its retry a minute away.
    await routeFirstPost(page, (route) => route.abort('connectionfailed'));
    await page.goto(`${worker.origin}/`);
    const story = `Kept, then the citizen moved on ${unique()}`;
    await fillAndSend(page, story);
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe(SAVED);
    await expect.poll(() => outboxLoaded(page), { timeout: 10_000 }).toBe(true);
    expect(Object.keys(await kept(page))).toHaveLength(1);
    expect(await rowsWith(story)).toEqual([]);

    await page.unroute('**/v1/feedback');
    await page.goto(`${worker.origin}/healthz`);
    await expect.poll(() => rowsWith(story), { timeout: 10_000 }).toHaveLength(1);
    await context.close();
  });

  it('has a story still being sent stored by the beacon the widget sends as the page goes', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The first send never gets an answer: the page goes while it is still under way.
    let held: (value?: unknown) => void = () => {};
    const sending = new Promise((resolve) => {
      held = resolve;
    });
    await routeFirstPost(page, () => held());
    await page.goto(`${worker.origin}/`);
    const story = `Left while it was sending ${unique()}`;
    await fillAndSend(page, story);
    await sending;
    expect(await outboxLoaded(page)).toBe(false);
    expect(await rowsWith(story)).toEqual([]);

    await page.goto(`${worker.origin}/healthz`);
    await expect.poll(() => rowsWith(story), { timeout: 10_000 }).toHaveLength(1);
    await context.close();
  });
});

describe('a widget mounted again', () => {
  /** Records every text the widget's root shows from now on, so that a flash of the old widget counts. */
  const watchRoot = (page: Page) =>
    page.evaluate(() => {
      const root = document.querySelector('[data-tellus]')?.shadowRoot as ShadowRoot;
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => seen.push(root.textContent ?? '')).observe(root, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
  const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: string[] }).seen.join('\n'));
  const remountInWelsh = (page: Page) =>
    page.evaluate(() =>
      (window as unknown as { Tellus: { mount(element: Element, options: object): void } }).Tellus.mount(
        document.querySelector('[data-tellus]') as Element,
        { service: 'missed-bin-collection', lang: 'cy' },
      ),
    );

  it('stops the old widget: its send finishing later shows nothing, the new form stays', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let release: (route: Route) => void = () => {};
    const held = new Promise<Route>((resolve) => {
      release = resolve;
    });
    await routeFirstPost(page, (route) => release(route));
    // The new widget's settings wait until the old widget has its answer: till then the old form
    // is still the one in the page, where anything the old widget did would show.
    const waiting: Route[] = [];
    let holdSettings = false;
    await page.route('**/v1/services/*/widget', (route) =>
      holdSettings ? waiting.push(route) : route.continue(),
    );
    await page.goto(`${worker.origin}/`);
    const story = `Sent just before the widget was mounted again ${unique()}`;
    await fillAndSend(page, story);
    const post = await held;
    await watchRoot(page);

    holdSettings = true;
    await remountInWelsh(page);
    const answered = page.waitForResponse(
      (res) => res.url().endsWith('/v1/feedback') && res.request().method() === 'POST',
    );
    await post.continue();
    await answered;
    holdSettings = false;
    for (const route of waiting) await route.continue();
    await expect.poll(() => rowsWith(story), { timeout: 10_000 }).toHaveLength(1);
    await expect
      .poll(() => widget(page, 'h2').textContent(), { timeout: 10_000 })
      .toBe('Dywedwch wrthym sut aeth hi');
    // Now that the answer has long come back: nothing of the old widget, then or since.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
    expect(await widget(page, 'h2').textContent()).toBe('Dywedwch wrthym sut aeth hi');
    expect(await widget(page, 'textarea').inputValue()).toBe('');
    expect(await seen(page)).not.toContain(THANKS);
    expect(await seen(page)).not.toContain('Diolch am eich adborth');
    await context.close();
  });

  it("stops the old widget: the service's words arriving late never bring it back", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The service's settings are slow for the first widget: it shows without them (after a second).
    let release: (route: Route) => void = () => {};
    const held = new Promise<Route>((resolve) => {
      release = resolve;
    });
    let settings = 0;
    await page.route('**/v1/services/*/widget', (route) =>
      settings++ === 0 ? release(route) : route.continue(),
    );
    await page.goto(`${worker.origin}/`);
    await widget(page, 'form').waitFor();
    const slow = await held;

    await remountInWelsh(page);
    await expect
      .poll(() => widget(page, 'h2').textContent(), { timeout: 10_000 })
      .toBe('Dywedwch wrthym sut aeth hi');
    await watchRoot(page);
    const answered = page.waitForResponse('**/v1/services/*/widget');
    await slow.continue();
    await answered;
    // Long after the old widget heard its settings: still the Welsh form, the old one never back.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
    expect(await widget(page, 'h2').textContent()).toBe('Dywedwch wrthym sut aeth hi');
    expect(await seen(page)).not.toContain('Tell us how it went');
    await context.close();
  });
});
