// Tab mode up close: the dialog keeps Tab inside it and takes focus back only while the document
// has focus, and the tab steps aside from focused page content wherever the page scrolls.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startHostSite, startWorker, type Worker } from './test/harness';
import { focused } from './test/keyboard';

let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;

const tabPage = (body = '') => `<!doctype html><html lang="en"><head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Bins</title></head>
<body style="margin:0"><main><h1>Report a missed bin collection</h1>${body}
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" data-mode="tab" async></script>
</main></body></html>`;

// Page content all round the tab (fixed in the bottom right corner of a 1280 × 720 window), on a
// page long enough to scroll: fully above it, beside it, under it, and far below the window.
const AROUND_THE_TAB = `<div style="height:3000px"></div>
<button id="above" style="position:absolute;right:0;top:10px">Above the tab</button>
<button id="beside" style="position:absolute;left:0;top:680px;width:200px;height:40px">Beside the tab</button>
<button id="under" style="position:absolute;right:0;top:680px;height:40px">Under the tab</button>
<button id="below" style="position:absolute;right:0;top:2000px;height:40px">Far below the tab</button>`;

beforeAll(async () => {
  site = await startHostSite({
    '/tab': () => tabPage(),
    '/around': () => tabPage(AROUND_THE_TAB),
  });
  [worker, browser] = await Promise.all([startWorker([site.origin]), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await site?.stop();
});

const widget = (page: Page, selector: string) => page.locator(`[data-tellus] ${selector}`);

/** Waits until the dialog's part has loaded: it brings the dialog and the tab's dodging. */
const dialogLoaded = (page: Page) =>
  expect
    .poll(
      () =>
        page.evaluate(() =>
          Boolean(document.querySelector('[data-tellus]')?.shadowRoot?.querySelector('dialog')),
        ),
      {
        timeout: 10_000,
      },
    )
    .toBe(true);

describe("tab mode's dialog", () => {
  it('wraps Tab from the last control to the first, and Shift+Tab from the first to the last', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/tab`);
    await dialogLoaded(page);
    await widget(page, '.tab').click();
    await widget(page, 'dialog[open] h2').waitFor();

    await page.locator('[data-tellus] button', { hasText: 'Send feedback' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Close' });
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Send feedback' });
    await page.close();
  });

  it('takes focus back when it is lost to nothing, but only while the document has focus', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/tab`);
    await dialogLoaded(page);
    await widget(page, '.tab').click();
    await widget(page, 'dialog[open] h2').waitFor();
    const textarea = widget(page, 'textarea');

    /** Blurs the textarea, as switching window does, and says what has focus once the dialog has answered. */
    const blurAndLook = () =>
      textarea.evaluate(async (story) => {
        story.blur();
        // The dialog looks in a task after the focus left: two tasks later it has.
        for (let n = 0; n < 2; n++) await new Promise((resolve) => setTimeout(resolve));
        return (story.getRootNode() as ShadowRoot).activeElement?.textContent?.trim() ?? null;
      });

    // The citizen switched to another window: focus stays where they left it, not on Close.
    await textarea.focus();
    await page.evaluate(() => {
      document.hasFocus = () => false;
    });
    expect(await blurAndLook()).toBe(null);

    // Back in this window, focus lost to nothing comes back to the dialog's first control.
    await page.evaluate(() => {
      delete (document as { hasFocus?: unknown }).hasFocus;
    });
    expect(await page.evaluate(() => document.hasFocus())).toBe(true);
    await textarea.focus();
    expect(await blurAndLook()).toBe('Close');

    // A click on the backdrop, outside the dialog, never loses focus to the page behind: Chromium
    // gives it to the <dialog> itself, where Tab goes on to the first control.
    await textarea.focus();
    await page.mouse.click(5, 5);
    await expect.poll(() => focused(page), { timeout: 10_000 }).toMatchObject({ tag: 'dialog' });
    expect(await widget(page, 'dialog').evaluate((dialog) => (dialog as HTMLDialogElement).open)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Close' });
    await page.close();
  });
});

describe('the tab, beside focused page content (WCAG 2.4.11)', () => {
  it('steps aside from what overlaps it or reaches below its top, stays for what is above or beside, and looks again on scroll', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${site.origin}/around`);
    await dialogLoaded(page);

    /** Whether the tab has stepped aside: its class, and hidden from sight. */
    const aside = () =>
      widget(page, '.tab').evaluate((tab) => {
        const hidden = getComputedStyle(tab).visibility === 'hidden';
        if (hidden !== tab.classList.contains('aside')) throw new Error('class and visibility disagree');
        return hidden;
      });
    /** Focuses a page element where it is (no scrolling it in), and looks once the page has drawn. */
    const focusOn = async (id: string) => {
      await page.evaluate(async (id) => {
        document.getElementById(id)?.focus({ preventScroll: true });
        for (let n = 0; n < 2; n++) await new Promise((resolve) => requestAnimationFrame(resolve));
      }, id);
      return aside();
    };

    expect(await aside(), 'nothing focused').toBe(false);
    expect(await focusOn('above'), 'fully above the tab').toBe(false);
    expect(await focusOn('beside'), 'beside the tab, down to the bottom of the window').toBe(false);
    expect(await focusOn('under'), 'under the tab').toBe(true);
    expect(await focusOn('above'), 'above again').toBe(false);
    expect(await focusOn('below'), 'far below the window, right under the tab').toBe(true);

    // The page scrolls the focused element up, clear above the tab: the tab comes back…
    await page.evaluate(() => window.scrollTo(0, 1900));
    await expect.poll(aside, { timeout: 10_000 }).toBe(false);
    // …and steps aside again when it scrolls back under it.
    await page.evaluate(() => window.scrollTo(0, 1300));
    await expect.poll(aside, { timeout: 10_000 }).toBe(true);
    await page.close();
  });
});
