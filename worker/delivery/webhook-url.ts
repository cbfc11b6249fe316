/** Which webhook URLs Tellus will post stories to. */
import { SUBSCRIPTION_KIND_NAMES, type SubscriptionKind } from '../../shared';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);
const PRIVATE_SUFFIXES = ['.localhost', '.local', '.internal', '.lan', '.home.arpa'];
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Why a webhook URL is not acceptable, or undefined when it is: https only, no credentials, no IP
 * literals, no loopback or private names. `allowLocal` (local development and tests only) also
 * admits http and https to localhost and 127.0.0.1. A public name that resolves to a private
 * address cannot be caught here (Workers cannot resolve names); deployed on Cloudflare, the
 * platform itself refuses to connect to private and loopback addresses.
 */
export function webhookUrlProblem(raw: string, { allowLocal = false } = {}): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  // "localhost." and "printer.local." are the same hosts as without the final dot.
  const host = url.hostname.toLowerCase().replace(/\.+$/, '');
  if (url.username || url.password) return 'must not contain credentials';
  if (allowLocal && LOCAL_HOSTS.has(host) && (url.protocol === 'http:' || url.protocol === 'https:')) {
    return undefined;
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (IPV4.test(host) || host.startsWith('[')) return 'must use a host name, not an IP address';
  if (
    host === 'localhost' ||
    !host.includes('.') ||
    PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))
  ) {
    return 'must be a public host name';
  }
  return undefined;
}

/**
 * Why a new subscription's URL is not acceptable, as a sentence ("The Slack URL must use https"; the
 * console says "address"), or undefined when it is. An email subscription has no URL: undefined.
 */
export function subscriptionUrlProblem(
  kind: SubscriptionKind,
  target: string,
  { allowLocal = false, noun = 'URL' } = {},
): string | undefined {
  if (kind === 'email') return undefined;
  const problem = webhookUrlProblem(target, { allowLocal });
  return (
    problem && `The ${kind === 'webhook' ? 'webhook' : SUBSCRIPTION_KIND_NAMES[kind]} ${noun} ${problem}`
  );
}
