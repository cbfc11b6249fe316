/**
 * The client a request comes from, as the burst limits count it: an IPv4 address, or an IPv6
 * address's /64 (one household, phone or office is handed a whole /64 and can pick any address in
 * it, so counting addresses would give it unlimited buckets). Kept only as a keyed hash.
 */
import { keyedHash } from './keys';

/** The network to count `address` under: IPv4 as it is, IPv6 as its first four groups and `::/64`. */
export function clientNetwork(address: string | undefined): string {
  const text = (address ?? '').trim().toLowerCase();
  if (!text.includes(':')) return text || 'unknown';
  // An IPv4 address written as IPv6 (::ffff:192.0.2.1) is that IPv4 address.
  const mapped = /^(?:0*:)*:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped) return mapped[1] as string;
  const groups = expandIpv6(text.split('%')[0] as string);
  if (!groups) return text;
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, each without leading zeros; undefined if it is not one. */
function expandIpv6(text: string): string[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const split = (half: string | undefined) => (half ? half.split(':') : []);
  const head = split(halves[0]);
  const tail = split(halves[1]);
  // A trailing dotted IPv4 part stands for the last two groups.
  const last = tail.length ? tail : head;
  const dotted = last.at(-1)?.includes('.') ? last.pop() : undefined;
  if (dotted) {
    const bytes = dotted.split('.').map(Number);
    if (bytes.length !== 4 || bytes.some((b) => !(b >= 0 && b <= 255))) return undefined;
    last.push(((bytes[0] as number) * 256 + (bytes[1] as number)).toString(16));
    last.push(((bytes[2] as number) * 256 + (bytes[3] as number)).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => group.replace(/^0+(?=.)/, ''));
}

/** The keyed hash a client is counted by; the address itself is never stored. */
export function clientKey(secret: string, address: string | undefined): Promise<string> {
  return keyedHash(secret, `client:${clientNetwork(address)}`);
}
