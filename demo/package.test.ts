// The ES module package as a site that bundles gets it: `npm pack` of dist/package/ (built by
// vite.package.config.ts), installed into a throwaway site project, bundled there by Vite, served
// from the site's own origin under a CSP that names only the worker in connect-src, and used in
// Chromium. Also what the tarball holds, and what its types let a consumer write.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PART_NAMES } from '../widget/part-names';
import {
  type HostPage,
  launchChromium,
  startHostSite,
  startWorker,
  unique,
  type Worker,
} from './test/harness';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE = join(ROOT, 'dist/package');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const SERVICE = 'missed-bin-collection';

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

let temp: string;
let site: string;
let packed: Packed;
/** The site's build: each file's path (from its root, `/assets/…`) and text. */
let built: Map<string, string>;
let worker: Worker;
let browser: Browser;
const pages: Record<string, HostPage> = {};
let hostSite: Awaited<ReturnType<typeof startHostSite>>;

/** The site's one script: the README's example, with the language from the page. */
const entry = (endpoint: string) => `import { mount } from '@tellus/widget';

const element = document.querySelector('#feedback');
mount(element, {
  service: '${SERVICE}',
  endpoint: '${endpoint}',
  lang: element.dataset.lang === 'cy' ? 'cy' : 'en',
});
`;

/** Uses every public type, and two mistakes the types must catch. */
const CONSUMER = `import { type Locale, type Messages, type MountOptions, mount, type Wording } from '@tellus/widget';

const lang: Locale = 'cy';
const heading: Messages['heading'] = 'Sut oedd eich casgliad bin?';
const messages: Wording = { en: { heading: 'How was your bin collection?', left: (n) => \`\${n} left\` }, cy: { heading } };
const options: MountOptions = { service: '${SERVICE}', endpoint: 'https://feedback.example.gov.uk', lang, mode: 'tab', messages };
mount(document.body, options);

// @ts-expect-error: no such message key
mount(document.body, { service: '${SERVICE}', endpoint: 'https://feedback.example.gov.uk', messages: { en: { heding: 'Typo' } } });

// @ts-expect-error: the package has no script URL to take an endpoint from
mount(document.body, { service: '${SERVICE}' });

// @ts-expect-error: not a language the widget speaks
mount(document.body, { service: '${SERVICE}', endpoint: 'https://feedback.example.gov.uk', lang: 'fr' });
`;

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

