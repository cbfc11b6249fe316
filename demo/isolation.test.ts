// The widget on pages it does not control: checked with axe-core for WCAG 2.2 AA in every state,
// under a strict Content Security Policy, and on a page whose CSS is hostile.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  launchChromium,
  startHostSite,
  startWorker,
  unique,
  type Worker,
} from './test/harness';

let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;

const page = (title: string, lang: string, head = '') => `<!doctype html><html lang="${lang}"><head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>${head}</head>
<body><main><h1>${title}</h1><p>Some service content.</p>
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" async></script>
</main></body></html>`;

const pinnedPage = (integrity: string) => {
  const manifest = JSON.parse(readFileSync(new URL('../dist/v1/widget.json', import.meta.url), 'utf8'));
  return `<!doctype html><html lang="en"><head><title>Pinned</title></head><body><main><h1>Pinned</h1>
<script src="${worker.origin}${manifest.src}" integrity="${integrity || manifest.integrity}" crossorigin="anonymous"
  data-service="missed-bin-collection" async></script></main></body></html>`;
};

const HOSTILE_CSS = `<style>
* { all: unset !important; }
html { font-size: 62.5% !important; }
body, body * { font-size: 48px !important; color: #ff00ff !important; background: #00ff00 !important;
  font-family: "Comic Sans MS", cursive !important; line-height: 3 !important; text-transform: uppercase !important; }
div { display: inline !important; }
</style>`;

