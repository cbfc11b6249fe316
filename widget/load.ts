/**
 * Loads a part for the script tag's build: a classic script beside widget.js, named by its content
 * hash and pinned with Subresource Integrity from the manifest the build writes into widget.js. So a
 * page that pins widget.<hash>.js pins every part. A part script registers itself on
 * `Tellus.parts` (the build's IIFE wrapper does it).
 */
import manifest from 'tellus:parts';
import type { PartName, Parts } from './parts';

// Read while widget.js runs: afterwards `document.currentScript` is gone.
const script = document.currentScript as HTMLScriptElement | null;
/** Where widget.js came from, and so where its parts are. */
export const scriptUrl = script?.src || location.href;

/** How long a caller waits for a part before going on without it (a stalled connection). */
const PART_TIMEOUT_MS = 5000;

const loading: { [N in PartName]?: Promise<Parts[N]> } = {};

export function load<N extends PartName>(name: N): Promise<Parts[N]> {
  loading[name] ??= new Promise<Parts[N]>((resolve, reject) => {
    const [file, integrity] = manifest[name];
    const part = document.createElement('script');
    // A tampered part (its hash no longer matches), no network, or no answer in time: the caller
    // goes on without it, and may ask again later.
    const fail = () => {
      clearTimeout(timer);
      delete loading[name];
      part.remove();
      reject();
    };
    const timer = setTimeout(fail, PART_TIMEOUT_MS);
    part.src = new URL(file, scriptUrl).href;
    part.integrity = integrity;
    part.crossOrigin = 'anonymous';
    part.onload = () => {
      const loaded = (window as unknown as { Tellus?: { parts?: Parts } }).Tellus?.parts?.[name];
      if (!loaded) return fail();
      clearTimeout(timer);
      resolve(loaded as Parts[N]);
    };
    part.onerror = fail;
    document.head.append(part);
  }) as never;
  return loading[name] as Promise<Parts[N]>;
}
