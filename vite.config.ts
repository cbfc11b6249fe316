// Builds the widget into one self-contained IIFE, dist/v1/widget.js, with a versioned immutable
// copy (dist/v1/widget.<hash>.js) and its Subresource Integrity hash; copies the demo into dist/;
// compiles the console's stylesheet (GOV.UK Frontend) into dist/console/assets/.
import { createHash } from 'node:crypto';
import { compile } from 'sass';
import { defineConfig, type Plugin } from 'vite';

const WIDGET_INTERNALS = /^(announced|aside|change|created|failure|preview|rate|sent|show|submit|trap)$/;

/** Publishes widget.<hash>.js and widget.json ({ src, integrity }) beside widget.js. */
function versionedWidget(): Plugin {
  return {
    name: 'tellus-versioned-widget',
    generateBundle(_options, bundle) {
      const chunk = bundle['v1/widget.js'];
      if (chunk?.type !== 'chunk') return;
      const hash = createHash('sha256').update(chunk.code).digest('hex').slice(0, 12);
      const integrity = `sha384-${createHash('sha384').update(chunk.code).digest('base64')}`;
      const src = `/v1/widget.${hash}.js`;
      this.emitFile({ type: 'asset', fileName: `v1/widget.${hash}.js`, source: chunk.code });
      this.emitFile({
        type: 'asset',
        fileName: 'v1/widget.json',
        source: `${JSON.stringify({ src, integrity }, null, 2)}\n`,
      });
      this.info(`versioned widget: ${src} integrity="${integrity}"`);
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
      const hash = createHash('sha256').update(css).digest('hex').slice(0, 12);
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
  oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } },
  plugins: [versionedWidget(), consoleStyles()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: 'terser',
    terserOptions: {
      ecma: 2020,
      toplevel: true,
      compress: { passes: 3, unsafe: true, unsafe_arrows: true, unsafe_methods: true, pure_getters: true },
      // The widget's own state and method names, which nothing outside it reads. Never list a DOM
      // or Preact name, a field sent to the worker or kept in localStorage, or a message key
      // (hosts override messages by name): the browser tests would catch it, the budget would not.
      mangle: { properties: { regex: WIDGET_INTERNALS } },
      format: { comments: false },
    },
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
