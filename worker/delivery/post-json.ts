/** One POST of a JSON body to a subscription's URL: only a 2xx answer counts, redirects are never followed. */
import { webhookUrlProblem } from './webhook-url';

/** How long a receiver has to answer. */
export const WEBHOOK_TIMEOUT_MS = 15_000;

export interface SendResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

interface Post {
  /** The URL: a webhook's, or a Teams or Slack channel's (a secret: only its host is ever logged). */
  target: string;
  /** What the error calls the URL: `webhook`, `Microsoft Teams`, `Slack`. */
  name: string;
  body: string;
  headers?: Record<string, string>;
  allowLocal: boolean;
  timeoutMs?: number;
}

/** Posts `body` as JSON, if the URL is one Tellus posts to; the error words never hold the URL. */
export async function postJson({
  target,
  name,
  body,
  headers = {},
  allowLocal,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
}: Post): Promise<SendResult> {
  const urlProblem = webhookUrlProblem(target, { allowLocal });
  if (urlProblem) return { ok: false, status: null, error: `The ${name} URL ${urlProblem}` };
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', 'User-Agent': 'Tellus-Webhooks/1' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    const error = ok
      ? null
      : res.status >= 300 && res.status < 400
        ? `Redirected (${res.status}); redirects are not followed`
        : `HTTP ${res.status}`;
    return { ok, status: res.status, error };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    if (timedOut) return { ok: false, status: null, error: `No answer within ${timeoutMs / 1000} s` };
    // Fixed words for whoever reads the attempt: the runtime's own text can tell how a network
    // answered (refused, reset, no such name), which would make subscriptions a port scanner.
    // The host only: a webhook's path or query can hold its own secret (Slack's and Teams' do).
    console.warn(`No HTTP answer from a ${name} URL`, new URL(target).host, String(err));
    return { ok: false, status: null, error: 'No HTTP answer: the connection failed' };
  }
}
