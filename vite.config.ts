// Builds the widget for the script tag: the first paint, dist/v1/widget.js (an IIFE), and each of
// its parts (widget/parts.ts) as dist/v1/<part>.<hash>.js, pinned by sha384 in a manifest built into
// widget.js; a versioned immutable copy of widget.js (widget.<hash>.js) and widget.json naming every
// file with its Subresource Integrity hash. Copies the demo into dist/, and compiles the console's
// stylesheet (GOV.UK Frontend) into dist/console/assets/.
import { createHash } from 'node:crypto';
import { compile } from 'sass';
import { build, defineConfig, type Plugin, type UserConfig } from 'vite';
import { PART_NAMES } from './widget/part-names';

export const JSX: UserConfig['oxc'] = { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } };
export const TARGET = 'es2022';

/** Minified for a browser: every byte is downloaded by every visitor of every host page. */
export const TERSER: NonNullable<UserConfig['build']>['terserOptions'] = {
  ecma: 2020,
  toplevel: true,
  compress: { passes: 3, unsafe: true, unsafe_arrows: true, unsafe_methods: true, pure_getters: true },
  format: { comments: false },
};

interface BuiltFile {
  file: string;
  code: string;
  integrity: string;
}

const hashOf = (code: string) => createHash('sha256').update(code).digest('hex').slice(0, 12);
const integrityOf = (code: string) => `sha384-${createHash('sha384').update(code).digest('base64')}`;

/** Builds one part as a classic script that registers itself as `Tellus.parts.<name>`. */
async function buildPart(name: string): Promise<BuiltFile> {
  const entry = ['dialog', 'preview', 'receipts', 'stories'].includes(name) ? `${name}.tsx` : `${name}.ts`;
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    oxc: JSX,
    build: {
      write: false,
      target: TARGET,
      minify: 'terser',
      terserOptions: TERSER,
      lib: { entry: `widget/parts/${entry}`, name: `Tellus.parts.${name}`, formats: ['iife'] },
      rolldownOptions: { output: { extend: true, generatedCode: { symbols: false } } },
    },
  });
  const [result] = Array.isArray(output) ? output : [output];
  const chunk = (result as { output: { type: string; code?: string }[] }).output.find(
    (o) => o.type === 'chunk',
  );
  const code = chunk?.code as string;
  return { file: `${name}.${hashOf(code)}.js`, code, integrity: integrityOf(code) };
}

/**
 * Builds the parts before the first paint, gives widget.js their manifest (`tellus:parts`), and
 * publishes them with widget.<hash>.js and widget.json ({ src, integrity, parts }).
 */
function widgetParts(): Plugin {
  const parts = new Map<string, BuiltFile>();
  return {
    name: 'tellus-widget-parts',
    async buildStart() {
      for (const name of PART_NAMES) parts.set(name, await buildPart(name));
    },
    resolveId: (id) => (id === 'tellus:parts' ? '\0tellus:parts' : undefined),
    load(id) {
      if (id !== '\0tellus:parts') return undefined;
      const manifest = Object.fromEntries(
        [...parts].map(([name, part]) => [name, [part.file, part.integrity]]),
      );
      return `export default ${JSON.stringify(manifest)};`;
    },
    generateBundle(_options, bundle) {
      const chunk = bundle['v1/widget.js'];
      if (chunk?.type !== 'chunk') return;
      for (const part of parts.values()) {
        this.emitFile({ type: 'asset', fileName: `v1/${part.file}`, source: part.code });
      }
      const src = `/v1/widget.${hashOf(chunk.code)}.js`;
      const integrity = integrityOf(chunk.code);
      this.emitFile({ type: 'asset', fileName: src.slice(1), source: chunk.code });
      const listed = Object.fromEntries(
        [...parts].map(([name, part]) => [name, { src: `/v1/${part.file}`, integrity: part.integrity }]),
      );
      this.emitFile({
        type: 'asset',
        fileName: 'v1/widget.json',
        source: `${JSON.stringify({ src, integrity, parts: listed }, null, 2)}\n`,
      });
      this.info(`versioned widget: ${src} integrity="${integrity}", ${parts.size} parts`);
    },
  };
}

/**
 * The console's stylesheet as console.<hash>.css, cached for a year (dist/_headers), and
 * manifest.json naming it for the worker.
 */
function consoleStyles(): Plugin {
  return {
    name: 'tellus-console-styles',
    generateBundle() {
      const { css } = compile('worker/console/console.scss', {
        loadPaths: ['node_modules'],
        style: 'compressed',
        quietDeps: true,
      });
      const hash = hashOf(css);
      const href = `/console/assets/console.${hash}.css`;
      this.emitFile({ type: 'asset', fileName: href.slice(1), source: css });
      this.emitFile({
        type: 'asset',
        fileName: 'console/assets/manifest.json',
        source: `${JSON.stringify({ css: href })}\n`,
      });
    },
  };
}

export default defineConfig({
  publicDir: 'demo/public',
  oxc: JSX,
  plugins: [widgetParts(), consoleStyles()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: TARGET,
    minify: 'terser',
    terserOptions: TERSER,
    sourcemap: false,
    reportCompressedSize: true,
    rolldownOptions: { output: { generatedCode: { symbols: false } } },
    lib: {
      entry: 'widget/main.ts',
      name: 'Tellus',
      formats: ['iife'],
      fileName: () => 'v1/widget.js',
    },
  },
});
