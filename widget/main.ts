/** The script a page embeds: mounts itself from its data-* attributes and exposes Tellus.mount. */
import type { Locale } from '../shared';
import { type MountOptions, mount } from './mount';

export type { MountOptions };
export { mount };

function mountFromScript(script: HTMLScriptElement) {
  const { service, target, lang, endpoint, mode, preview } = script.dataset;
  if (!service) return;
  const place = () => {
    let host = target ? document.querySelector(target) : null;
    if (!host) {
      host = document.createElement('div');
      // A script in <head> cannot show anything after itself: use the end of the page instead.
      if (script.closest('head')) document.body.append(host);
      else script.after(host);
    }
    mount(host, {
      service,
      endpoint,
      lang: lang as Locale | undefined,
      mode: mode as MountOptions['mode'],
      preview,
    });
  };
  // An async script can run before the page is parsed: its target, or its <body>, may not exist yet.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', place);
  else place();
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement) mountFromScript(script);
