/** The benchmark results as a Markdown table, each figure beside the goal it is reported against. */

import type { BenchResults } from './run.ts';
import { round } from './stats.ts';

const kb = (bytes: number) => `${round(bytes / 1024)} KB`;
const ms = (value: number | null) => (value === null || Number.isNaN(value) ? '–' : `${round(value, 1)} ms`);
const met = (ok: boolean) => (ok ? 'met' : 'not met');

export function resultsTable(results: BenchResults): string {
  const { size, page, submissions, delivery } = results;
  const rows: [string, string, string, string][] = [
    ['Widget `/v1/widget.js`, minified', kb(size.widget.minified), '', ''],
    ['Widget, gzip', kb(size.widget.gzip), '≤ 8 KB', met(size.widget.gzip <= size.goalGzip)],
    ['Widget, brotli', kb(size.widget.brotli), '', ''],
    ['Stories mode `/v1/stories.js` (loaded only by that mode), gzip', kb(size.stories.gzip), '', ''],
    ...size.anchors.map((anchor): [string, string, string, string] => [
      `Anchor: ${anchor.name}, gzip`,
      'gzipKBMax' in anchor ? `${anchor.gzipKB}–${anchor.gzipKBMax} KB` : `${anchor.gzipKB} KB`,
      '',
      '',
    ]),
  ];
  if (page) {
    rows.push(
      [
        `Host page at 4× CPU throttle: long tasks (≥ 50 ms) in which widget.js ran (median of ${page.with.loads} loads)`,
        `${page.with.widgetLongTasks} (widget script ${ms(page.with.widgetScriptMs)} in long frames)`,
        '0',
        met(page.with.widgetLongTasks === 0),
      ],
      ['Long tasks, without → with the widget', `${page.without.longTasks} → ${page.with.longTasks}`, '', ''],
      [
        'Total blocking time, without → with',
        `${ms(page.without.totalBlockingMs)} → ${ms(page.with.totalBlockingMs)}`,
        '0 added',
        met(page.added.totalBlockingMs <= 0),
      ],
      [
        'Layout shift (CLS), without → with',
        `${round(page.without.layoutShift, 4)} → ${round(page.with.layoutShift, 4)}`,
        '≤ 0.01 added',
        met(page.added.layoutShift <= 0.01),
      ],
      [
        'First contentful paint, without → with',
        `${ms(page.without.firstContentfulPaintMs)} → ${ms(page.with.firstContentfulPaintMs)}`,
        '',
        '',
      ],
      ['Navigation to widget usable', ms(page.with.interactiveMs), '', ''],
    );
  }
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
        'Submissions (with delivery) ÷ bare route, throughput',
        `${round(submissions.ratio * 100, 0)} %`,
        '≥ 50 %',
        met(submissions.ratio >= 0.5),
      ],
      [
        'Submissions (with delivery) p99 − bare route p99',
        ms(submissions.p99AddedMs),
        '≤ 5 ms',
        met(submissions.p99AddedMs <= 5),
      ],
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
    const { latency, backlog } = delivery;
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
  }
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return [
    '| Measure | Result | Goal | |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}
