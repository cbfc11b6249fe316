// The widget in parts, in Chromium: widget.js alone on an inline English page, each part fetched
// only when it is needed, every part pinned by its sha384 on a page that pins widget.<hash>.js
// under a strict CSP, and a tampered part refused while the form still sends.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startHostSite, startWorker, unique, type Worker } from './test/harness';
import { focused } from './test/keyboard';

let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;

type PartName = 'cy' | 'dialog' | 'preview';
interface Manifest {
  src: string;
  integrity: string;
  parts: Record<string, { src: string; integrity: string }>;
}
const manifest: Manifest = JSON.parse(
  readFileSync(new URL('../dist/v1/widget.json', import.meta.url), 'utf8'),
);
const part = (name: PartName) => manifest.parts[name] as { src: string; integrity: string };

const servicePage = (lang: string, attributes = '') => `<!doctype html>
<html lang="${lang}"><head><title>Report a missed bin</title></head>
<body><main><h1>Report a missed bin</h1><p>Some service content.</p>
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" ${attributes} async></script>
</main></body></html>`;

/** A Welsh tab page that pins widget.<hash>.js by its sha384, as widget.json gives it. */
const pinnedPage = () => `<!doctype html>
<html lang="cy"><head><title>Rhoi gwybod am fin a fethwyd</title></head>
<body><main><h1>Rhoi gwybod am fin a fethwyd</h1>
<script src="${worker.origin}${manifest.src}" integrity="${manifest.integrity}" crossorigin="anonymous"
  data-service="missed-bin-collection" data-mode="tab" async></script>
</main></body></html>`;

beforeAll(async () => {
  site = await startHostSite({
    '/inline': () => servicePage('en'),
    '/welsh': () => servicePage('cy'),
    '/tab': () => servicePage('en', 'data-mode="tab"'),
    // Scripts from the worker's origin only: no inline script, no eval, no nonce.
    '/pinned': () => ({
      html: pinnedPage(),
      headers: {
        'Content-Security-Policy': `default-src 'self'; script-src ${worker.origin}; style-src 'self'; connect-src 'self' ${worker.origin}`,
      },
    }),
  });
  [worker, browser] = await Promise.all([startWorker([site.origin]), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await site?.stop();
});

const widget = (page: Page, selector: string) => page.locator(`[data-tellus] ${selector}`);

/** A new page that records the scripts it requests, the CSP violations and console errors it sees. */
async function newPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts: string[] = [];
  const fetches: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (request.resourceType() === 'script') scripts.push(path);
    if (request.resourceType() === 'fetch') fetches.push(path);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { violations: string[] }).violations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return { page, scripts, fetches, errors };
}

/**
 * Waits until the widget has done its work for an idle page (the tab's dialog, kept stories and
 * receipts): its idle callback was asked for as it first rendered, before this one.
 */
const settled = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(undefined))));

/** The scripts in the document (the host's in <body>, the parts in <head>), by path, sorted. */
const scriptElements = (page: Page) =>
  page.evaluate(() => [...document.scripts].map((script) => new URL(script.src).pathname).sort());

/** Serves an altered copy of a part from its own address, readable across origins as the real one. */
async function tamper(page: Page, name: PartName) {
  const genuine = readFileSync(new URL(`../dist${part(name).src}`, import.meta.url), 'utf8');
  let served = 0;
  await page.route(`${worker.origin}${part(name).src}`, (route) => {
    served++;
    return route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*' },
      body: `${genuine};Tellus.parts.${name}={tampered:true};`,
    });
  });
  return () => served;
}

/** Whether the part registered itself on the page. */
const registered = (page: Page, name: PartName) =>
  page.evaluate(
    (name) =>
      Boolean((window as unknown as { Tellus?: { parts?: Record<string, unknown> } }).Tellus?.parts?.[name]),
    name,
  );

async function sendStory(page: Page, story: string) {
  await widget(page, 'input[value="2"]').check();
  await widget(page, 'textarea').fill(story);
  await widget(page, 'section button[type=submit]').click();
}

const storedStory = async (marker: string) =>
  (await worker.query<{ story: string }>(`SELECT story FROM feedback WHERE story LIKE '%${marker}'`))[0]
    ?.story;

