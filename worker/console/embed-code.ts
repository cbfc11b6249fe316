/**
 * The text a department pastes into its pages: the script tag for each mode, pinned to this
 * release by Subresource Integrity, and the Content-Security-Policy directives the page needs.
 * Pure strings in and out; the embed page reads the build's widget.json and shows them.
 */

/** The widget's modes, as `data-mode` names them. */
export const MODES = ['inline', 'tab', 'useful', 'stories'] as const;
export type WidgetMode = (typeof MODES)[number];

/** This release's versioned widget.js and its hash (widget.json's `src` and `integrity`). */
export interface PinnedWidget {
  src: string;
  integrity: string;
}

/** widget.json's pinned file, if it is one: a versioned path on our origin and a sha384 hash. */
export function readPinnedWidget(json: unknown): PinnedWidget | undefined {
  const { src, integrity } = (json ?? {}) as Partial<Record<keyof PinnedWidget, unknown>>;
  if (typeof src !== 'string' || !/^\/v1\/widget\.[0-9a-f]{12}\.js$/.test(src)) return undefined;
  if (typeof integrity !== 'string' || !/^sha384-[A-Za-z0-9+/]{64}$/.test(integrity)) return undefined;
  return { src, integrity };
}

/**
 * The script tag for `mode`, as docs/embed.md shows it: the versioned URL with its `integrity` and
 * `crossorigin="anonymous"` when the widget is built, else the plain, unpinned `widget.js`.
 * `data-mode` is left out for `inline`, the default.
 */
export function scriptTag(
  tellus: string,
  pinned: PinnedWidget | undefined,
  service: string,
  mode: WidgetMode,
) {
  const chosen = `data-service="${service}"${mode === 'inline' ? '' : ` data-mode="${mode}"`} async`;
  if (!pinned) return `<script src="${tellus}/v1/widget.js" ${chosen}></script>`;
  return [
    `<script src="${tellus}${pinned.src}"`,
    `        integrity="${pinned.integrity}" crossorigin="anonymous"`,
    `        ${chosen}></script>`,
  ].join('\n');
}

/**
 * The directives a host page's Content-Security-Policy needs for the widget (docs/embed.md, "Content
 * Security Policy"): Tellus in `script-src` and `connect-src`, and for a service with Turnstile on,
 * Turnstile's origin in `script-src` and `frame-src`. `'self'` stands for the page's own sources.
 */
export function hostCsp(tellus: string, turnstile?: string): string {
  const directives = [
    `script-src 'self' ${tellus}${turnstile ? ` ${turnstile}` : ''}`,
    `connect-src 'self' ${tellus}`,
    ...(turnstile ? [`frame-src ${turnstile}`] : []),
  ];
  return directives.join('; ');
}
