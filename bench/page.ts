/**
 * Part 2: what the widget costs the page it is pasted on, in Debian's Chromium with the CPU slowed
 * 4×: the demo page served by a council's own server, with and without the script tag, loaded in
 * turn so that the machine's noise falls on both alike.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { startHostSite } from '../demo/test/harness.ts';
import { median } from './stats.ts';

/** The longest a main-thread task may run before it counts as long (and blocks input). */
const LONG_TASK_MS = 50;
/** How long the page is watched after the widget is usable (or after load, without it). */
const SETTLE_MS = 2_000;

export interface PageLoad {
  longTasks: number;
  longTaskMs: number;
  totalBlockingMs: number;
  layoutShift: number;
  /** Long tasks during which widget.js ran, and how long it ran in long frames. */
  widgetLongTasks: number;
  widgetScriptMs: number;
  firstContentfulPaintMs: number;
  loadMs: number;
  interactiveMs: number | null;
}

/** Watches the page from its first byte: long tasks, layout shifts, long frames, the widget's radios. */
const OBSERVE = `(() => {
  const seen = (window.__bench = { tasks: [], shift: 0, scripts: [], interactive: null });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) seen.shift += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      for (const s of e.scripts)
        if (s.sourceURL.includes('/v1/widget')) seen.scripts.push({ start: s.startTime, duration: s.duration });
  }).observe({ type: 'long-animation-frame', buffered: true });
  // The widget is usable when its first rating radio is in its shadow root.
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    const ready = new MutationObserver(() => {
      if (seen.interactive === null && root.querySelector('input[type=radio]')) {
        seen.interactive = performance.now();
        ready.disconnect();
      }
    });
    ready.observe(root, { childList: true, subtree: true });
    return root;
  };
})();`;

/** The demo page as a council's server sends it, pointing at the worker for its CSS and widget. */
function demoPage(workerOrigin: string, withWidget: boolean): string {
  const html = readFileSync(new URL('../demo/public/index.html', import.meta.url), 'utf8')
    .replace('href="/demo.css"', `href="${workerOrigin}/demo.css"`)
    .replace('src="/v1/widget.js"', `src="${workerOrigin}/v1/widget.js"`);
  return withWidget ? html : html.replace(/<script src="[^"]+\/v1\/widget\.js"[^>]*><\/script>/, '');
}

async function loadOnce(browser: Browser, url: string, withWidget: boolean): Promise<PageLoad> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(OBSERVE);
  await page.goto(url, { waitUntil: 'load' });
  if (withWidget)
    await page.waitForFunction(
      () => (window as never as { __bench: { interactive: number | null } }).__bench.interactive !== null,
    );
  await page.waitForTimeout(SETTLE_MS);
  const load = await page.evaluate((longTaskMs) => {
    const seen = (
      window as never as {
        __bench: {
          tasks: { start: number; duration: number }[];
          shift: number;
          scripts: { start: number; duration: number }[];
          interactive: number | null;
        };
      }
    ).__bench;
    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
    const blocking = seen.tasks.filter((t) => t.start >= fcp);
    return {
      longTasks: seen.tasks.length,
      longTaskMs: seen.tasks.reduce((sum, t) => sum + t.duration, 0),
      totalBlockingMs: blocking.reduce((sum, t) => sum + Math.max(0, t.duration - longTaskMs), 0),
      layoutShift: seen.shift,
      // A long task is the widget's when the widget's script ran inside it.
      widgetLongTasks: seen.tasks.filter((t) =>
        seen.scripts.some((s) => s.start < t.start + t.duration && s.start + s.duration > t.start),
      ).length,
      widgetScriptMs: seen.scripts.reduce((sum, s) => sum + s.duration, 0),
      firstContentfulPaintMs: fcp,
      loadMs: navigation?.loadEventEnd ?? 0,
      interactiveMs: seen.interactive,
    };
  }, LONG_TASK_MS);
  await context.close();
  return load;
}

const medianOf = (loads: PageLoad[], key: keyof PageLoad) =>
  median(loads.map((load) => load[key] ?? Number.NaN));

function summary(loads: PageLoad[]) {
  return {
    loads: loads.length,
    longTasks: medianOf(loads, 'longTasks'),
    longTaskMs: medianOf(loads, 'longTaskMs'),
    totalBlockingMs: medianOf(loads, 'totalBlockingMs'),
    layoutShift: medianOf(loads, 'layoutShift'),
    widgetLongTasks: medianOf(loads, 'widgetLongTasks'),
    widgetScriptMs: medianOf(loads, 'widgetScriptMs'),
    firstContentfulPaintMs: medianOf(loads, 'firstContentfulPaintMs'),
    loadMs: medianOf(loads, 'loadMs'),
    interactiveMs: medianOf(loads, 'interactiveMs'),
  };
}

export async function measureHostPage(
  browser: Browser,
  host: Awaited<ReturnType<typeof startHostSite>>,
  loads: number,
  progress: (line: string) => void,
) {
  const withWidget: PageLoad[] = [];
  const without: PageLoad[] = [];
  for (let i = 0; i < loads; i++) {
    without.push(await loadOnce(browser, `${host.origin}/without`, false));
    withWidget.push(await loadOnce(browser, `${host.origin}/with`, true));
    progress(`page loads ${i + 1}/${loads}`);
  }
  const a = summary(withWidget);
  const b = summary(without);
  return {
    cpuThrottling: 4,
    with: a,
    without: b,
    added: {
      longTasks: a.longTasks - b.longTasks,
      totalBlockingMs: a.totalBlockingMs - b.totalBlockingMs,
      layoutShift: a.layoutShift - b.layoutShift,
    },
    raw: { with: withWidget, without },
  };
}

/** The two pages a council's server would send: the demo page with its script tag, and without. */
export function hostPages(workerOrigin: () => string) {
  return {
    '/with': () => demoPage(workerOrigin(), true),
    '/without': () => demoPage(workerOrigin(), false),
  };
}