describe('each part is fetched when it is needed, and not before', () => {
  it('an inline English page loads widget.js alone; typing loads the check; Send loads nothing more', async () => {
    const { page, scripts, fetches } = await newPage();
    await page.goto(`${site.origin}/inline`);
    await widget(page, 'form').waitFor();
    await settled(page);
    expect(scripts).toEqual(['/v1/widget.js']);
    expect(await scriptElements(page)).toEqual(['/v1/widget.js']);
    expect(fetches, 'the service settings come by fetch, not as a script').toContain(
      '/v1/services/missed-bin-collection/widget',
    );

    await widget(page, 'textarea').focus();
    await page.keyboard.type('The crew came back');
    await expect.poll(() => scripts, { timeout: 10_000 }).toEqual(['/v1/widget.js', part('preview').src]);

    await widget(page, 'input[value="5"]').check();
    await page.keyboard.type(` the same day ${unique()}`);
    await widget(page, 'button[type=submit]').click();
    await widget(page, '#thanks').waitFor();
    await settled(page);
    expect(scripts).toEqual(['/v1/widget.js', part('preview').src]);
    expect(await scriptElements(page)).toEqual([part('preview').src, '/v1/widget.js'].sort());
    await page.context().close();
  });

  it('a Welsh page loads the Welsh part, and only it', async () => {
    const { page, scripts } = await newPage();
    await page.goto(`${site.origin}/welsh`);
    await widget(page, 'form').waitFor();
    expect(await widget(page, 'h2').textContent()).toBe('Dywedwch wrthym sut aeth hi');
    await settled(page);
    expect(scripts).toEqual(['/v1/widget.js', part('cy').src]);
    await page.context().close();
  });

  it('a tab page loads the dialog part when idle, and the dialog opens from the tab', async () => {
    const { page, scripts } = await newPage();
    await page.goto(`${site.origin}/tab`);
    await widget(page, '.tab').waitFor();
    await expect.poll(() => scripts, { timeout: 10_000 }).toEqual(['/v1/widget.js', part('dialog').src]);
    await widget(page, '.tab').click();
    await expect.poll(() => widget(page, 'dialog[open]').count(), { timeout: 10_000 }).toBe(1);
    await page.context().close();
  });

  it('a story with personal details shows the check, from the preview part', async () => {
    const { page, scripts } = await newPage();
    await page.goto(`${site.origin}/inline`);
    await widget(page, 'form').waitFor();
    await sendStory(page, `Call me on 07700 900123 ${unique()}`);
    await widget(page, '.check').waitFor();
    expect(await widget(page, '.check blockquote').textContent()).toMatch(/^Call me on \[phone\] /);
    expect(scripts).toEqual(['/v1/widget.js', part('preview').src]);
    await page.context().close();
  });
});

