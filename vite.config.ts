// Builds the widget into one self-contained IIFE, dist/v1/widget.js, and copies the demo page into dist/.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: 'demo/public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: 'terser',
    terserOptions: {
      ecma: 2020,
      toplevel: true,
      compress: { passes: 3, unsafe_arrows: true, unsafe_methods: true },
      format: { comments: false },
    },
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: 'widget/main.tsx',
      name: 'Tellus',
      formats: ['iife'],
      fileName: () => 'v1/widget.js',
    },
  },
});
