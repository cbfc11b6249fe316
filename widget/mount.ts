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
  /** The CSP nonce, used only where the browser lacks constructable stylesheets. */
  nonce?: string;
}

let sheet: CSSStyleSheet | undefined;
/** How to stop the widget running in each shadow root, so that mounting again replaces it. */
const running = new WeakMap<ShadowRoot, () => void>();

// Read while the script runs: afterwards `document.currentScript` is gone.
const script = document.currentScript as HTMLScriptElement | null;
const scriptOrigin = script?.src ? new URL(script.src, location.href).origin : location.origin;

function applyStyles(root: ShadowRoot, nonce?: string) {
  try {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Browsers without constructable stylesheets get a <style>, with the nonce the page's CSP wants.
    const style = document.createElement('style');
    if (nonce) style.nonce = nonce;
    style.textContent = css;
    root.append(style);
  }
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
  // After the first render, which would otherwise take a fallback <style> for its own to replace.
  applyStyles(root, options.nonce);
  // Stories an earlier page could not send go now, off the critical path.
  setTimeout(() => flush(endpoint), 0);
}
