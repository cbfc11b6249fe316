/** The benchmark results as a Markdown table, each figure beside the goal it is reported against. */

import type { BenchResults } from './run.ts';
import { round } from './stats.ts';

const kb = (bytes: number) => `${round(bytes / 1024)} KB`;
const ms = (value: number | null) => (value === null || Number.isNaN(value) ? '–' : `${round(value, 1)} ms`);
const met = (ok: boolean) => (ok ? 'met' : 'not met');

type Row = [string, string, string, string];
type PageResults = BenchResults['page'];
type PageSummary = PageResults['tellus'];

/** Tellus ÷ Sentry, where it means something: both figures known, Sentry's above zero, Tellus's not below. */
export function ratio(tellus: number | null, sentry: number | null): string {
  if (tellus === null || sentry === null || Number.isNaN(tellus) || Number.isNaN(sentry)) return '–';
  if (sentry <= 0 || tellus < 0) return '–';
  return `${round(tellus / sentry, 2)}×`;
}

const bytes = (value: number) => `${kb(value)} (${value.toLocaleString('en-GB')} B)`;

function sizeRows(size: BenchResults['size']): Row[] {
  const { widget, parts, sentry } = size;
  const rows: Row[] = [
    ['Widget `/v1/widget.js` (first paint), minified', kb(widget.minified), '', ''],
    ['Widget (first paint), gzip', bytes(widget.gzip), '≤ 8,192 B', met(widget.gzip <= size.goalGzip)],
    ['Widget (first paint), brotli', kb(widget.brotli), '', ''],
    ...parts.map(
      (part): Row => [`Part \`${part.file}\` (loaded when wanted), gzip`, bytes(part.gzip), '', ''],
    ),
  ];
  if (parts.length > 0)
    rows.push([
      `All parts: first paint + ${parts.length} part${parts.length === 1 ? '' : 's'}, gzip`,
      bytes(size.allPartsGzip),
      '',
      '',
    ]);
  rows.push(
    [
      `Anchor measured here: \`@sentry/browser\` ${sentry.version} with \`feedbackIntegration\`, bundled by Vite, minified`,
      kb(sentry.minified),
      '',
      '',
    ],
    ['Sentry bundle, gzip', bytes(sentry.gzip), '', ''],
    [
      'Tellus ÷ Sentry, gzip: first paint; all parts',
      `${ratio(widget.gzip, sentry.gzip)}; ${ratio(size.allPartsGzip, sentry.gzip)}`,
      '',
      '',
    ],
    ...size.anchors.map(
      (anchor): Row => [
        `Anchor: ${anchor.name}, gzip (published)`,
        'gzipKBMax' in anchor ? `${anchor.gzipKB}–${anchor.gzipKBMax} KB` : `${anchor.gzipKB} KB`,
        '',
        '',
      ],
    ),
  );
  return rows;
}

