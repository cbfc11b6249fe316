/** Mounts the widget into an element's open shadow root, isolated from the host page's CSS. */
import type { Locale } from '../shared';
import { startWidget } from './controller';
import { adopt } from './dom';
import { load, scriptUrl } from './load';
import type { MountOptions } from './options';
import { css } from './styles';

export type { MountOptions };

/** How to stop the widget running in each shadow root, so that mounting again replaces it. */
const running = new WeakMap<ShadowRoot, () => void>();

/** The page's language, if it is one the widget speaks. */
export function pageLocale(): Locale {
  return /^cy/i.test(document.documentElement.lang) ? 'cy' : 'en';
}

/** The `stories` mode: its part renders the service's published stories. */
function startStories(root: ShadowRoot, service: string, endpoint: string, lang: Locale) {
  let stopped = false;
  load('stories').then(
    (part) => {
      if (stopped) return;
      root.adoptedStyleSheets = [];
      adopt(root, css, part.css);
      (root.host as Element).setAttribute('data-tellus', 'stories');
      part.start(root, service, endpoint, lang);
    },
    () => {},
  );
  return () => {
    stopped = true;
  };
}

/** Renders the feedback form into `element`'s shadow root (created if it has none). */
export function mount(element: Element, options: MountOptions): void {
  const mode = options.mode ?? 'inline';
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  const lang = options.lang === 'cy' || options.lang === 'en' ? options.lang : pageLocale();
  const endpoint = (options.endpoint ?? new URL(scriptUrl, location.href).origin).replace(/\/+$/, '');
  running.get(root)?.();
  running.set(
    root,
    mode === 'stories'
      ? startStories(root, options.service, endpoint, lang)
      : startWidget(root, { ...options, endpoint, lang, mode }),
  );
}
