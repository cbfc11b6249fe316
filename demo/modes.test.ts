// The widget's other modes in a real browser, by keyboard alone: a tab that opens a modal dialog,
// and GOV.UK's "Is this page useful?"; each in English and Welsh, each checked with axe-core.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORDING } from '../scripts/seed.ts';
import {
  axeViolations,
  launchChromium,
  startHostSite,
  startWorker,
  unique,
  type Worker,
} from './test/harness';
import { focused, tabTo } from './test/keyboard';

let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;

const servicePage = (lang: string, mode: string, body = '') => `<!doctype html><html lang="${lang}"><head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Bins</title></head>
<body><main><h1>Report a missed bin collection</h1><a href="/">A link on the page</a>${body}
<p>Some service content.</p>
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" data-mode="${mode}" async></script>
</main></body></html>`;

// A link that sits exactly where the tab does: in the bottom right corner of the window.
const CORNER_LINK =
  '<a id="corner" href="/" style="position:fixed;right:0;bottom:0;padding:1em;background:#fff">Corner link</a>';

beforeAll(async () => {
  site = await startHostSite({
    '/tab': () => servicePage('en', 'tab'),
    '/tab-cy': () => servicePage('cy', 'tab'),
    '/tab-corner': () => servicePage('en', 'tab', CORNER_LINK),
    '/useful': () => servicePage('en', 'useful'),
    '/useful-yes': () => servicePage('en', 'useful'),
    '/useful-cy': () => servicePage('cy', 'useful'),
    '/by-hand': () => `<!doctype html><html lang="en"><head><title>By hand</title>
<script src="${worker.origin}/v1/widget.js" defer></script><script src="/mount.js" defer></script></head>
<body><main><h1>Mounted by hand</h1><div id="feedback"></div></main></body></html>`,
    '/mount.js': () => ({
      html: `Tellus.mount(document.getElementById('feedback'), {
  service: 'missed-bin-collection',
  mode: 'useful',
  messages: {
    en: { useful: 'Did this page help you?', yes: 'It did', signposting: 'Call 999 in an emergency.' },
    cy: { useful: 'Not shown on an English page' },
  },
});`,
      headers: { 'Content-Type': 'text/javascript' },
    }),
  });
  [worker, browser] = await Promise.all([startWorker([site.origin]), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await site?.stop();
});

async function openPage(path: string) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${site.origin}${path}`);
  await page.locator('[data-tellus] h2').waitFor({ state: 'attached' });
  return { page, errors };
}

const widget = (page: Page, selector: string) => page.locator(`[data-tellus] ${selector}`);

/** Where focus is: inside the widget's dialog, on the widget's tab, or elsewhere. */
const focusPlace = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('[data-tellus]')?.shadowRoot?.activeElement;
    if (active?.closest('dialog')) return 'dialog';
    if (active?.classList.contains('tab')) return 'tab';
    return 'page';
  });

const dialogOpen = (page: Page) =>
  page.evaluate(() => document.querySelector('[data-tellus]')?.shadowRoot?.querySelector('dialog')?.open);

const rowsWith = (story: string) =>
  worker.query(`SELECT rating, story, page, locale FROM feedback WHERE story = '${story}'`);

describe('tab mode', () => {
  it('opens a modal dialog by keyboard, keeps focus inside, closes on Escape back to the tab, and sends', async () => {
    const { page, errors } = await openPage('/tab');
    expect(await widget(page, '.tab').textContent()).toBe('Feedback');
    expect(await dialogOpen(page)).toBe(false);
    expect(await axeViolations(page), 'closed').toEqual([]);

    await tabTo(page, (el) => el.text === 'Feedback');
    await page.keyboard.press('Enter');
    expect(await dialogOpen(page)).toBe(true);
    expect(await focusPlace(page)).toBe('dialog');
    expect(await axeViolations(page), 'open').toEqual([]);

    for (const key of ['Tab', 'Shift+Tab']) {
      for (let presses = 0; presses < 14; presses++) {
        await page.keyboard.press(key);
        expect(await focusPlace(page), `${key} × ${presses + 1}`).toBe('dialog');
      }
    }

    await page.keyboard.press('Escape');
    expect(await dialogOpen(page)).toBe(false);
    expect(await focusPlace(page)).toBe('tab');

    await page.keyboard.press('Enter');
    expect(await dialogOpen(page)).toBe(true);
    await tabTo(page, (el) => el.name === 'rating');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ name: 'rating', value: '2' });
    const story = `The tab found me at the bottom of the page ${unique()}`;
    await page.keyboard.press('Tab');
    await page.keyboard.type(story);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Send feedback' });
    await page.keyboard.press('Enter');
    await expect.poll(() => widget(page, '.panel h3').textContent()).toBe('Thank you for your feedback');
    expect(await focusPlace(page)).toBe('dialog');
    expect(await axeViolations(page), 'success').toEqual([]);
    expect(await rowsWith(story)).toEqual([{ rating: 2, story, page: '/tab', locale: 'en' }]);

    await tabTo(page, (el) => el.text === 'Close');
    await page.keyboard.press('Enter');
    expect(await dialogOpen(page)).toBe(false);
    expect(await focusPlace(page)).toBe('tab');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the error summary and the personal-details preview in the dialog, with nothing for axe', async () => {
    const { page } = await openPage('/tab');
    await widget(page, '.tab').click();
    const send = page.locator('[data-tellus] button', { hasText: 'Send feedback' });
    await send.click();
    await widget(page, '.summary').waitFor();
    expect((await focused(page)).id).toBe('error-summary');
    expect(await axeViolations(page), 'error').toEqual([]);

    await widget(page, 'input[value="1"]').check();
    await widget(page, 'textarea').fill('Ring me on 07700 900123, nobody came.');
    await send.click();
    await expect
      .poll(() => widget(page, 'blockquote').textContent())
      .toBe('Ring me on [phone], nobody came.');
    expect((await focused(page)).id).toBe('check');
    expect(await axeViolations(page), 'preview').toEqual([]);
    await page.close();
  });

  it('never hides page content that has focus: the tab steps aside (WCAG 2.4.11)', async () => {
    const { page } = await openPage('/tab-corner');
    const tabHidden = () =>
      widget(page, '.tab').evaluate((tab) => getComputedStyle(tab).visibility === 'hidden');
    const cornerLinkOnTop = () =>
      page.evaluate(() => {
        const link = document.getElementById('corner') as HTMLElement;
        const box = link.getBoundingClientRect();
        return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === link;
      });
    expect(await tabHidden()).toBe(false);
    expect(await cornerLinkOnTop(), 'the tab covers the corner before it has focus').toBe(false);

    await tabTo(page, (el) => el.text === 'Corner link');
    expect(await tabHidden()).toBe(true);
    expect(await cornerLinkOnTop()).toBe(true);

    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ text: 'A link on the page' });
    expect(await tabHidden()).toBe(false);
    await page.close();
  });

  it('at 320 px, in dark and forced colours: nothing for axe, no sideways scrolling, 24 px targets', async () => {
    for (const options of [{ colorScheme: 'dark' as const }, { forcedColors: 'active' as const }]) {
      const context = await browser.newContext({ viewport: { width: 320, height: 640 }, ...options });
      const page = await context.newPage();
      await page.goto(`${site.origin}/tab`);
      await widget(page, '.tab').click();
      await widget(page, 'dialog[open] h2').waitFor();
      expect(await axeViolations(page), JSON.stringify(options)).toEqual([]);
      const layout = await page.evaluate(() => {
        const root = document.querySelector('[data-tellus]')?.shadowRoot;
        const dialog = root?.querySelector('dialog') as HTMLDialogElement;
        const controls = [...(root?.querySelectorAll('input:not([hidden]), button, textarea, a') ?? [])];
        return {
          overflow: document.documentElement.scrollWidth > window.innerWidth,
          dialogFits: dialog.getBoundingClientRect().right <= window.innerWidth,
          dialogEdge: getComputedStyle(dialog).borderTopStyle,
          small: controls.filter((el) => {
            const box = el.getBoundingClientRect();
            return box.width < 24 || box.height < 24;
          }).length,
        };
      });
      expect(layout).toEqual({ overflow: false, dialogFits: true, dialogEdge: 'solid', small: 0 });
      await context.close();
    }
  });

  it('speaks Welsh on a Welsh page', async () => {
    const { page } = await openPage('/tab-cy');
    expect(await widget(page, '.tab').textContent()).toBe('Adborth');
    await tabTo(page, (el) => el.text === 'Adborth');
    await page.keyboard.press('Enter');
    expect(await widget(page, 'h2').textContent()).toBe('Dywedwch wrthym sut aeth hi');
    expect(await widget(page, '.close').textContent()).toBe('Cau');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    expect(await focusPlace(page)).toBe('tab');
    await page.close();
  });
});

describe('useful mode', () => {
  it('sends Yes as a rating at once and thanks, by keyboard', async () => {
    const { page, errors } = await openPage('/useful-yes');
    expect(await widget(page, 'h2').textContent()).toBe('Is this page useful?');
    expect(await widget(page, 'form').count()).toBe(0);
    expect(await axeViolations(page), 'closed').toEqual([]);

    await tabTo(page, (el) => el.text === 'Yes');
    await page.keyboard.press('Enter');
    await expect.poll(() => widget(page, '.panel h3').textContent()).toBe('Thank you for your feedback');
    expect(await axeViolations(page), 'success').toEqual([]);
    expect(
      await worker.query("SELECT rating, story, locale FROM feedback WHERE page = '/useful-yes'"),
    ).toEqual([{ rating: 5, story: null, locale: 'en' }]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the whole form on No, with focus on its heading, and sends the story', async () => {
    const { page } = await openPage('/useful');
    await tabTo(page, (el) => el.text === 'No');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'h2', text: 'Tell us how it went' });
    // The service's own signposting line, set by the operator, in place of the default one.
    await expect.poll(() => widget(page, 'form p').first().textContent()).toBe(DEMO_WORDING.en.signposting);
    expect(await axeViolations(page), 'open').toEqual([]);

    await tabTo(page, (el) => el.tag === 'button');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).id).toBe('error-summary');
    expect(await axeViolations(page), 'error').toEqual([]);

    await tabTo(page, (el) => el.name === 'rating');
    await page.keyboard.press('Space');
    const story = `Could not find the collection days ${unique()}`;
    await page.keyboard.press('Tab');
    await page.keyboard.type(story);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => widget(page, '.panel h3').textContent()).toBe('Thank you for your feedback');
    expect(await rowsWith(story)).toEqual([{ rating: 1, story, page: '/useful', locale: 'en' }]);
    await page.close();
  });

  it('speaks Welsh on a Welsh page', async () => {
    const { page } = await openPage('/useful-cy');
    expect(await widget(page, 'h2').textContent()).toBe("Ydy'r dudalen hon yn ddefnyddiol?");
    expect(await widget(page, 'button').allTextContents()).toEqual(['Ydy', 'Nac ydy']);
    expect(await axeViolations(page)).toEqual([]);
    await tabTo(page, (el) => el.text === 'Nac ydy');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'h2', text: 'Dywedwch wrthym sut aeth hi' });
    await expect.poll(() => widget(page, 'form p').first().textContent()).toBe(DEMO_WORDING.cy.signposting);
    expect(await widget(page, '#story-hint').textContent()).toContain(
      'Peidiwch â chynnwys manylion personol',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('words', () => {
  it("lets the host page replace any string, over the service's own and the bundled ones", async () => {
    const { page, errors } = await openPage('/by-hand');
    expect(await widget(page, 'h2').textContent()).toBe('Did this page help you?');
    expect(await widget(page, 'button').allTextContents()).toEqual(['It did', 'No']);
    await widget(page, 'button').nth(1).click();
    await expect.poll(() => widget(page, 'form p').first().textContent()).toBe('Call 999 in an emergency.');
    expect(await widget(page, 'h2').textContent()).toBe('Tell us how it went');
    expect(errors).toEqual([]);
    await page.close();
  });
});
