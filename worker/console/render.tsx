/** Sends a console page: the doctype, and its stylesheet's versioned URL for the page frame. */
import type { Context } from 'hono';
import { createContext } from 'hono/jsx';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { AppEnv } from '../env';

/** The stylesheet's versioned URL, which every page's frame links to (set by `render`). */
export const Stylesheet = createContext('/console/assets/manifest-missing.css');

/** Where the build put the stylesheet; read once per isolate from the assets' manifest. */
let stylesheet: string | undefined;

async function stylesheetHref(env: Env): Promise<string> {
  if (stylesheet) return stylesheet;
  try {
    const res = await env.ASSETS.fetch('https://assets.local/console/assets/manifest.json');
    stylesheet = ((await res.json()) as { css: string }).css;
    return stylesheet;
  } catch (err) {
    // Not built: the pages still work, unstyled, and the log says why.
    console.error('No console stylesheet in the assets: run npm run build', err);
    return '/console/assets/manifest-missing.css';
  }
}

export async function render<E extends AppEnv>(
  c: Context<E>,
  page: JSX.Element,
  status: 200 | 400 | 403 | 404 | 409 | 410 | 422 | 429 = 200,
) {
  const css = await stylesheetHref(c.env);
  const html = await (<Stylesheet.Provider value={css}>{page}</Stylesheet.Provider>).toString();
  return c.html(`<!doctype html>${html}`, status);
}
