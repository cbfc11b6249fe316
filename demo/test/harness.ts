// Starts what a browser test needs, on loopback only: the worker under `wrangler dev` with its own
// throwaway D1, a second web server for "someone else's site", and Debian's Chromium.
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import { type DemoSubscriptions, seedLocalDatabase } from '../../scripts/seed.ts';
import { emlPathOf, runWrangler, startWrangler } from '../../scripts/wrangler.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The operator token of the test worker. */
export const OPERATOR_TOKEN = 'browser-tests-operator-token';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Worker {
  origin: string;
  /** Where `wrangler dev` keeps this worker's local state (its D1 among it). */
  dataDir: string;
  /** The raw text of every email the worker has sent (wrangler dev writes each to an .eml file). */
  emails(): string[];
  /** The .eml files those emails are in, oldest first. */
  emailFiles(): string[];
  /** Runs SQL against the worker's local D1 and returns the rows. */
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
  stop(): Promise<void>;
}

/** Runs `wrangler dev` on a free port with a fresh, seeded D1 that allows the given origins. */
export async function startWorker(
  extraOrigins: string[] = [],
  subscriptions: DemoSubscriptions = {},
  vars: Record<string, string> = {},
): Promise<Worker> {
  const persistTo = mkdtempSync(join(tmpdir(), 'tellus-d1-'));
  // A port found free can be taken by another process before wrangler binds it: then try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startWorkerOnce(persistTo, extraOrigins, subscriptions, vars);
    } catch (err) {
      if (attempt === 3 || !String(err).includes('Address already in use')) throw err;
    }
  }
}

async function startWorkerOnce(
  persistTo: string,
  extraOrigins: string[],
  subscriptions: DemoSubscriptions,
  extraVars: Record<string, string>,
) {
  const vars = {
    // Webhooks to the test's inbox on 127.0.0.1, and email links back to this worker.
    ALLOW_LOCAL_WEBHOOKS: 'true',
    PUBLIC_URL: '',
    OPERATOR_TOKEN,
    TELLUS_SECRET: 'browser-tests-secret-not-for-production',
    // The tests drive the widget faster than any person types; the minimum is tested in workerd.
    FORM_MIN_SECONDS: '0',
    ...extraVars,
  };
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  await seedLocalDatabase({ persistTo, origins: [origin, ...extraOrigins], subscriptions });
  const child = startWrangler(
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      persistTo,
      '--show-interactive-dev-session=false',
      ...Object.entries({ ...vars, PUBLIC_URL: origin }).flatMap(([name, value]) => [
        '--var',
        `${name}:${value}`,
      ]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  await waitUntilHealthy(origin, child, () => log);
  const emlFiles = () => log.split('\n').flatMap((line) => emlPathOf(line) ?? []);
  const worker: Worker = {
    origin,
    dataDir: persistTo,
    emails: () => emlFiles().map((file) => readFileSync(file, 'utf8')),
    emailFiles: () => emlFiles(),
    async query(sql) {
      const output = await runWrangler([
        'd1',
        'execute',
        'DB',
        '--local',
        '--json',
        '--persist-to',
        persistTo,
        '--command',
        sql,
      ]);
      const [result] = JSON.parse(output.slice(output.indexOf('['))) as [{ results: never[] }];
      return result.results;
    },
    async stop() {
      await stopProcess(child);
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
  return worker;
}

async function waitUntilHealthy(origin: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log()}`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopProcess(child);
  throw new Error(`wrangler dev did not become healthy within 90 s:\n${log()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A page a host site serves, with any headers it sends (a Content-Security-Policy, say). */
export type HostPage = (request: {
  method: string;
  body: string;
}) => string | { html: string; headers: Record<string, string> };

/** Serves HTML pages from their own origin, as a council's own web server would. */
export async function startHostSite(pages: Record<string, HostPage>) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server: Server = createServer((req, res) => {
    const page = pages[req.url ?? ''];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const served = page({ method: req.method ?? 'GET', body });
      const { html, headers } = typeof served === 'string' ? { html: served, headers: {} } : served;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers }).end(html);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Debian's Chromium, headless, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe-core in the page for WCAG 2.2 AA (it reaches into open shadow roots). */
export async function axeViolations(page: import('playwright-core').Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so a strict CSP on the page does not stop it.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact: impact ?? null,
      help,
      nodes: nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** A marker for a test's story that no rule mistakes for personal data (digits could pass the card check). */
export const unique = () => Math.random().toString(36).slice(2, 10).replace(/[0-9]/g, 'x');

/** Polls until `check` gives something, for at most `ms` (10 s unless told). */
export async function waitFor<T>(check: () => T | Promise<T>, ms = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `npm run tellus -- …` against `worker`, as a person runs it: its exit code and what it printed. */
export async function runTellus(worker: Pick<Worker, 'origin'>, ...args: string[]) {
  const env = { ...process.env, TELLUS_URL: worker.origin, TELLUS_OPERATOR_TOKEN: OPERATOR_TOKEN };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/tellus.ts', ...args], { env });
    return { code: 0, out: stdout };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

/**
 * A story for the demo service sent as its widget sends it: a fresh form token, then the story as
 * JSON in text/plain from `origin` (the worker's own page unless told), from a client address of
 * its own so no burst limit is shared. `fields` replace the defaults (rating 3, a new key).
 */
export async function sendStory(
  worker: Pick<Worker, 'origin'>,
  fields: { story?: string; rating?: number; idempotency_key?: string },
  origin = worker.origin,
): Promise<Response> {
  const widget = await fetch(`${worker.origin}/v1/services/missed-bin-collection/widget`);
  const { token } = (await widget.json()) as { token: string };
  return fetch(`${worker.origin}/v1/feedback`, {
    method: 'POST',
    headers: {
      'Content-Type': 'text/plain',
      Origin: origin,
      'CF-Connecting-IP': `10.7.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    },
    body: JSON.stringify({
      service: 'missed-bin-collection',
      rating: 3,
      idempotency_key: crypto.randomUUID(),
      token,
      ...fields,
    }),
  });
}