beforeAll(async () => {
  site = await startHostSite({
    '/plain': () => page('A plain page', 'en'),
    '/welsh': () => page('Tudalen', 'cy'),
    '/hostile': () => page('A hostile page', 'en', HOSTILE_CSS),
    '/pinned': () => pinnedPage(''),
    '/tampered': () =>
      pinnedPage('sha384-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    '/strict-csp': () => ({
      html: page('A page with a strict CSP', 'en', '<link rel="stylesheet" href="/nothing.css">'),
      headers: {
        'Content-Security-Policy': `default-src 'self'; script-src 'self' ${worker.origin}; style-src 'self'; connect-src 'self' ${worker.origin}`,
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

async function open(
  path: string,
  options: {
    colorScheme?: 'light' | 'dark';
    width?: number;
    zoom?: number;
    forcedColors?: 'active' | 'none';
  } = {},
) {
  // Browser zoom at 200% is a viewport half as wide in CSS pixels, drawn at twice the density.
  const zoom = options.zoom ?? 1;
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    forcedColors: options.forcedColors ?? 'none',
    viewport: { width: Math.round((options.width ?? 1024) / zoom), height: Math.round(900 / zoom) },
    deviceScaleFactor: zoom,
  });
  const tab = await context.newPage();
  await tab.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { violations: string[] }).violations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await tab.goto(`${site.origin}${path}`);
  await tab.locator('[data-tellus] form').waitFor();
  return tab;
}

const widget = (tab: Page, selector: string) => tab.locator(`[data-tellus] ${selector}`);

async function send(tab: Page, rating: number, story: string) {
  await widget(tab, `input[value="${rating}"]`).check();
  await widget(tab, 'textarea').fill(story);
  await widget(tab, 'button[type=submit]').click();
}

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds nothing in the closed, error, preview and success states (${colorScheme})`, async () => {
      const tab = await open('/plain', { colorScheme });
      expect(await axeViolations(tab), 'closed').toEqual([]);
      await widget(tab, 'button[type=submit]').click();
      await widget(tab, '.summary').waitFor();
      expect(await axeViolations(tab), 'error').toEqual([]);
      await send(tab, 4, 'Clear and quick. Write to me at jo@example.com');
      await widget(tab, '.check').waitFor();
      expect(await axeViolations(tab), 'preview').toEqual([]);
      await widget(tab, '.check button[type=submit]').click();
      await widget(tab, '.panel:not(.check)').waitFor();
      expect(await axeViolations(tab), 'success').toEqual([]);
      await tab.context().close();
    });
  }

  it('finds nothing in Welsh, nor when sending fails, nor at 320 px wide', async () => {
    const tab = await open('/welsh', { width: 320 });
    expect(await axeViolations(tab)).toEqual([]);
    const overflow = await tab.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow, 'no sideways scrolling at 320 px').toBe(false);
    await tab.context().setOffline(true);
    await send(tab, 2, 'Dim cysylltiad.');
    await widget(tab, '.failed').waitFor();
    expect(await axeViolations(tab)).toEqual([]);
    await tab.context().close();
  });

  it('stays usable at 200% zoom: no sideways scrolling, nothing clipped', async () => {
    const tab = await open('/plain', { width: 1280, zoom: 2 });
    const layout = await tab.evaluate(() => {
      const root = document.querySelector('[data-tellus]')?.shadowRoot;
      const widest = Math.max(
        ...[...(root?.querySelectorAll('*') ?? [])].map((el) => el.getBoundingClientRect().right),
      );
      return {
        overflow: document.documentElement.scrollWidth > window.innerWidth,
        widest,
        width: window.innerWidth,
      };
    });
    expect(layout.overflow).toBe(false);
    expect(layout.widest).toBeLessThanOrEqual(layout.width);
    await send(tab, 3, `Zoomed in ${unique()}`);
    await widget(tab, '.panel').waitFor();
    await tab.context().close();
  });

  it('keeps a visible focus indicator on every control in forced-colours mode', async () => {
    const tab = await open('/plain', { forcedColors: 'active' });
    const outlines: string[] = [];
    for (const selector of ['input[value="1"]', 'textarea', 'button[type=submit]']) {
      await widget(tab, selector).focus();
      outlines.push(
        await widget(tab, selector).evaluate((el) => {
          const s = getComputedStyle(el);
          return `${s.outlineStyle} ${Number.parseFloat(s.outlineWidth) >= 2}`;
        }),
      );
    }
    expect(outlines).toEqual(['solid true', 'solid true', 'solid true']);
    await tab.context().close();
  });

  it('gives every control a target of at least 24 by 24 CSS pixels', async () => {
    const tab = await open('/plain');
    const small = await tab.evaluate(() => {
      const root = document.querySelector('[data-tellus]')?.shadowRoot;
      return [...(root?.querySelectorAll('input:not([hidden]), button, textarea, a') ?? [])]
        .map((el) => ({ el: el.outerHTML.slice(0, 60), box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width < 24 || box.height < 24)
        .map(({ el }) => el);
    });
    expect(small).toEqual([]);
    await tab.context().close();
  });
});

describe('under a strict Content Security Policy', () => {
  it('works with no securitypolicyviolation at all', async () => {
    const tab = await open('/strict-csp');
    await send(tab, 5, `Sent under a strict CSP ${unique()}`);
    await widget(tab, '.panel').waitFor();
    expect(await tab.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    await tab.context().close();
  });
});

describe('a page that pins the widget with Subresource Integrity', () => {
  it('loads the versioned file when the hash matches, and refuses a file that does not match', async () => {
    const tab = await open('/pinned');
    expect(await widget(tab, 'h2').textContent()).toBe('Tell us how it went');
    const context = await browser.newContext();
    const tampered = await context.newPage();
    await tampered.goto(`${site.origin}/tampered`);
    await tampered.waitForLoadState('load');
    expect(await tampered.locator('[data-tellus]').count()).toBe(0);
    await context.close();
    await tab.context().close();
  });
});

describe('on a page with hostile CSS', () => {
  /** What the citizen sees of the widget: sizes, colours and fonts of its parts. */
  async function look(tab: Page) {
    return tab.evaluate(() => {
      const host = document.querySelector('[data-tellus]') as HTMLElement;
      const root = host.shadowRoot as ShadowRoot;
      const style = (selector: string) => {
        const el = root.querySelector(selector) as HTMLElement;
        const s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return [
          s.fontSize,
          s.fontFamily,
          s.color,
          s.backgroundColor,
          s.textTransform,
          s.display,
          Math.round(box.width),
          Math.round(box.height),
        ].join(' | ');
      };
      return {
        host: [getComputedStyle(host).display, Math.round(host.getBoundingClientRect().width)].join(' | '),
        heading: style('h2'),
        legend: style('legend'),
        label: style('label'),
        textarea: style('textarea'),
        button: style('button'),
      };
    });
  }

  it('looks exactly as it does on a plain page', async () => {
    const plain = await open('/plain');
    const hostile = await open('/hostile');
    await hostile.setViewportSize({ width: 1024, height: 900 });
    const [expected, actual] = [await look(plain), await look(hostile)];
    expect({ ...actual, host: actual.host.split(' | ')[0] }).toEqual({
      ...expected,
      host: expected.host.split(' | ')[0],
    });
    await plain.context().close();
    await hostile.context().close();
  });

  it("leaves the host page's own styles alone", async () => {
    const tab = await open('/plain');
    const styles = await tab.evaluate(() => {
      const probe = document.createElement('label');
      probe.textContent = 'probe';
      document.body.append(probe);
      const s = getComputedStyle(probe);
      const h1 = getComputedStyle(document.querySelector('h1') as HTMLElement);
      return { label: [s.fontWeight, s.fontSize, s.color, s.display], h1: [h1.fontSize, h1.fontFamily] };
    });
    expect(styles.label).toEqual(['400', '16px', 'rgb(0, 0, 0)', 'inline']);
    expect(styles.h1[0]).toBe('32px');
    await tab.context().close();
  });
});
