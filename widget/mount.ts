/** Mounts the widget into an element's open shadow root, isolated from the host page's CSS. */
import type { Locale } from '../shared';
import { startWidget } from './controller';
import type { Mode } from './FeedbackView';
import type { Wording } from './messages';
import { flush } from './outbox';
import { css } from './styles';

export interface MountOptions {
  /** The service's id, as the operator registered it. */
  service: string;
  /** The API origin; defaults to the origin the widget's script was loaded from. */
  endpoint?: string;
  /** `en` or `cy`; defaults to the page's language. */
  lang?: Locale;
  /** `inline` (the default), `tab` or `useful`. */
  mode?: Mode;
  /** Words to use instead of the bundled ones, per language: `{ cy: { heading: '…' } }`. */
  messages?: Wording;
}

let sheet: CSSStyleSheet | undefined;
/** How to stop the widget running in each shadow root, so that mounting again replaces it. */
const running = new WeakMap<ShadowRoot, () => void>();

// Read while the script runs: afterwards `document.currentScript` is gone.
const script = document.currentScript as HTMLScriptElement | null;
const scriptOrigin = script?.src ? new URL(script.src, location.href).origin : location.origin;

/**
 * Adopts the widget's stylesheet. A browser without constructable stylesheets (Safari before 16.4)
 * shows the widget unstyled but whole: its own markup, labels and controls still work.
 */
function applyStyles(root: ShadowRoot) {
  try {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    root.adoptedStyleSheets = [sheet];
  } catch {}
}

/** The page's language, if it is one the widget speaks. */
export function pageLocale(): Locale {
  return /^cy/i.test(document.documentElement.lang) ? 'cy' : 'en';
}

/** Renders the feedback form into `element`'s shadow root (created if it has none). */
export function mount(element: Element, options: MountOptions): void {
  // Any other mode shows the form inline; the attribute lets the stylesheet tell tab mode apart.
  const mode = options.mode ?? 'inline';
  element.setAttribute('data-tellus', mode);
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  const lang = options.lang === 'cy' || options.lang === 'en' ? options.lang : pageLocale();
  const endpoint = (options.endpoint ?? scriptOrigin).replace(/\/+$/, '');
  running.get(root)?.();
  running.set(
    root,
    startWidget(root, { service: options.service, endpoint, lang, mode, messages: options.messages }),
  );
  applyStyles(root);
  // Stories an earlier page could not send go now, off the critical path.
  setTimeout(() => flush(endpoint), 0);
}
