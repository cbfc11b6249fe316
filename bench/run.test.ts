// `npm run bench` in small (`--quick`): every part runs end to end and reports figures that make
// sense. The figures themselves are not judged here: benchmarks report, they do not fail CI.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import type { BenchResults } from './run.ts';

const dir = mkdtempSync(join(tmpdir(), 'tellus-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('measures every part in one run and writes the raw figures', { timeout: 300_000 }, async () => {
  const out = join(dir, 'results.json');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [new URL('run.ts', import.meta.url).pathname, '--quick', '--out', out],
    { cwd: new URL('..', import.meta.url).pathname, maxBuffer: 16 * 1024 * 1024 },
  );
  const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;

  expect(results.size.widget.gzip).toBeGreaterThan(1000);
  expect(results.size.widget.brotli).toBeLessThan(results.size.widget.gzip);
  expect(results.size.allPartsGzip).toBeGreaterThanOrEqual(results.size.widget.gzip);
  // The anchor, bundled in the run: far more than Tellus, less than a megabyte.
  expect(results.size.sentry.gzip).toBeGreaterThan(results.size.widget.gzip);
  expect(results.size.sentry.minified).toBeLessThan(1024 * 1024);
  const { page } = results;
  for (const widget of [page.tellus, page.sentry]) {
    expect(widget.loads).toBe(2);
    expect(widget.interactiveMs).toBeGreaterThan(0);
    // Each widget's own time is found: its samples include the DOM work it asks for, which the
    // page's ScriptDuration does not count, so the two are not compared.
    expect(widget.widgetScriptMs).toBeGreaterThan(0);
  }
  // NaN (no widget to wait for) is null in JSON.
  expect(page.without.interactiveMs).toBeNull();
  expect(page.without.widgetScriptMs).toBe(0);
  expect(page.raw.sentry).toHaveLength(2);
  expect([page.without, page.tellus, page.sentry].map((s) => s.offLoopbackRequests)).toEqual([0, 0, 0]);
  expect(results.submissions.healthz.perSecond).toBeGreaterThan(0);
  expect(results.submissions.healthz.statuses).toEqual({ 200: 200 });
  expect(results.submissions.bareInsert.statuses).toEqual({ 204: 200 });
  expect(results.submissions.alone.statuses).toEqual({ 201: 200 });
  expect(results.submissions.stories.statuses).toEqual({ 201: 200 });
  expect(results.submissions.bytesPerStory).toBeGreaterThan(100);
  expect(results.submissions.rows).toMatchObject({
    created: 200,
    added: 200,
    missing: 0,
    exactlyOneEach: true,
  });
  expect(results.delivery.latency.stories).toBe(20);
  expect(results.delivery.backlog).toMatchObject({ stories: 40, due: 40 });
  // The receiver blinks for 6 s under 5 stories a second: its backlog is sent once it is back.
  expect(results.delivery.recovery).toMatchObject({ downSeconds: 6, perSecond: 5, duplicates: 0 });
  expect(results.delivery.recovery.backlog).toBe(30);
  expect(results.delivery.recovery.drainedSeconds).toBeGreaterThanOrEqual(0);
  expect(results.delivery.unverifiedWebhooks).toBe(0);
  expect(stdout).toContain('| Measure | Result | Goal |');
  expect(stdout).toContain('| Measure | Without | Tellus | Sentry | Tellus ÷ Sentry |');
});
