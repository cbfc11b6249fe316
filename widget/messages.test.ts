import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../shared';
import type { FailureCode } from './api';
import { failureText, messages } from './messages';

const failureCodes: FailureCode[] = [...PROBLEM_CODES, 'network-error'];

describe('messages', () => {
  it('has every English string in Welsh too', () => {
    expect(Object.keys(messages.cy).sort()).toEqual(Object.keys(messages.en).sort());
    for (const [key, value] of Object.entries(messages.cy)) {
      if (typeof value === 'string')
        expect(value, key).not.toBe(messages.en[key as keyof typeof messages.en]);
    }
  });

  it('writes numbers with thousands separated by commas in both languages, without locale data', () => {
    expect(messages.en.limit).toBe('You can enter up to 2,000 characters');
    expect(messages.cy.limit).toBe('Gallwch roi hyd at 2,000 nod');
    expect(messages.en.over(1234567)).toBe('You have 1,234,567 characters too many');
    expect(messages.cy.left(999)).toBe('Mae gennych 999 nod ar ôl');
    expect(messages.en.left(1)).toBe('You have 1 character remaining');
  });

  it.each(failureCodes)('gives citizens words, not a code, for %s in both languages', (code) => {
    for (const t of [messages.en, messages.cy]) {
      const text = failureText(t, code);
      expect(text.length).toBeGreaterThan(20);
      if (code.includes('-')) expect(text).not.toContain(code);
    }
  });

  it('tells citizens their story is saved whenever sending failed for a reason they cannot fix', () => {
    for (const code of ['internal-error', 'network-error'] as const) {
      expect(failureText(messages.en, code)).toContain('saved on this device');
      expect(failureText(messages.cy, code)).toContain("wedi'i gadw ar y ddyfais hon");
    }
  });

  it('promises nothing for a story the worker refused outright', () => {
    for (const code of [
      'idempotency-key-reused',
      'payload-too-large',
      'validation-failed',
      'bad-request',
    ] as const) {
      expect(failureText(messages.en, code)).toBe(
        'Your feedback could not be sent. Contact the service another way.',
      );
      expect(failureText(messages.cy, code)).not.toContain('gadw');
    }
  });

  it('counts characters the GOV.UK way, with thousands separators and plurals', () => {
    expect(messages.en.left(2000)).toBe('You have 2,000 characters remaining');
    expect(messages.en.left(1)).toBe('You have 1 character remaining');
    expect(messages.en.over(1)).toBe('You have 1 character too many');
    expect(messages.cy.left(5)).toBe('Mae gennych 5 nod ar ôl');
    expect(messages.cy.over(12)).toBe('Mae gennych 12 nod yn ormod');
  });
});
