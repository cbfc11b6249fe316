import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPersonalData, redactPersonalData } from './redact';

interface Cases {
  redact: { text: string; fragments: string[] }[];
  keep: string[];
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Cases;

describe.each(['pii-cases.json', 'pii-formats.json'])('redactPersonalData on %s', (name) => {
  const cases = fixture(name);

  it.each(cases.redact)(
    'removes every listed fragment from "$text", leaving a label',
    ({ text, fragments }) => {
      const redacted = redactPersonalData(text);
      const found = findPersonalData(text);
      for (const fragment of fragments) expect(redacted).not.toContain(fragment);
      for (const { label } of found) expect(redacted).toContain(label);
      expect(found.map((f) => f.text)).toEqual(fragments);
    },
  );

  it.each(cases.keep)('leaves "%s" unchanged', (text) => {
    expect(redactPersonalData(text)).toBe(text);
    expect(findPersonalData(text)).toEqual([]);
  });
});

describe('redactPersonalData', () => {
  it('leaves dates with times alone', () => {
    expect(redactPersonalData('Booked for 02-03-2024 10:30 at the depot.')).toBe(
      'Booked for 02-03-2024 10:30 at the depot.',
    );
    expect(redactPersonalData('Booked for 01.02.2024 10.30, or 02032024 10:30.')).toBe(
      'Booked for 01.02.2024 10.30, or 02032024 10:30.',
    );
    expect(redactPersonalData('Ring 020 7946 0958: nobody answers.')).toBe('Ring [phone]: nobody answers.');
  });

  it('errs towards privacy: an NI number the issuing rules call impossible is still taken out', () => {
    // D, F, I, Q, U and V never start a real NI number, nor do BG, GB, NK, KN, TN, NT or ZZ: a
    // citizen's typo or a temporary number in that shape is still theirs.
    for (const ni of ['DF 12 34 56 A', 'QQ123456C', 'zz 99 88 77 d', 'TN 31 12 58 B', 'GB123456A']) {
      expect(redactPersonalData(`My NI is ${ni}, please.`)).toBe('My NI is [NI number], please.');
    }
  });

  it('takes a long number for a card number only when it passes the Luhn check', () => {
    expect(redactPersonalData('Card 4111-1111-1111-1111.')).toBe('Card [card number].');
    expect(redactPersonalData('Reference 1795680236018 from the letter.')).toBe(
      'Reference 1795680236018 from the letter.',
    );
  });

  it.each([
    '(020) 7946 0958',
    '(01632) 960 001',
    '0044 20 7946 0958',
    '+44 (0)20 7946 0958',
    '+44 07700 900123',
    '+44-20-7946-0958',
    '07700.900.123',
    '07700900123',
    '+447700900123',
  ])('replaces the whole of the phone number "%s"', (phone) => {
    expect(redactPersonalData(`Call ${phone} today.`)).toBe('Call [phone] today.');
  });

  it('keeps the brackets around a phone number that are not part of it', () => {
    expect(redactPersonalData('My number (07700 900123) is on file.')).toBe(
      'My number ([phone]) is on file.',
    );
  });

  it('leaves emergency numbers and the lines of services and businesses alone', () => {
    const text = 'I tried 999, 111, 116 123, 101, 112, 119, 0300 123 4567, 0800 123 4567 and 0845 460 4444.';
    expect(redactPersonalData(text)).toBe(text);
  });

  it('takes ten digits for an NHS number only when they pass the mod-11 check', () => {
    expect(redactPersonalData('NHS 943 476 5919.')).toBe('NHS [NHS number].');
    expect(redactPersonalData('NHS 943 476 5918.')).toBe('NHS 943 476 5918.');
    expect(redactPersonalData('Number 0123456789.')).toBe('Number [phone].');
  });

  it('keeps a link up to its path and replaces its query with [query]', () => {
    expect(redactPersonalData('See https://x.gov.uk/track?ref=123&email=a@b.c.')).toBe(
      'See https://x.gov.uk/track?[query].',
    );
    expect(findPersonalData('https://x.gov.uk/track?ref=123&email=a@b.c')).toEqual([
      { label: '[query]', text: 'ref=123&email=a@b.c' },
    ]);
  });

  it('names each kind of detail it removes', () => {
    expect(
      redactPersonalData(
        'Mail jo@x.org or ring 07700 900123; NHS 943 476 5919, NI ab123456c, cf10 1ab, gov.uk/x?id=7.',
      ),
    ).toBe('Mail [email] or ring [phone]; NHS [NHS number], NI [NI number], [postcode], gov.uk/x?[query].');
  });
});
