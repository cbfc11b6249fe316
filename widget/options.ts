/**
 * What a page passes to `mount`: the public types of the script tag's `Tellus.mount` and of the ES
 * module package (index.ts). Kept apart from the code, so the package's type declarations hold
 * these and nothing of the widget's insides.
 */
import type { Locale } from '../shared/limits';
import type { Wording } from './messages';

/** `inline`: the form in the page; `tab`: a tab that opens it in a dialog; `useful`: Yes / No first. */
export type Mode = 'inline' | 'tab' | 'useful';

export interface MountOptions {
  /** The service's id, as the operator registered it. */
  service: string;
  /** The API origin; defaults to the origin the widget's script was loaded from. */
  endpoint?: string;
  /** `en` or `cy`; defaults to the page's language. */
  lang?: Locale;
  /** `inline` (the default), `tab`, `useful` or `stories`. */
  mode?: Mode | 'stories';
  /** Words to use instead of the bundled ones, per language: `{ cy: { heading: '…' } }`. */
  messages?: Wording;
  /** Set only by the console's preview page: its stories are tests, never delivered. */
  preview?: string;
}
