/** The script a page embeds: mounts itself from its data-* attributes and exposes Tellus.mount. */
import type { Locale } from '../shared';
import { type MountOptions, mount } from './mount';

export type { MountOptions };
export { mount };

function mountFromScript(script: HTMLScriptElement) {
  const { service, target, lang, endpoint, nonce } = script.dataset;
  if (!service) return;
  const options: MountOptions = {
    service,
    endpoint: endpoint ?? new URL(script.src, location.href).origin,
    lang: lang as Locale | undefined,
    nonce: nonce ?? script.nonce,
  };
  const place = () => {
    let host = target ? document.querySelector(target) : null;
    if (!host) {
      host = document.createElement('div');
      script.after(host);
    }
    host.setAttribute('data-tellus', service);
    mount(host, options);
  };
  // An async script can run before the page has parsed the target element.
  if (target && !document.querySelector(target) && document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', place, { once: true });
  } else {
    place();
  }
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement) mountFromScript(script);
