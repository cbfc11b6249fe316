/**
 * Part 2: what a feedback widget costs the page it is pasted on, in Debian's Chromium with the CPU
 * slowed 4×: the demo page served by a council's own server without a widget, with Tellus, and with
 * Sentry's feedback widget (the anchor: `@sentry/browser` with `feedbackIntegration`, bundled as a
 * site would), loaded in turn each round so that the machine's noise falls on all three alike.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { startHostSite } from '../demo/test/harness.ts';
import { attribute, type CpuProfile, mainThreadTasks, type TraceEvent } from './attribution.ts';
import { median } from './stats.ts';

/** The longest a main-thread task may run before it counts as long (and blocks input). */
const LONG_TASK_MS = 50;
/** How long the page is watched after the widget is usable (or after load, without one). */
const SETTLE_MS = 2_000;
/** The profiler's sampling interval, µs (at 4× the samples come further apart: the thread is paused). */
const SAMPLING_US = 100;

export type Widget = 'tellus' | 'sentry';

export interface PageLoad {
  longTasks: number;
  longTaskMs: number;
  totalBlockingMs: number;
  layoutShift: number;
  /** All main-thread script on the page (DevTools' `ScriptDuration`), whoever ran it. */
  scriptMs: number;
  /** The widget's own script time: profiler samples with its script on the stack. */
  widgetScriptMs: number;
  /** Long tasks (≥ 50 ms) in which the widget's script ran, and the longest task it ran in. */
  widgetLongTasks: number;
  widgetLongestTaskMs: number;
  firstContentfulPaintMs: number;
  loadMs: number;
  interactiveMs: number | null;
  /** Requests to anything but 127.0.0.1 (there must be none). */
  offLoopbackRequests: number;
}

/**
 * Watches the page from its first byte: long tasks, layout shifts, and the moment the widget is
 * usable: `ready` is in the shadow root the widget attaches (a rating radio for Tellus, the
 * feedback button for Sentry). A promise, not polling, so that waiting adds no script to the page.
 */
const observe = (ready: string) => `(() => {
  let usable;
  const seen = (window.__bench = { tasks: [], shift: 0, interactive: null });
  seen.ready = new Promise((resolve, reject) => {
    usable = resolve;
    setTimeout(() => reject(new Error('the widget was not usable within 30 s')), 30000);
  });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) seen.shift += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    const ready = new MutationObserver(() => {
      if (seen.interactive === null && root.querySelector(${JSON.stringify(ready)})) {
        seen.interactive = performance.now();
        usable();
        ready.disconnect();
      }
    });
    ready.observe(root, { childList: true, subtree: true });
    return root;
  };
})();`;

const READY: Record<Widget, string> = { tellus: 'input[type=radio]', sentry: 'button' };

/** The demo page without its widget, its CSS from the worker as a council's page would have it. */
function bareDemoPage(workerOrigin: string): string {
  return readFileSync(new URL('../demo/public/index.html', import.meta.url), 'utf8')
    .replace('href="/demo.css"', `href="${workerOrigin}/demo.css"`)
    .replace('src="/v1/widget.js"', `src="${workerOrigin}/v1/widget.js"`);
}
const TELLUS_TAG = /<script src="[^"]+\/v1\/widget\.js"[^>]*><\/script>/;

/** Which scripts are each widget's, on a page served by `host` with the worker at `workerOrigin`. */
function widgetScripts(widget: Widget, hostOrigin: string, workerOrigin: string) {
  // Every script from the worker is Tellus's: widget.js and any part it loads from /v1/.
  if (widget === 'tellus') return (url: string) => url.startsWith(`${workerOrigin}/`);
  return (url: string) => url === `${hostOrigin}/sentry.js`;
}

