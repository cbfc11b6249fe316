// Builds the ES module package, @tellus/widget, into dist/package/ (after vite.config.ts has built
// dist/): widget/index.ts as index.js, each part (widget/parts.ts) a chunk of its own that the site's
// bundler splits again; the type declarations of the public API (widget/tsconfig.package.json); and
// the package's package.json and README.md. `npm pack dist/package` makes the tarball.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vite';
import { JSX, TARGET, TERSER } from './vite.config.ts';

const OUT_DIR = 'dist/package';
const TYPES = 'types/widget/index.d.ts';
const root = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

/**
 * The declarations of widget/index.ts, as tsc emits them from widget/tsconfig.package.json, keeping
 * only the files its types reach (tsc writes one for every module the entry imports).
 */
function declarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile('widget/tsconfig.package.json', undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!config) throw new Error('widget/tsconfig.package.json: unreadable');
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const emitted = new Map<string, string>();
  const result = program.emit(undefined, (file, text) => emitted.set(resolve(file), text), undefined, true);
  // `tsc -p widget` type-checks the whole widget; here only what the emit itself finds.
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new Error(
      ts.formatDiagnostics(errors, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => process.cwd(),
        getNewLine: () => '\n',
      }),
    );
  }
  const outDir = resolve(OUT_DIR);
  const kept = new Map<string, string>();
  const visit = (file: string) => {
    const text = emitted.get(file);
    if (text === undefined) throw new Error(`no declarations for ${relative(outDir, file)}`);
    if (kept.has(file)) return;
    // Each relative import with `.js`, as a consumer's `moduleResolution: node16` needs.
    const specifiers: string[] = [];
    const rewritten = text.replace(
      /((?:from\s+|import\s*\(\s*)['"])(\.{1,2}\/[^'"]+?)(\.tsx?)?(['"])/g,
      (_, before: string, specifier: string, _ext, after: string) => {
        specifiers.push(specifier);
        return `${before}${specifier}.js${after}`;
      },
    );
    kept.set(file, rewritten);
    for (const specifier of specifiers) visit(join(dirname(file), `${specifier}.d.ts`));
  };
  visit(join(outDir, TYPES));
  return new Map([...kept].map(([file, text]) => [relative(outDir, file), text]));
}

/** The parts as dynamic imports (load-module.ts), where the script tag loads them as classic scripts. */
function loadModule(): Plugin {
  return {
    name: 'tellus-load-module',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!/^\.{1,2}\/load$/.test(source)) return undefined;
      return this.resolve(`${source}-module`, importer, { skipSelf: true });
    },
  };
}

/** Emits the declarations, package.json and README.md beside the code. */
function packageFiles(): Plugin {
  return {
    name: 'tellus-package-files',
    generateBundle() {
      for (const [fileName, source] of declarations()) this.emitFile({ type: 'asset', fileName, source });
      const manifest = {
        name: '@tellus/widget',
        version: root.version,
        description:
          'The Tellus feedback widget for public-service pages, as an ES module with types, for sites built with a bundler.',
        license: 'MIT',
        type: 'module',
        sideEffects: false,
        exports: {
          '.': { types: `./${TYPES}`, import: './index.js' },
          './package.json': './package.json',
        },
        module: './index.js',
        types: `./${TYPES}`,
        files: ['index.js', 'chunks', 'types'],
      };
      this.emitFile({
        type: 'asset',
        fileName: 'package.json',
        source: `${JSON.stringify(manifest, null, 2)}\n`,
      });
      this.emitFile({
        type: 'asset',
        fileName: 'README.md',
        source: readFileSync('widget/PACKAGE.md', 'utf8'),
      });
    },
  };
}

export default defineConfig({
  publicDir: false,
  oxc: JSX,
  plugins: [loadModule(), packageFiles()],
  build: {
    outDir: OUT_DIR,
    // Only dist/package/: the script tag's build, in the rest of dist/, is already there.
    emptyOutDir: true,
    target: TARGET,
    minify: 'terser',
    terserOptions: TERSER,
    sourcemap: false,
    reportCompressedSize: true,
    rolldownOptions: {
      output: { chunkFileNames: 'chunks/[name]-[hash].js', generatedCode: { symbols: false } },
    },
    lib: { entry: 'widget/index.ts', formats: ['es'], fileName: () => 'index.js' },
  },
});
