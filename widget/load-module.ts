/**
 * Loads a part for the ES module package: the same modules as the script tag's parts, as dynamic
 * imports, so the site's bundler splits them the same way.
 */
import type { PartName, Parts } from './parts';

export const scriptUrl = import.meta.url;

const modules: { [N in PartName]: () => Promise<Parts[N]> } = {
  cy: () => import('./parts/cy'),
  dialog: () => import('./parts/dialog'),
  preview: () => import('./parts/preview'),
  outbox: () => import('./parts/outbox'),
  turnstile: () => import('./parts/turnstile'),
  receipts: () => import('./parts/receipts'),
  stories: () => import('./parts/stories'),
};

const loading: { [N in PartName]?: Promise<Parts[N]> } = {};

export function load<N extends PartName>(name: N): Promise<Parts[N]> {
  loading[name] ??= modules[name]().catch((error: unknown) => {
    // No network: asked again later, it may load then.
    delete loading[name];
    throw error;
  }) as never;
  return loading[name] as Promise<Parts[N]>;
}