beforeAll(async () => {
  if (!existsSync(join(PACKAGE, 'package.json')))
    throw new Error('dist/package/ is missing: run npm run build');
  temp = mkdtempSync(join(tmpdir(), 'tellus-package-'));
  site = join(temp, 'site');
  mkdirSync(site);

  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', temp], { cwd: PACKAGE });
  [packed] = JSON.parse(stdout) as [Packed];
  writeFileSync(join(site, 'package.json'), `${JSON.stringify({ private: true, type: 'module' })}\n`);
  // The package has no dependencies, so the install needs no registry.
  await run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(temp, packed.filename)],
    { cwd: site },
  );

  hostSite = await startHostSite(pages);
  [worker, browser] = await Promise.all([startWorker([hostSite.origin]), launchChromium()]);

  writeFileSync(join(site, 'main.js'), entry(worker.origin));
  writeFileSync(
    join(site, 'index.html'),
    `<!doctype html><html lang="en"><head><title>Report a missed bin collection</title>
<script type="module" src="/main.js"></script></head>
<body><main><h1>Report a missed bin collection</h1><div id="feedback" data-lang="en"></div></main></body></html>
`,
  );
  await build({
    root: site,
    configFile: false,
    logLevel: 'warn',
    build: { outDir: 'dist', emptyOutDir: true, minify: true, target: 'es2022' },
  });
  const out = join(site, 'dist');
  built = new Map(filesUnder(out).map((file) => [`/${file}`, readFileSync(join(out, file), 'utf8')]));

  // The site's own server: its pages under a CSP that names the worker only in connect-src.
  const headers = { 'Content-Security-Policy': `default-src 'self'; connect-src 'self' ${worker.origin}` };
  const html = built.get('/index.html') ?? '';
  pages['/'] = () => ({ html, headers });
  pages['/cy'] = () => ({
    html: html.replace('lang="en"', 'lang="cy"').replace('data-lang="en"', 'data-lang="cy"'),
    headers,
  });
  // No icon, and no 404 for the browser's asking.
  pages['/favicon.ico'] = () => ({ html: '', headers: { 'Content-Type': 'image/x-icon' } });
  for (const [path, code] of built) {
    if (path.endsWith('.js'))
      pages[path] = () => ({ html: code, headers: { 'Content-Type': 'text/javascript' } });
  }
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await hostSite?.stop();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** A fresh browser context on one of the site's pages: the scripts it fetched, and any errors. */
async function openPage(path: string) {
  const page = await browser.newPage();
  const scripts: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} ${message.location().url}`);
  });
  await page.goto(`${hostSite.origin}${path}`);
  await page.locator('[data-tellus] form').waitFor();
  return { page, scripts, errors };
}

/** The site's built scripts that hold `text`. */
const scriptsWith = (text: string) =>
  [...built].filter(([path, code]) => path.endsWith('.js') && code.includes(text)).map(([path]) => path);

describe('the tarball', () => {
  it('holds package.json, README.md, the module and its chunks, and the type declarations', () => {
    const paths = packed.files.map((file) => file.path).sort();
    for (const path of paths) {
      expect(path).toMatch(/^(package\.json|README\.md|index\.js|chunks\/[\w-]+\.js|types\/[\w/]+\.d\.ts)$/);
    }
    expect(paths).toEqual(
      expect.arrayContaining([
        'README.md',
        'index.js',
        'package.json',
        'types/shared/limits.d.ts',
        'types/widget/index.d.ts',
        'types/widget/messages.d.ts',
        'types/widget/options.d.ts',
      ]),
    );
    // Each part a chunk of its own.
    for (const name of PART_NAMES)
      expect(paths.some((path) => path.startsWith(`chunks/${name}-`))).toBe(true);
    expect(packed.filename).toMatch(/^tellus-widget-\d+\.\d+\.\d+\.tgz$/);
  });

  it('is an ES module package with types, no dependencies and no side effects', () => {
    const manifest = JSON.parse(readFileSync(join(site, 'node_modules/@tellus/widget/package.json'), 'utf8'));
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(manifest).toMatchObject({
      name: '@tellus/widget',
      version: root.version,
      type: 'module',
      sideEffects: false,
      license: 'MIT',
      types: './types/widget/index.d.ts',
      exports: { '.': { types: './types/widget/index.d.ts', import: './index.js' } },
    });
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
  });

  it("types mount's options and message keys for a consumer, under bundler and node16 resolution", async () => {
    writeFileSync(join(site, 'consumer.ts'), CONSUMER);
    writeFileSync(
      join(site, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'DOM'],
          types: [],
          strict: true,
          noEmit: true,
        },
        files: ['consumer.ts'],
      }),
    );
    // An unused @ts-expect-error is itself an error: a clean run means each mistake was caught.
    const tsc = (...args: string[]) =>
      run(process.execPath, [TSC, '-p', 'tsconfig.json', ...args], { cwd: site }).catch(
        (error: { stdout: string }) => {
          throw new Error(`tsc ${args.join(' ')}:\n${error.stdout}`);
        },
      );
    await tsc();
    await tsc('--module', 'nodenext', '--moduleResolution', 'nodenext');
  });
});

describe('a site that bundles the package', () => {
  it('renders the form in a shadow root, and a story sent from it is stored once in D1', async () => {
    const { page, scripts, errors } = await openPage('/');
    const shadow = await page.evaluate(() => {
      const host = document.querySelector('[data-tellus]');
      return {
        shadowForm: Boolean(host?.shadowRoot?.querySelector('form')),
        lightForm: Boolean(document.querySelector('form')),
        heading: host?.shadowRoot?.querySelector('h2')?.textContent,
        global: 'Tellus' in window,
      };
    });
    expect(shadow).toEqual({
      shadowForm: true,
      lightForm: false,
      heading: 'Tell us how it went',
      global: false,
    });
    // English needs no part: the site's one script.
    expect(scripts).toHaveLength(1);
    expect(built.has(scripts[0] ?? '')).toBe(true);

    const story = `Bundled by the council's own build, and the bin came back. ${unique()}`;
    await page.locator('[data-tellus] input[name=rating][value="4"]').check();
    await page.locator('[data-tellus] #story').fill(story);
    await page.locator('[data-tellus] button[type=submit]').click();
    await expect
      .poll(() => page.locator('[data-tellus] .panel h3').textContent())
      .toBe('Thank you for your feedback');

    const rows = await worker.query(
      `SELECT service_id, rating, story, page, locale FROM feedback WHERE story = '${story.replaceAll("'", "''")}'`,
    );
    expect(rows).toEqual([{ service_id: SERVICE, rating: 4, story, page: '/', locale: 'en' }]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('speaks Welsh from a chunk of its own, fetched only by the Welsh mount', async () => {
    const { page, scripts, errors } = await openPage('/cy');
    await expect
      .poll(() => page.locator('[data-tellus] h2').textContent())
      .toBe('Dywedwch wrthym sut aeth hi');
    expect(await page.locator('[data-tellus] button[type=submit]').textContent()).toBe('Anfon adborth');

    const welsh = scriptsWith('Dywedwch wrthym sut aeth hi');
    expect(welsh).toHaveLength(1);
    const [main, ...others] = scriptsWith(worker.origin);
    expect(others).toEqual([]);
    expect(welsh[0]).not.toBe(main);
    expect(scripts).toEqual([main, welsh[0]]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("builds into the site's bundle with nothing global: no Tellus.parts, no script-tag loader", () => {
    const scripts = [...built].filter(([path]) => path.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(1);
    for (const [, code] of scripts) {
      expect(code).not.toContain('Tellus');
      expect(code).not.toContain('currentScript');
      expect(code).not.toContain('sha384-');
    }
  });
});
