/**
 * The ES module package, `@tellus/widget`, for sites built with a bundler: the same widget as the
 * script tag's (main.ts), with nothing global and no mounting of its own. Its parts (parts.ts) are
 * dynamic imports (load-module.ts), so they become chunks of the site's own bundle.
 */
import { mount as mountWidget } from './mount';
import type { MountOptions as ScriptTagOptions } from './options';

export type { Locale } from '../shared/limits';
export type { Messages, Wording } from './messages';
export type { Mode } from './options';

export interface MountOptions extends ScriptTagOptions {
  /**
   * The Tellus API's origin, e.g. `https://feedback.example.gov.uk`. Required: a bundled widget
   * has no script URL of its own to default to.
   */
  endpoint: string;
}

/** Renders the feedback form into `element`'s open shadow root; mounting again replaces it. */
export const mount: (element: Element, options: MountOptions) => void = mountWidget;