async function loadOnce(
  browser: Browser,
  origins: { host: string; worker: string },
  path: string,
  widget: Widget | null,
): Promise<PageLoad> {
  const url = `${origins.host}${path}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  let offLoopbackRequests = 0;
  page.on('request', (request) => {
    if (!/^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(request.url()) && !request.url().startsWith('data:'))
      offLoopbackRequests++;
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
  await page.addInitScript(observe(widget ? READY[widget] : 'input[type=radio]'));
  // The same instruments on every page, with a widget or without, so their cost falls on all alike.
  await browser.startTracing(undefined, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  await cdp.send('Profiler.start');
  await page.goto(url, { waitUntil: 'load' });
  if (widget)
    await page.evaluate(() => (window as never as { __bench: { ready: Promise<void> } }).__bench.ready);
  await page.waitForTimeout(SETTLE_MS);
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as
    | { traceEvents: TraceEvent[] }
    | TraceEvent[];
  const { metrics } = await cdp.send('Performance.getMetrics');
  const scriptMs = (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? Number.NaN) * 1000;
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const own = widget
    ? attribute(
        profile,
        mainThreadTasks(events, url),
        widgetScripts(widget, origins.host, origins.worker),
        LONG_TASK_MS,
      )
    : { scriptMs: 0, longTasks: 0, longestTaskMs: 0 };
  const load = await page.evaluate((longTaskMs) => {
    const seen = (
      window as never as {
        __bench: {
          tasks: { start: number; duration: number }[];
          shift: number;
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
      firstContentfulPaintMs: fcp,
      loadMs: navigation?.loadEventEnd ?? 0,
      interactiveMs: seen.interactive,
    };
  }, LONG_TASK_MS);
  await context.close();
  return {
    ...load,
    scriptMs,
    widgetScriptMs: own.scriptMs,
    widgetLongTasks: own.longTasks,
    widgetLongestTaskMs: own.longestTaskMs,
    offLoopbackRequests,
  };
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
    scriptMs: medianOf(loads, 'scriptMs'),
    widgetScriptMs: medianOf(loads, 'widgetScriptMs'),
    widgetLongTasks: medianOf(loads, 'widgetLongTasks'),
    widgetLongestTaskMs: medianOf(loads, 'widgetLongestTaskMs'),
    firstContentfulPaintMs: medianOf(loads, 'firstContentfulPaintMs'),
    loadMs: medianOf(loads, 'loadMs'),
    interactiveMs: medianOf(loads, 'interactiveMs'),
    offLoopbackRequests: Math.max(0, ...loads.map((load) => load.offLoopbackRequests)),
  };
}
type Summary = ReturnType<typeof summary>;

/** What a widget's page costs beyond the bare page: medians with the widget − medians without. */
const added = (widget: Summary, without: Summary) => ({
  longTasks: widget.longTasks - without.longTasks,
  totalBlockingMs: widget.totalBlockingMs - without.totalBlockingMs,
  layoutShift: widget.layoutShift - without.layoutShift,
  scriptMs: widget.scriptMs - without.scriptMs,
  firstContentfulPaintMs: widget.firstContentfulPaintMs - without.firstContentfulPaintMs,
  loadMs: widget.loadMs - without.loadMs,
});

export async function measureHostPage(
  browser: Browser,
  host: Awaited<ReturnType<typeof startHostSite>>,
  workerOrigin: string,
  rounds: number,
  progress: (line: string) => void,
) {
  const origins = { host: host.origin, worker: workerOrigin };
  const raw: { without: PageLoad[]; tellus: PageLoad[]; sentry: PageLoad[] } = {
    without: [],
    tellus: [],
    sentry: [],
  };
  for (let i = 0; i < rounds; i++) {
    raw.without.push(await loadOnce(browser, origins, '/without', null));
    raw.tellus.push(await loadOnce(browser, origins, '/tellus', 'tellus'));
    raw.sentry.push(await loadOnce(browser, origins, '/sentry', 'sentry'));
    const [t, s] = [raw.tellus.at(-1), raw.sentry.at(-1)];
    progress(
      `page loads ${i + 1}/${rounds}: script Tellus ${t?.widgetScriptMs.toFixed(0)} ms, Sentry ${s?.widgetScriptMs.toFixed(0)} ms`,
    );
  }
  const without = summary(raw.without);
  const tellus = summary(raw.tellus);
  const sentry = summary(raw.sentry);
  return {
    cpuThrottling: 4,
    samplingIntervalUs: SAMPLING_US,
    without,
    tellus,
    sentry,
    added: { tellus: added(tellus, without), sentry: added(sentry, without) },
    raw,
  };
}

/**
 * The pages a council's server would send: the demo page bare, with the Tellus tag, and with the
 * site's Sentry bundle in the Tellus tag's place, loaded the same way (async), and the bundle itself.
 */
export function hostPages(workerOrigin: () => string, sentryBundle: () => string) {
  const bare = () => bareDemoPage(workerOrigin()).replace(TELLUS_TAG, '');
  return {
    '/without': bare,
    '/tellus': () => bareDemoPage(workerOrigin()),
    '/sentry': () =>
      bareDemoPage(workerOrigin()).replace(TELLUS_TAG, '<script src="/sentry.js" async></script>'),
    '/sentry.js': () => ({
      html: sentryBundle(),
      headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
    }),
  };
}
