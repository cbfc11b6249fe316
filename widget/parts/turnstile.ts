/**
 * Cloudflare Turnstile's invisible challenge, for a service that turns it on. A Turnstile token
 * passes siteverify once: every story sent gets a token of its own, a story kept for later
 * included, so none is ever sent with a token already spent.
 */

/** The service's site key, and where Turnstile's script is (the worker says; the widget need not know). */
export interface TurnstileSettings {
  sitekey: string;
  script: string;
}

/** The part of Turnstile's browser API the widget uses. */
interface Turnstile {
  render(
    container: Element,
    options: { sitekey: string; callback: (token: string) => void; 'error-callback'?: () => void },
  ): string | undefined;
  reset(widget?: string): void;
}

/** How long a challenge may take before the story waits for another try. */
const CHALLENGE_TIMEOUT_MS = 30_000;

let script: Promise<Turnstile> | undefined;

function turnstile(src: string): Promise<Turnstile> {
  script ??= new Promise((resolve, reject) => {
    const tag = document.createElement('script');
    tag.src = src;
    tag.onload = () => resolve((window as unknown as { turnstile: Turnstile }).turnstile);
    tag.onerror = reject;
    document.head.append(tag);
  });
  return script;
}

/**
 * Runs the challenge in `container` and keeps it there. `token()` gives an unspent token: the
 * first the challenge made if nothing has used it, else a new one from running it again.
 */
export function challenge(container: Element, settings: TurnstileSettings) {
  let widget: string | undefined;
  let fresh: string | undefined;
  /** A challenge is under way (rendering starts one). */
  let running = true;
  let waiting: ((token: string | undefined) => void)[] = [];
  const passed = (token: string | undefined) => {
    running = false;
    fresh = token;
    for (const wake of waiting) wake(token);
    waiting = [];
  };
  const ready = turnstile(settings.script).then((api) => {
    widget = api.render(container, {
      sitekey: settings.sitekey,
      callback: passed,
      'error-callback': () => passed(undefined),
    });
    return api;
  });
  return {
    /** A token no story has used, or undefined when the challenge could not be passed in time. */
    async token(): Promise<string | undefined> {
      if (fresh) {
        const token = fresh;
        fresh = undefined;
        return token;
      }
      const api = await ready.catch(() => undefined);
      if (!api) return undefined;
      const next = new Promise<string | undefined>((wake) => {
        waiting.push(wake);
        setTimeout(() => wake(undefined), CHALLENGE_TIMEOUT_MS);
      });
      // The challenge's last token went with an earlier story: run it again.
      if (!running) {
        running = true;
        api.reset(widget);
      }
      const token = await next;
      fresh = undefined;
      return token;
    },
  };
}
