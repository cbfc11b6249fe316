/** A service's site origins as people type them: checked, and written the way browsers send them. */
import { MAX_ORIGINS_PER_SERVICE } from './limits';

/** What of WHATWG's URL this needs (every runtime Tellus runs on has it; `shared/` has no DOM types). */
interface ParsedUrl {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly port: string;
  readonly origin: string;
  readonly pathname: string;
  readonly href: string;
}

/** The URL parser's reading of `text`, or undefined when it is not a URL. */
function parseUrl(text: string): ParsedUrl | undefined {
  const { URL } = globalThis as unknown as { URL: new (text: string) => ParsedUrl };
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Hosts that may use plain http://: a developer's own machine. */
const LOCAL_HOSTS = ['localhost', '127.0.0.1'];
/** A host as it may be registered: dotted names of letters, digits and inner hyphens, or an IPv6 address. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

const PORT_NUMBER =
  '(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';
const LABEL = '(?!xn--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
/** A host name whose last label starts with a letter (so it is never read as a number), or an IPv4 address. */
const HOST_PATTERN = `(?:(?:${LABEL}\\.)*(?!xn--)[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?|(?:${OCTET}\\.){3}${OCTET})`;

/**
 * The origins `readOrigin` takes as they are, for the API document: https:// and a lowercase host,
 * a port only when not the default; http:// only for localhost and 127.0.0.1. Punycode labels
 * (`xn--`) are left out, since which of them are valid is the URL parser's to say.
 */
export const ORIGIN_PATTERN =
  `^(?:https://${HOST_PATTERN}(?::(?!443$)${PORT_NUMBER})?` +
  `|http://(?:localhost|127\\.0\\.0\\.1)(?::(?!80$)${PORT_NUMBER})?)$`;

/** The https addresses `isHttpsUrl` takes, for the API document (a narrower host, as above). */
export const HTTPS_URL_PATTERN = `^https://${HOST_PATTERN}(?::${PORT_NUMBER})?(?:[/?#]\\S*)?$`;

/** The part of `text` after `scheme://` and before the path: where a user name would be. */
const authorityOf = (text: string, scheme: string) => text.slice(scheme.length + 3).split(/[/?#\\]/)[0] ?? '';

/** True for an absolute https:// address with a host and no user name or password in it. */
export function isHttpsUrl(text: string): boolean {
  // A backslash reads as a slash to the parser, so the host it finds need not be the one shown.
  const url = /^https:\/\//i.test(text) && !/[\s\\]/.test(text) ? parseUrl(text) : undefined;
  return url?.protocol === 'https:' && HOST.test(url.hostname) && !authorityOf(text, 'https').includes('@');
}

/** An origin read from what a person typed: as stored, or why it cannot be one. */
export type OriginReading = { origin: string; problem?: undefined } | { origin?: undefined; problem: string };

const EXAMPLE = 'https://www.example.gov.uk';
const quoted = (text: string) => `“${text.length > 80 ? `${text.slice(0, 80)}…` : text}”`;

/**
 * Reads one origin: `https://` (plain `http://` only for localhost and 127.0.0.1, any port), a
 * host and a port, nothing else; a single trailing `/` is dropped. The host is lowercased and an
 * internationalised one written in punycode, and a default port is dropped, so the result is the
 * origin a browser sends. Each problem is a sentence for a person.
 */
export function readOrigin(typed: string): OriginReading {
  const text = typed.trim();
  const said = quoted(text);
  if (!text) return { problem: `Enter a site’s address, like ${EXAMPLE}` };
  if (/\s/.test(text)) return { problem: `${said} has a space in it: enter one address, like ${EXAMPLE}` };
  if (text.includes('*')) {
    return { problem: `${said} has a wildcard (*): enter each site’s address in full, like ${EXAMPLE}` };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (!scheme) return { problem: `${said} needs https:// at the start, like ${EXAMPLE}` };
  if (scheme !== 'https' && scheme !== 'http') return { problem: `${said} must start with https://` };
  const url = parseUrl(text);
  if (!url) return { problem: `${said} is not a web address: enter one like ${EXAMPLE}` };
  const host = url.hostname;
  if (scheme === 'http' && !LOCAL_HOSTS.includes(host)) {
    return { problem: `${said} starts with http://: use https://, since only localhost may use http://` };
  }
  // The authority itself, since `https://@host` parses to no user name at all.
  if (authorityOf(text, scheme).includes('@')) {
    return { problem: `${said} has a user name or password in it: enter only https:// and the site’s name` };
  }
  if (url.pathname !== '/') {
    return { problem: `${said} has a path: enter only the site, like ${url.origin}` };
  }
  if (url.href.includes('?'))
    return { problem: `${said} has a query (?): enter only the site, like ${url.origin}` };
  if (url.href.includes('#'))
    return { problem: `${said} has a fragment (#): enter only the site, like ${url.origin}` };
  if (!HOST.test(host)) {
    return {
      problem: `${said} has characters a site’s name cannot have: use letters, digits, hyphens and dots`,
    };
  }
  if (url.port === '0') return { problem: `${said} has port 0, which no site can use` };
  // `https://2130706433` and `https://1.2.3` parse to IPv4 addresses nobody typed.
  const typedHost = authorityOf(text, scheme).replace(/:\d*$/, '').toLowerCase();
  if (/^[\d.]+$/.test(host) && typedHost !== host) {
    return {
      problem: `${said} is an IP address written in short: write it as four numbers, like 192.0.2.10`,
    };
  }
  return { origin: url.origin };
}

/** Origins from a form's text, one a line, and the problems, each naming its line. */
export interface OriginLines {
  origins: string[];
  problems: string[];
}

/**
 * Reads origins one a line, as a person types them into a box; blank lines are skipped. An origin
 * the service has already (`registered`), or given twice, is a problem too.
 */
export function readOriginLines(text: string, registered: readonly string[] = []): OriginLines {
  const origins: string[] = [];
  const problems: string[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const reading = againstOthers(readOrigin(line), origins, registered);
    if (reading.origin !== undefined) origins.push(reading.origin);
    else problems.push(`Line ${index + 1}: ${reading.problem}`);
  });
  if (registered.length + origins.length > MAX_ORIGINS_PER_SERVICE) {
    const room = Math.max(MAX_ORIGINS_PER_SERVICE - registered.length, 0);
    problems.push(
      `A service may have at most ${MAX_ORIGINS_PER_SERVICE} sites: ${room ? `add at most ${room} more` : 'remove one before adding another'}`,
    );
  }
  return { origins, problems };
}

/** The reading, or a problem when its origin is one of `earlier` or `registered`. */
function againstOthers(
  reading: OriginReading,
  earlier: string[],
  registered: readonly string[],
): OriginReading {
  const { origin } = reading;
  if (origin === undefined) return reading;
  if (registered.includes(origin)) return { problem: `${origin} is already one of this service’s sites` };
  if (earlier.includes(origin)) return { problem: `${origin} is listed twice: enter each site once` };
  return reading;
}

/** True when no two of `origins` are the same. */
export const allDifferent = (origins: readonly string[]) => new Set(origins).size === origins.length;
