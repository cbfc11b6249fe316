// The origin rules, table by table: what people type, what is stored, and the sentence each mistake gets.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { NewService } from './admin';
import { MAX_ORIGINS_PER_SERVICE } from './limits';
import { isHttpsUrl, ORIGIN_PATTERN, readOrigin, readOriginLines } from './origins';

describe('readOrigin', () => {
  it.each([
    ['https://www.anytown.gov.uk', 'https://www.anytown.gov.uk'],
    ['  https://www.anytown.gov.uk  ', 'https://www.anytown.gov.uk'],
    ['https://www.anytown.gov.uk/', 'https://www.anytown.gov.uk'],
    ['HTTPS://WWW.Anytown.GOV.uk', 'https://www.anytown.gov.uk'],
    ['https://www.anytown.gov.uk:443', 'https://www.anytown.gov.uk'],
    ['https://www.anytown.gov.uk:8443', 'https://www.anytown.gov.uk:8443'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['https://BÜCHER.example/', 'https://xn--bcher-kva.example'],
    ['https://xn--bcher-kva.example', 'https://xn--bcher-kva.example'],
    ['http://localhost', 'http://localhost'],
    ['http://localhost:8787', 'http://localhost:8787'],
    ['http://127.0.0.1:5173', 'http://127.0.0.1:5173'],
    ['http://localhost:80', 'http://localhost'],
    ['https://localhost:8443', 'https://localhost:8443'],
    ['https://192.0.2.10', 'https://192.0.2.10'],
    ['https://[2001:db8::1]', 'https://[2001:db8::1]'],
  ])('takes %j as %s', (typed, origin) => {
    expect(readOrigin(typed)).toEqual({ origin });
  });

  it.each([
    ['', 'Enter a site’s address'],
    ['www.anytown.gov.uk', 'needs https:// at the start'],
    ['ftp://www.anytown.gov.uk', 'must start with https://'],
    ['http://www.anytown.gov.uk', 'use https://, since only localhost may use http://'],
    ['http://192.168.1.10', 'only localhost may use http://'],
    [
      'https://www.anytown.gov.uk/contact',
      'has a path: enter only the site, like https://www.anytown.gov.uk',
    ],
    ['https://www.anytown.gov.uk//', 'has a path'],
    ['https://www.anytown.gov.uk?from=home', 'has a query (?)'],
    ['https://www.anytown.gov.uk/?', 'has a query (?)'],
    ['https://www.anytown.gov.uk#top', 'has a fragment (#)'],
    ['https://clerk:secret@www.anytown.gov.uk', 'has a user name or password'],
    ['https://@www.anytown.gov.uk', 'has a user name or password'],
    ['https://*.anytown.gov.uk', 'has a wildcard (*)'],
    ['*', 'has a wildcard (*)'],
    ['https://www.any town.gov.uk', 'has a space in it'],
    ['https://www.anytown.gov.uk:99999', 'is not a web address'],
    ['https://', 'is not a web address'],
    ['https://under_score.example', 'has characters a site’s name cannot have'],
    ['https://www..anytown.gov.uk', 'has characters a site’s name cannot have'],
    ['https://www.anytown.gov.uk:0', 'has port 0'],
    ['http://127.0.0.1:0', 'has port 0'],
    ['https://2130706433', 'an IP address written in short'],
    ['https://0x7f000001', 'an IP address written in short'],
    ['https://1.2.3', 'an IP address written in short'],
  ])('refuses %j: “… %s”', (typed, problem) => {
    const reading = readOrigin(typed);
    expect(reading.origin).toBeUndefined();
    expect(reading.problem).toContain(problem);
  });

  it('quotes what was typed, so the person sees which address is wrong', () => {
    expect(readOrigin('http://www.anytown.gov.uk').problem).toBe(
      '“http://www.anytown.gov.uk” starts with http://: use https://, since only localhost may use http://',
    );
  });
});

describe('readOriginLines', () => {
  it('reads one origin a line, skips blank lines, and names the line of each problem', () => {
    const text = 'https://www.anytown.gov.uk\r\n\r\nhttp://www.anytown.gov.uk\nhttps://bücher.example/\n';
    expect(readOriginLines(text)).toEqual({
      origins: ['https://www.anytown.gov.uk', 'https://xn--bcher-kva.example'],
      problems: [
        'Line 3: “http://www.anytown.gov.uk” starts with http://: use https://, since only localhost may use http://',
      ],
    });
  });

  it('refuses the same origin twice, however it is written', () => {
    const { problems } = readOriginLines('https://www.anytown.gov.uk\nHTTPS://WWW.ANYTOWN.GOV.UK:443/');
    expect(problems).toEqual(['Line 2: https://www.anytown.gov.uk is listed twice: enter each site once']);
  });

  it('refuses an origin the service has already', () => {
    const { origins, problems } = readOriginLines('https://bücher.example', [
      'https://xn--bcher-kva.example',
    ]);
    expect(origins).toEqual([]);
    expect(problems).toEqual([
      'Line 1: https://xn--bcher-kva.example is already one of this service’s sites',
    ]);
  });

  it('refuses more sites than a service may have, saying how many more fit', () => {
    const sites = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => `https://site${i + from}.anytown.gov.uk`);
    expect(readOriginLines(sites(MAX_ORIGINS_PER_SERVICE).join('\n')).problems).toEqual([]);
    expect(readOriginLines(sites(3, 100).join('\n'), sites(MAX_ORIGINS_PER_SERVICE - 2)).problems).toEqual([
      `A service may have at most ${MAX_ORIGINS_PER_SERVICE} sites: add at most 2 more`,
    ]);
  });
});

