/**
 * The anchor measured beside Tellus: Sentry's feedback widget as a site would ship it, `@sentry/browser`
 * with `feedbackIntegration` in the site's own bundle (Vite, minified), its DSN pointing at a sink
 * on loopback so that nothing leaves the machine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { type FileSize, sizeOf } from './size.ts';

/**
 * Where the bundled SDK sends its envelopes (the session it starts on every load, any feedback):
 * answers 200 to everything, as sentry.io would, and counts what arrived.
 */
export async function startSentrySink() {
  let envelopes = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') envelopes++;
      res
        .writeHead(200, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Headers': '*',
          'Content-Type': 'application/json',
        })
        .end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** A DSN for project 1 on this sink. */
    dsn: `http://public@127.0.0.1:${port}/1`,
    envelopes: () => envelopes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const ENTRY = 'virtual:sentry-host';

/** The site's entry: Sentry initialised with its feedback widget, whose button it injects itself. */
const entry = (dsn: string) => `import { feedbackIntegration, init } from '@sentry/browser';
init({ dsn: ${JSON.stringify(dsn)}, integrations: [feedbackIntegration({ colorScheme: 'system' })] });
`;

export interface SentryBundle {
  /** The minified bundle, one classic script. */
  code: string;
  size: FileSize;
  version: string;
}

/** Bundles the site's entry with Vite's defaults for production (minified), in a throwaway directory. */
export async function buildSentryBundle(dsn: string): Promise<SentryBundle> {
  const root = new URL('..', import.meta.url).pathname;
  const outDir = mkdtempSync(join(tmpdir(), 'tellus-bench-sentry-'));
  try {
    await build({
      configFile: false,
      root,
      logLevel: 'warn',
      publicDir: false,
      plugins: [
        {
          // The entry is generated, not a file: resolved first, so Vite's lib mode finds it.
          name: 'bench-sentry-entry',
          enforce: 'pre',
          resolveId: (id) => (id.endsWith(ENTRY) ? `\0${ENTRY}` : null),
          load: (id) => (id === `\0${ENTRY}` ? entry(dsn) : null),
        },
      ],
      build: {
        outDir,
        emptyOutDir: true,
        minify: true,
        target: 'es2022',
        sourcemap: false,
        reportCompressedSize: false,
        lib: { entry: ENTRY, formats: ['iife'], name: 'SentryHost', fileName: () => 'sentry.js' },
      },
    });
    const file = join(outDir, 'sentry.js');
    const version = (
      JSON.parse(readFileSync(join(root, 'node_modules/@sentry/browser/package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    return { code: readFileSync(file, 'utf8'), size: sizeOf(file, '/sentry.js'), version };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
