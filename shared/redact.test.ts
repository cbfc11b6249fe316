import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPersonalData, redactPersonalData } from './redact';

const cases = JSON.parse(readFileSync(new URL('../fixtures/pii-cases.json', import.meta.url), 'utf8')) as {
  redact: { text: string; fragments: string[] }[];
  keep: string[];
};

describe('redactPersonalData', () => {
  it.each(cases.redact)(
    'removes every listed fragment from "$text", leaving a label',
    ({ text, fragments }) => {
      const redacted = redactPersonalData(text);
      for (const fragment of fragments) expect(redacted).not.toContain(fragment);
      expect(redacted).toMatch(/\[(email|card number|NI number|phone|NHS number|postcode)\]/);
      expect(findPersonalData(text).map((f) => f.text)).toEqual(fragments);
    },
  );

  it.each(cases.keep)('leaves "%s" unchanged', (text) => {
    expect(redactPersonalData(text)).toBe(text);
    expect(findPersonalData(text)).toEqual([]);
  });

  it('leaves dates with times alone', () => {
    expect(redactPersonalData('Booked for 02-03-2024 10:30 at the depot.')).toBe(
      'Booked for 02-03-2024 10:30 at the depot.',
    );
    expect(redactPersonalData('Ring 020 7946 0958: nobody answers.')).toBe(
      'Ring 020 7946 0958: nobody answers.'.replace('020 7946 0958', '[phone]'),
    );
  });

  it('takes a long number for a card number only when it passes the Luhn check', () => {
    expect(redactPersonalData('Card 4111-1111-1111-1111.')).toBe('Card [card number].');
    expect(redactPersonalData('Reference 1795680236018 from the letter.')).toBe(
      'Reference 1795680236018 from the letter.',
    );
  });

  it('names each kind of detail it removes', () => {
    expect(
      redactPersonalData('Mail jo@x.org or ring 07700 900123; NHS 943 476 5919, NI ab123456c, cf10 1ab.'),
    ).toBe('Mail [email] or ring [phone]; NHS [NHS number], NI [NI number], [postcode].');
  });
});