/** The host page: every figure without a widget, with Tellus, with Sentry, and Tellus ÷ Sentry. */
export function pageTable(page: PageResults): string {
  const { without, tellus, sentry, added } = page;
  const plus = (value: number) => (value > 0 ? `+${ms(value)}` : ms(value));
  type PageRow = [string, string, string, string, string, string, string];
  const figure = (
    measure: string,
    pick: (s: PageSummary) => number | null,
    format: (value: number | null) => string,
    goal = '',
    ok: boolean | null = null,
    withoutCell = true,
  ): PageRow => [
    measure,
    withoutCell ? format(pick(without)) : '',
    format(pick(tellus)),
    format(pick(sentry)),
    ratio(pick(tellus), pick(sentry)),
    goal,
    ok === null ? '' : met(ok),
  ];
  const count = (value: number | null) =>
    value === null || Number.isNaN(value) ? '–' : `${round(value, 1)}`;
  const scriptGoal = tellus.widgetScriptMs <= 30 && tellus.widgetScriptMs <= sentry.widgetScriptMs / 6;
  const rows: PageRow[] = [
    figure(
      "Widget's own script time (profiler: samples with its script on the stack)",
      (s) => s.widgetScriptMs,
      ms,
      '≤ 30 ms and ≤ ⅙ of Sentry',
      scriptGoal,
      false,
    ),
    [
      'Main-thread script time added (page with the widget − without)',
      '',
      plus(added.tellus.scriptMs),
      plus(added.sentry.scriptMs),
      ratio(added.tellus.scriptMs, added.sentry.scriptMs),
      '≤ 30 ms',
      met(added.tellus.scriptMs <= 30),
    ],
    figure('Main-thread script time, whole page (`ScriptDuration`)', (s) => s.scriptMs, ms),
    figure(
      "Long tasks (≥ 50 ms) in which the widget's script ran",
      (s) => s.widgetLongTasks,
      count,
      '0',
      tellus.widgetLongTasks === 0,
      false,
    ),
    figure(
      "Longest task in which the widget's script ran",
      (s) => s.widgetLongestTaskMs,
      ms,
      '',
      null,
      false,
    ),
    figure('Long tasks (≥ 50 ms), all', (s) => s.longTasks, count),
    figure('Total blocking time', (s) => s.totalBlockingMs, ms, '0 added', added.tellus.totalBlockingMs <= 0),
    figure(
      'Layout shift (CLS)',
      (s) => s.layoutShift,
      (value) => (value === null ? '–' : `${round(value, 4)}`),
      '≤ 0.01 added',
      added.tellus.layoutShift <= 0.01,
    ),
    figure('First contentful paint', (s) => s.firstContentfulPaintMs, ms),
    figure('Load event end', (s) => s.loadMs, ms),
    figure('Navigation to widget usable', (s) => s.interactiveMs, ms, '', null, false),
  ];
  return [
    `Host page at ${page.cpuThrottling}× CPU throttle, medians of ${tellus.loads} rounds (each round: without, Tellus, Sentry; a cold browser context each).`,
    '',
    '| Measure | Without | Tellus | Sentry | Tellus ÷ Sentry | Goal (Tellus) | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

const cell = (text: string) => text.replaceAll('|', '\\|');
const table = (rows: Row[]) =>
  [
    '| Measure | Result | Goal | |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');

/** Three tables: the bytes, the host page (Tellus beside Sentry), the worker. */
export function resultsTable(results: BenchResults): string {
  const { size, page, submissions, delivery } = results;
  const tables = [table(sizeRows(size))];
  if (page) tables.push(pageTable(page));
  const rows: Row[] = [];
  if (submissions) {
    const { healthz, stories } = submissions;
    rows.push(
      [
        `\`GET /healthz\`, ${submissions.connections} connections`,
        `${round(healthz.perSecond)}/s, p50 ${ms(healthz.p50Ms)}, p99 ${ms(healthz.p99Ms)}`,
        '',
        '',
      ],
      [
        '`POST /v1/feedback`, valid stories from an allowed origin, no subscription',
        `${round(submissions.alone.perSecond)}/s, p50 ${ms(submissions.alone.p50Ms)}, p99 ${ms(submissions.alone.p99Ms)}`,
        '',
        '',
      ],
      [
        '`POST /v1/feedback`, each story also delivered by webhook',
        `${round(stories.perSecond)}/s, p50 ${ms(stories.p50Ms)}, p99 ${ms(stories.p99Ms)}`,
        '',
        '',
      ],
      [
        '`POST /bench/insert`, one bare D1 insert',
        `${round(submissions.bareInsert.perSecond)}/s, p50 ${ms(submissions.bareInsert.p50Ms)}, p99 ${ms(submissions.bareInsert.p99Ms)}; ${round(submissions.insertRatio * 100, 0)} % of \`/healthz\``,
        '',
        '',
      ],
      [
        'Stories alone ÷ `/healthz`, throughput (and ÷ the bare insert)',
        `${round(submissions.aloneRatio * 100, 0)} % (${round(submissions.aloneVsInsert * 100, 0)} % of the bare insert)`,
        '≥ 45 %',
        met(submissions.aloneRatio >= 0.45),
      ],
      [
        'Stories with one webhook ÷ `/healthz`, throughput',
        `${round(submissions.ratio * 100, 0)} %`,
        '≥ 35 %',
        met(submissions.ratio >= 0.35),
      ],
      ['Stories with one webhook, p99 − `/healthz` p99', ms(submissions.p99AddedMs), '', ''],
      [
        'Every 201 is exactly one row',
        `${submissions.rows.created} answered 201, ${submissions.rows.added} rows added, ${submissions.rows.missing} missing`,
        'all',
        met(submissions.rows.exactlyOneEach),
      ],
      [
        'On disk per story, with its delivery and attempt (SQLite dbstat)',
        `${round(submissions.bytesPerStory)} B`,
        '',
        '',
      ],
    );
  }
  if (delivery) {
    const { latency, backlog, recovery } = delivery;
    rows.push(
      [
        `201 → webhook arrives (${latency.stories} stories, one at a time)`,
        `p50 ${ms(latency.p50Ms)}, p99 ${ms(latency.p99Ms)}`,
        'p99 ≤ 250 ms',
        met(latency.p99Ms <= 250),
      ],
      [
        `Backlog of ${backlog.stories} after the receiver comes back (replay)`,
        `${round(backlog.drainSeconds, 1)} s, ${round(backlog.perSecond)}/s`,
        '',
        '',
      ],
    );
    if (recovery) {
      rows.push(
        [
          `Receiver down ${recovery.downSeconds} s under ${recovery.perSecond} stories/s, then back: its return → last of the ${recovery.backlog} arrives (re-drive)`,
          `${round(recovery.drainedSeconds, 1)} s`,
          '≤ 30 s',
          met(recovery.drainedSeconds <= 30),
        ],
        [
          'Duplicates by `webhook-id` in that run',
          String(recovery.duplicates),
          '0',
          met(recovery.duplicates === 0),
        ],
      );
    }
  }
  if (rows.length > 0) tables.push(table(rows));
  return tables.join('\n\n');
}
