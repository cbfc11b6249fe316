import { expect, it } from 'vitest';
import { attribute, mainThreadTasks, type TraceEvent, widgetSamples } from './attribution.ts';

const URL = 'http://127.0.0.1:1/page';
const WORKER = 'http://127.0.0.1:2';
const isTellus = (url: string) => url.startsWith(`${WORKER}/`);

// (root) → widget.js:outer → native appendChild;  (root) → part cy.js;  (root) → (program), (idle)
const profile = {
  nodes: [
    { id: 1, callFrame: { url: '' }, children: [2, 4, 5, 6] },
    { id: 2, callFrame: { url: `${WORKER}/v1/widget.js` }, children: [3] },
    { id: 3, callFrame: { url: '' } },
    { id: 4, callFrame: { url: `${WORKER}/v1/cy.0123456789ab.js` } },
    { id: 5, callFrame: { url: '' } },
    { id: 6, callFrame: { url: 'http://127.0.0.1:1/sentry.js' } },
  ],
  startTime: 1_000_000,
  endTime: 1_200_000,
  // Samples at 1,010,000 (widget), 1,020,000 (its native call), 1,030,000 (program),
  // 1,100,000 (part), 1,110,000 (sentry.js).
  samples: [2, 3, 5, 4, 6],
  timeDeltas: [10_000, 10_000, 10_000, 70_000, 10_000],
};

const event = (name: string, ts: number, dur: number, tid = 7, url?: string): TraceEvent => ({
  name,
  ph: 'X',
  pid: 1,
  tid,
  ts,
  dur,
  ...(url ? { args: { beginData: { url } } } : {}),
});

const events: TraceEvent[] = [
  event('RunTask', 900_000, 5_000),
  event('ParseHTML', 901_000, 1_000, 7, URL),
  event('RunTask', 1_005_000, 60_000),
  event('RunTask', 1_010_000, 1_000), // nested in the one above
  event('RunTask', 1_095_000, 20_000),
  event('RunTask', 1_005_000, 90_000, 8), // another thread
];

it('counts a sample as the widget’s when any of its scripts is on the stack, each worth the gap to the next', () => {
  expect(widgetSamples(profile, isTellus)).toEqual([
    { ts: 1_010_000, dur: 10_000 },
    { ts: 1_020_000, dur: 10_000 },
    { ts: 1_100_000, dur: 10_000 },
  ]);
});

it('takes the top-level tasks of the thread that parsed the page', () => {
  expect(mainThreadTasks(events, URL)).toEqual([
    { ts: 900_000, dur: 5_000 },
    { ts: 1_005_000, dur: 60_000 },
    { ts: 1_095_000, dur: 20_000 },
  ]);
  expect(() => mainThreadTasks(events, 'http://elsewhere/')).toThrow(/no ParseHTML/);
});

it('finds the long tasks in which the widget ran, and its script time', () => {
  const tasks = mainThreadTasks(events, URL);
  expect(attribute(profile, tasks, isTellus, 50)).toEqual({ scriptMs: 30, longTasks: 1, longestTaskMs: 60 });
  expect(attribute(profile, tasks, (url) => url.endsWith('/sentry.js'), 50)).toEqual({
    scriptMs: 90,
    longTasks: 0,
    longestTaskMs: 20,
  });
});
