import { describe, expect, it } from 'vitest';
import { retryable, type SendResult } from './api';
import { en } from './messages';
import { messages as cy } from './parts/cy';

describe('messages', () => {
  it('has every English string in Welsh too', () => {
    expect(Object.keys(cy).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(cy)) {
      if (typeof value === 'string') expect(value, key).not.toBe(en[key as keyof typeof en]);
    }
  });

  it('writes numbers with thousands separated by commas in both languages, without locale data', () => {
    expect(en.limit).toBe('You can enter up to 2,000 characters');
    expect(cy.limit).toBe('Gallwch roi hyd at 2,000 nod');
    expect(en.over(1234567)).toBe('You have 1,234,567 characters too many');
    expect(cy.left(999)).toBe('Mae gennych 999 nod ar ôl');
    expect(en.left(1)).toBe('You have 1 character remaining');
  });

  it('tells citizens their story is saved, and promises nothing when it was refused', () => {
    expect(en.saved).toContain('saved on this device');
    expect(cy.saved).toContain("wedi'i gadw ar y ddyfais hon");
    expect(en.notSent).toBe('Your feedback could not be sent. Contact the service another way.');
    expect(cy.notSent).not.toContain('gadw');
  });

  it('counts characters the GOV.UK way, with thousands separators and plurals', () => {
    expect(en.left(2000)).toBe('You have 2,000 characters remaining');
    expect(en.left(1)).toBe('You have 1 character remaining');
    expect(en.over(1)).toBe('You have 1 character too many');
    expect(cy.left(5)).toBe('Mae gennych 5 nod ar ôl');
    expect(cy.over(12)).toBe('Mae gennych 12 nod yn ormod');
  });
});

describe('which failures are worth sending again', () => {
  const failure = (status: number): SendResult => ({ ok: false, code: 'bad-request', status });

  it('tries again after no answer, a failing service, or "not now" (408, 425, 429)', () => {
    for (const status of [0, 500, 502, 503, 408, 425, 429])
      expect(retryable(failure(status)), `${status}`).toBe(true);
  });

  it('takes every other 4xx as final: the 403 of a site registered for no service among them', () => {
    for (const status of [400, 403, 404, 409, 413, 415, 422])
      expect(retryable(failure(status)), `${status}`).toBe(false);
  });
});
