// Builds the `stories` mode into its own file, dist/v1/stories.js, beside the widget (run after
// vite.config.ts, which empties dist/). widget.js loads it only for data-mode="stories".
import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config';

// The widget's own property mangling is for its names only: here `change` is an answer's field.
const { mangle, ...terserOptions } = base.build?.terserOptions ?? {};

export default mergeConfig(
  { ...base, plugins: [], build: { ...base.build, terserOptions } },
  defineConfig({
    publicDir: false,
    build: {
      emptyOutDir: false,
      lib: {
        entry: 'widget/stories.tsx',
        name: 'TellusStories',
        formats: ['iife'],
        fileName: () => 'v1/stories.js',
      },
    },
  }),
);
