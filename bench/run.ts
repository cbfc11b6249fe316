// `npm run bench`: the widget's bytes, its cost to the host page, submissions and deliveries, all
// measured in one run on this machine; writes bench/results.json and prints the table.
// `--quick` runs each part small (a smoke check, not a measurement) and leaves the docs alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { launchChromium, startHostSite, startWorker } from '../demo/test/harness.ts';
import { measureBacklog, measureLatency } from './delivery.ts';
import { hostPages, measureHostPage } from './page.ts';
import { RECEIVER_SECRET, startReceiver } from './receiver.ts';
import { measureRecovery } from './recovery.ts';
import { resultsTable } from './report.ts';
import { buildSentryBundle, startSentrySink } from './sentry.ts';
import { measureSizes } from './size.ts';
import { measureSubmissions } from './submissions.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results.json' },
  },
});
const quick = values.quick ?? false;
const counts = quick
  ? { loads: 2, amount: 200, connections: 10, latency: 20, backlog: 40 }
  : { loads: 10, amount: 3000, connections: 10, latency: 200, backlog: 1000 };
/** The receiver that blinks: down a minute under a steady stream (a few seconds for --quick). */
const recoveryPlan = quick
  ? { downSeconds: 6, perSecond: 5, afterSeconds: 3 }
  : { downSeconds: 60, perSecond: 10, afterSeconds: 10 };
const root = new URL('..', import.meta.url);
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const version = (name: string) =>
  (
    JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), 'utf8')) as {
      version: string;
    }
  ).version;

export type BenchResults = Awaited<ReturnType<typeof runBenchmarks>>;

async function runBenchmarks() {
  progress('1/5 widget bytes, and the anchor: Sentry with its feedback widget, bundled by Vite');
  const sentrySink = await startSentrySink();
  const sentry = await buildSentryBundle(sentrySink.dsn);
  const size = {
    ...measureSizes(new URL('dist', root).pathname),
    sentry: { ...sentry.size, version: sentry.version },
  };

  let workerOrigin = '';
  const host = await startHostSite(
    hostPages(
      () => workerOrigin,
      () => sentry.code,
    ),
  );
  const receiver = await startReceiver();
  const worker = await startWorker(
    [host.origin],
    { webhook: { url: receiver.url, secret: RECEIVER_SECRET } },
    { BENCH_ROUTES: 'true' },
  );
  workerOrigin = worker.origin;
  const browser = await launchChromium();
  try {
    progress(
      `2/5 host page, ${counts.loads} rounds: without a widget, with Tellus, with Sentry, at 4× CPU throttle`,
    );
    const page = {
      ...(await measureHostPage(browser, host, worker.origin, counts.loads, progress)),
      sentryEnvelopes: sentrySink.envelopes(),
    };
    progress(
      `3/5 submissions: ${counts.amount} requests to GET /healthz and to a bare D1 insert, then twice to POST /v1/feedback`,
    );
    const submissions = await measureSubmissions(worker, receiver, host.origin, counts);
    progress(`4/5 delivery: ${counts.latency} stories one at a time, then a backlog of ${counts.backlog}`);
    const latency = await measureLatency(worker, receiver, host.origin, counts.latency);
    const backlog = await measureBacklog(worker, receiver, host.origin, counts.backlog);
    progress(
      `5/5 recovery: the receiver down ${recoveryPlan.downSeconds} s under ${recoveryPlan.perSecond} stories a second, then back`,
    );
    const recovery = await measureRecovery(worker, receiver, host.origin, recoveryPlan);
    return {
      date: new Date().toISOString(),
      quick,
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        chromium: browser.version(),
        wrangler: version('wrangler'),
        sentry: sentry.version,
      },
      size,
      page,
      submissions,
      delivery: { latency, backlog, recovery, unverifiedWebhooks: receiver.unverified() },
    };
  } finally {
    await browser.close();
    await worker.stop();
    await receiver.close();
    await host.stop();
    await sentrySink.close();
  }
}

const results = await runBenchmarks();
writeFileSync(values.out ?? 'bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
const table = resultsTable(results);
const { machine } = results;
const heading = `Measured ${results.date.slice(0, 10)} on ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, Chromium ${machine.chromium}, wrangler ${machine.wrangler}.`;
console.log(`\n${heading}\n\n${table}\n`);

if (!quick) {
  // The docs carry the latest full run between their two markers.
  const docs = new URL('docs/PERFORMANCE.md', root);
  const text = readFileSync(docs, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const updated = `${text.slice(0, text.indexOf(start) + start.length)}\n${heading}\n\n${table}\n${text.slice(text.indexOf(end))}`;
  writeFileSync(docs, updated);
  progress('docs/PERFORMANCE.md updated');
}
