/**
 * Starts the outbox part for one widget: it sends kept stories now, again while the page is open,
 * and as the page goes. Offline, the part itself may not load: then it is loaded when the browser
 * is back online, and sends at once.
 */
import type { SendResult } from './api';
import { load } from './load';
import type { Parts } from './parts';
import type { TurnstileSettings } from './parts/turnstile';
import { inFlight } from './send';
import type { Kept } from './storage';

type Outbox = ReturnType<Parts['outbox']['startOutbox']>;
type Challenge = ReturnType<Parts['turnstile']['challenge']>;

export interface RetryOptions {
  endpoint: string;
  /** Where a challenge for another service's kept story runs (in the document). */
  challenges: Element;
  /** Hears of each kept story no longer kept: stored, or refused for good. */
  done(kept: Kept, result: SendResult): void;
  /** This page's own Turnstile challenge, for its service, if it has one. */
  challenge(): { sitekey?: string; challenge?: Promise<Challenge | undefined> };
}

export function retrier({ endpoint, challenges, done, challenge }: RetryOptions) {
  let outbox: Promise<Outbox | undefined> | undefined;
  /** One challenge per site key, run again for each story (a token passes once). */
  const others = new Map<string, Challenge | undefined>();
  let stopped = false;
  const stops: (() => void)[] = [];

  /** A fresh Turnstile token for a kept story: this page's challenge for its own service, else a new one. */
  async function freshToken(kept: Kept) {
    const own = challenge();
    if (kept.turnstile?.sitekey === own.sitekey && own.challenge) return (await own.challenge)?.token();
    const settings = kept.turnstile as TurnstileSettings;
    if (!others.has(settings.sitekey)) {
      const part = await load('turnstile').catch(() => undefined);
      // Without the part (offline), the story waits for the next try.
      if (!part) return undefined;
      const box = document.createElement('div');
      challenges.append(box);
      others.set(settings.sitekey, part.challenge(box, settings));
    }
    return others.get(settings.sitekey)?.token();
  }

  function start(): Promise<Outbox | undefined> {
    outbox ??= load('outbox').then(
      (part) => {
        if (stopped) return undefined;
        const started = part.startOutbox({
          endpoint,
          done,
          challenge: freshToken,
          busy: (kept) => inFlight.has(kept.submission.idempotency_key),
        });
        stops.push(started.stop);
        return started;
      },
      () => {
        outbox = undefined;
        const online = () => start().then((started) => started?.flush());
        addEventListener('online', online, { once: true });
        stops.push(() => removeEventListener('online', online));
        return undefined;
      },
    );
    return outbox;
  }

  return {
    start,
    stop() {
      stopped = true;
      for (const stop of stops) stop();
    },
  };
}