describe('a page that pins widget.<hash>.js with Subresource Integrity, under a strict CSP', () => {
  it('loads every part it needs pinned by the hash widget.json gives, and the journey completes', async () => {
    const { page, scripts } = await newPage();
    await page.goto(`${site.origin}/pinned`);
    await widget(page, '.tab').waitFor();
    expect(await widget(page, '.tab').textContent()).toBe('Adborth');
    await expect
      .poll(() => scripts, { timeout: 10_000 })
      .toEqual([manifest.src, part('cy').src, part('dialog').src]);

    await widget(page, '.tab').click();
    await expect.poll(() => widget(page, 'dialog[open]').count(), { timeout: 10_000 }).toBe(1);
    await widget(page, 'input[value="4"]').check();
    await widget(page, 'textarea').focus();
    const marker = unique();
    await page.keyboard.type(`Daeth y criw yn ol ${marker}`);
    await widget(page, 'section button[type=submit]').click();
    await expect
      .poll(() => widget(page, '#thanks h3').textContent(), { timeout: 10_000 })
      .toBe('Diolch am eich adborth');
    expect(await storedStory(marker)).toBe(`Daeth y criw yn ol ${marker}`);

    const pinned = await page.evaluate(() =>
      [...document.querySelectorAll('script')].map((script) => ({
        src: new URL(script.src).pathname,
        integrity: script.integrity,
        crossOrigin: script.crossOrigin,
      })),
    );
    const bySrc = (a: { src: string }, b: { src: string }) => a.src.localeCompare(b.src);
    expect(pinned.sort(bySrc)).toEqual(
      [
        { src: manifest.src, integrity: manifest.integrity, crossOrigin: 'anonymous' },
        ...(['cy', 'dialog', 'preview'] as const).map((name) => ({
          src: part(name).src,
          integrity: part(name).integrity,
          crossOrigin: 'anonymous',
        })),
      ].sort(bySrc),
    );
    for (const name of ['cy', 'dialog', 'preview'] as const) expect(await registered(page, name)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    await page.context().close();
  });
});

describe('a part that never comes', () => {
  it('the check, on a stalled connection: Send goes on without it after a few seconds', async () => {
    const { page } = await newPage();
    // The part's request is held and never answered, as on a connection that has stalled.
    await page.route(`${worker.origin}${part('preview').src}`, () => {});
    await page.goto(`${site.origin}/inline`);
    await widget(page, 'form').waitFor();
    const marker = unique();
    await sendStory(page, `Call me on 07700 900123 ${marker}`);
    await expect
      .poll(() => widget(page, '#thanks h3').textContent(), { timeout: 15_000 })
      .toBe('Thank you for your feedback');
    expect(await storedStory(marker)).toBe(`Call me on [phone] ${marker}`);
    await page.context().close();
  });
});

describe('a tampered part', () => {
  /** Waits for Chromium's word that the part's integrity did not match, and checks it never ran. */
  async function refused(page: Page, errors: string[], name: PartName, served: () => number) {
    await expect
      .poll(() => errors.some((error) => error.includes('integrity') && error.includes(part(name).src)), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(served()).toBeGreaterThan(0);
    expect(await registered(page, name)).toBe(false);
  }

  it('the check: refused, and the story is still sent, its personal details removed by the worker', async () => {
    const { page, errors } = await newPage();
    const served = await tamper(page, 'preview');
    await page.goto(`${site.origin}/inline`);
    await widget(page, 'form').waitFor();
    const marker = unique();
    await widget(page, 'input[value="2"]').check();
    await widget(page, 'textarea').focus();
    await page.keyboard.type(`Write to jo.bloggs@example.com ${marker}`);
    await widget(page, 'button[type=submit]').click();
    await expect
      .poll(() => widget(page, '#thanks h3').textContent(), { timeout: 10_000 })
      .toBe('Thank you for your feedback');
    await refused(page, errors, 'preview', served);
    // Asked for as typing starts, and again at Send: not once a key.
    expect(served()).toBeLessThanOrEqual(2);
    expect(await widget(page, '.check').count()).toBe(0);
    expect(await storedStory(marker)).toBe(`Write to [email] ${marker}`);
    await page.context().close();
  });

  it('Welsh: refused, and the Welsh page shows the form in English and still sends', async () => {
    const { page, errors } = await newPage();
    const served = await tamper(page, 'cy');
    await page.goto(`${site.origin}/welsh`);
    await widget(page, 'form').waitFor();
    await refused(page, errors, 'cy', served);
    expect(await widget(page, 'h2').textContent()).toBe('Tell us how it went');
    expect(await widget(page, 'legend').textContent()).toBe('How was your experience of this service?');
    // English words say they are English, so a screen reader does not read them in a Welsh voice.
    expect(await widget(page, 'section').getAttribute('lang')).toBe('en');
    const marker = unique();
    await sendStory(page, `Sent in English on a Welsh page ${marker}`);
    await expect
      .poll(() => widget(page, '#thanks h3').textContent(), { timeout: 10_000 })
      .toBe('Thank you for your feedback');
    expect(await storedStory(marker)).toBe(`Sent in English on a Welsh page ${marker}`);
    await page.context().close();
  });

  it('the dialog: refused, and tab mode shows the form in the page and still sends', async () => {
    const { page, errors } = await newPage();
    const served = await tamper(page, 'dialog');
    await page.goto(`${site.origin}/tab`);
    await widget(page, '.tab').waitFor();
    await refused(page, errors, 'dialog', served);
    await expect.poll(() => widget(page, 'form').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await widget(page, 'dialog').count()).toBe(0);
    // The tab still leads to the form: to its heading, in the page.
    await widget(page, '.tab').click();
    expect(await focused(page)).toMatchObject({ id: 'heading' });
    const marker = unique();
    await sendStory(page, `Sent without the dialog ${marker}`);
    await expect
      .poll(() => widget(page, '#thanks h3').textContent(), { timeout: 10_000 })
      .toBe('Thank you for your feedback');
    expect(await storedStory(marker)).toBe(`Sent without the dialog ${marker}`);
    await page.context().close();
  });
});