describe('privacy links', () => {
  it('take https addresses, and refuse a backslash that would make the parser read another host', () => {
    expect(isHttpsUrl('https://www.anytown.gov.uk/privacy')).toBe(true);
    expect(isHttpsUrl('https://x.example\\@evil.example')).toBe(false);
    expect(isHttpsUrl('http://www.anytown.gov.uk/privacy')).toBe(false);
  });
});

describe('the operator API’s origins', () => {
  const service = (origins: string[]) =>
    v.safeParse(NewService, { id: 'bins', department_id: 'waste', name: 'Bins', origins });

  it('are stored as browsers send them', () => {
    expect(service(['https://Bücher.example/', 'http://localhost:8787']).output).toMatchObject({
      origins: ['https://xn--bcher-kva.example', 'http://localhost:8787'],
    });
  });

  it.each([
    ['http', ['http://www.anytown.gov.uk']],
    ['a path', ['https://www.anytown.gov.uk/contact']],
    ['a wildcard', ['https://*.anytown.gov.uk']],
    ['the same twice', ['https://www.anytown.gov.uk', 'https://WWW.anytown.gov.uk/']],
    ['more than a service may have', Array.from({ length: 51 }, (_, i) => `https://s${i}.anytown.gov.uk`)],
  ])('refuse %s, as the console does', (_, origins) => {
    expect(service(origins).success).toBe(false);
  });

  it('has a pattern for the document that takes only origins as they are stored', () => {
    const pattern = new RegExp(ORIGIN_PATTERN, 'u');
    for (const taken of ['https://www.anytown.gov.uk', 'https://localhost:8443', 'http://127.0.0.1:5173'])
      expect(pattern.test(taken), taken).toBe(true);
    for (const refused of [
      'https://www.anytown.gov.uk:443',
      'http://localhost:80',
      'http://www.anytown.gov.uk',
      'https://WWW.anytown.gov.uk',
      'https://www.anytown.gov.uk/',
      'https://1.2.3',
      'https://xn--zz.example',
    ])
      expect(pattern.test(refused), refused).toBe(false);
  });
});

describe('isHttpsUrl', () => {
  it.each([
    ['https://www.anytown.gov.uk/privacy', true],
    ['https://www.anytown.gov.uk/privacy?lang=cy#data', true],
    ['http://www.anytown.gov.uk/privacy', false],
    ['javascript:alert(1)', false],
    ['https://user@www.anytown.gov.uk/privacy', false],
    ['/privacy', false],
    ['https://www.anytown.gov.uk/a privacy notice', false],
  ])('%s: %s', (url, taken) => {
    expect(isHttpsUrl(url)).toBe(taken);
  });
});
