// Never lose a story in the browser: offline, the widget keeps it and sends it exactly once later.
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const OFFLINE_TEXT =
  'Your feedback could not be sent yet. It is saved on this device and will be sent automatically.';

async function sendOffline(context: BrowserContext, story: string) {
  const page = await context.newPage();
  await page.goto(`${worker.origin}/`);
  await page.locator('[data-tellus] form').waitFor();
  await context.setOffline(true);
  await page.locator('[data-tellus] input[value="2"]').check();
  await page.locator('[data-tellus] textarea').fill(story);
  await page.locator('[data-tellus] button').click();
  await expect.poll(() => page.locator('[data-tellus] [role=status]').textContent()).toBe(OFFLINE_TEXT);
  expect(await keptStories(page)).toEqual([
    expect.objectContaining({ submission: expect.objectContaining({ story }) }),
  ]);
  return page;
}

/** The stories the widget keeps in the browser, each under a key of its own (tellus:outbox:<key>). */
const keptStories = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('tellus:outbox:'))
      .map((key) => JSON.parse(localStorage.getItem(key) as string)),
  );

const rowsWith = (story: string) =>
  worker.query(`SELECT id FROM feedback WHERE story = '${story.replaceAll("'", "''")}'`);

describe('a citizen who loses their connection', () => {
  it('has the story kept, then sent once when the browser is back online', async () => {
    const context = await browser.newContext();
    const story = `Sent from a train ${unique()}`;
    const page = await sendOffline(context, story);
    expect(await rowsWith(story)).toEqual([]);

    await context.setOffline(false);
    await expect
      .poll(() => page.locator('[data-tellus] [role=status]').textContent())
      .toContain('Thank you for your feedback');
    expect(await rowsWith(story)).toHaveLength(1);
    expect(await keptStories(page)).toEqual([]);

    await page.reload();
    await page.locator('[data-tellus] form').waitFor();
    await page.waitForTimeout(500);
    expect(await rowsWith(story)).toHaveLength(1);
    await context.close();
  });

  it('stores the story once when the answer is lost on the way back and the widget sends it again', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let lost = 0;
    await page.route('**/v1/feedback', async (route) => {
      if (route.request().method() === 'POST' && lost === 0) {
        lost++;
        await route.fetch(); // The worker stores the story…
        await route.abort('connectionreset'); // …and its answer never arrives.
        return;
      }
      await route.continue();
    });
    await page.goto(`${worker.origin}/`);
    await page.locator('[data-tellus] input[value="3"]').check();
    const story = `Answer lost in the post ${unique()}`;
    await page.locator('[data-tellus] textarea').fill(story);
    await page.locator('[data-tellus] button').click();
    await expect
      .poll(() => page.locator('[data-tellus] [role=status]').textContent())
      .toContain('saved on this device');
    expect(await rowsWith(story)).toHaveLength(1);

    await context.setOffline(true);
    await context.setOffline(false);
    await expect.poll(() => page.locator('[data-tellus] [role=status]').textContent()).toContain('Thank you');
    expect(await rowsWith(story)).toHaveLength(1);
    await context.close();
  });

  it('is not promised a later send when the browser cannot keep the story, and keeps the form', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('Quota exceeded', 'QuotaExceededError');
      };
    });
    const page = await context.newPage();
    await page.goto(`${worker.origin}/`);
    await page.locator('[data-tellus] form').waitFor();
    await context.setOffline(true);
    await page.locator('[data-tellus] input[value="4"]').check();
    const story = `No storage here ${unique()}`;
    await page.locator('[data-tellus] textarea').fill(story);
    await page.locator('[data-tellus] button').click();
    await expect
      .poll(() => page.locator('[data-tellus] [role=status]').textContent())
      .toBe('Your feedback could not be sent. Contact the service another way.');
    expect(await page.locator('[data-tellus] textarea').inputValue()).toBe(story);
    await context.close();
  });

  it('has the story sent on the next page load when the tab was closed offline', async () => {
    const context = await browser.newContext();
    const story = `Closed the tab in a tunnel ${unique()}`;
    const first = await sendOffline(context, story);
    await first.close();
    await context.setOffline(false);

    const next = await context.newPage();
    await next.goto(`${worker.origin}/`);
    await expect.poll(() => rowsWith(story), { timeout: 10_000 }).toHaveLength(1);
    await expect.poll(() => keptStories(next)).toEqual([]);
    await next.reload();
    await next.waitForTimeout(500);
    expect(await rowsWith(story)).toHaveLength(1);
    await context.close();
  });
});
