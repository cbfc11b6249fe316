/**
 * The widget's parts: what only some pages or some citizens need, each a file of its own that the
 * first paint (widget.js) loads once, at the moment it is needed. Which part holds what, and why,
 * is measured in docs/PERFORMANCE.md.
 *
 * The script tag's build loads a part as a classic script, pinned by its sha384 (load.ts); the ES
 * module package imports the same modules (load-module.ts). A part that fails to load rejects, and
 * every caller carries on without it: the form still works.
 */
export interface Parts {
  /** The words in Welsh. */
  cy: typeof import('./parts/cy');
  /** `tab` mode's dialog, and the tab stepping aside from focused content. */
  dialog: typeof import('./parts/dialog');
  /** The personal-details check before sending. */
  preview: typeof import('./parts/preview');
  /** Stories kept in the browser until the worker has them. */
  outbox: typeof import('./parts/outbox');
  /** Cloudflare Turnstile's invisible challenge, for a service that turns it on. */
  turnstile: typeof import('./parts/turnstile');
  /** The returning citizen: the team's answers to their earlier stories. */
  receipts: typeof import('./parts/receipts');
  /** The `stories` mode: a service's published stories and answers. */
  stories: typeof import('./parts/stories');
}

export type PartName = keyof Parts;

/** Every part, in the order the build makes them. */
export const PART_NAMES: PartName[] = [
  'cy',
  'dialog',
  'preview',
  'outbox',
  'turnstile',
  'receipts',
  'stories',
];
