import { describe, expect, it } from 'vitest';
import { invalidAnswers } from './answers';
import { jsonPointer, parseFeedbackSubmission } from './feedback';

const good = {
  service: 'missed-bin-collection',
  rating: 4,
  story: 'Collected the next morning after I reported it.',
  page: '/bins/report-missed',
  locale: 'cy',
  idempotency_key: '3f0c2a9e7b5d4c1a8e6f0b2d4a6c8e0f',
};

function failingFields(input: unknown) {
  const result = parseFeedbackSubmission(input);
  return result.ok ? [] : result.issues.map((issue) => issue.field);
}

describe('FeedbackSubmission', () => {
  it('accepts a good submission', () => {
    expect(parseFeedbackSubmission(good)).toEqual({ ok: true, value: good });
  });

  it('accepts a rating alone and defaults the locale to English', () => {
    const result = parseFeedbackSubmission({
      service: good.service,
      rating: 1,
      idempotency_key: good.idempotency_key,
    });
    expect(result).toEqual({
      ok: true,
      value: { service: good.service, rating: 1, locale: 'en', idempotency_key: good.idempotency_key },
    });
  });

  it.each([0, 6, 3.5, -1, Number.NaN, '5', null])('rejects rating %s', (rating) => {
    expect(failingFields({ ...good, rating })).toEqual(['rating']);
  });

  it('accepts a story of exactly 2,000 characters and rejects 2,001', () => {
    expect(failingFields({ ...good, story: 'a'.repeat(2000) })).toEqual([]);
    expect(failingFields({ ...good, story: 'a'.repeat(2001) })).toEqual(['story']);
  });

  it('rejects a missing service', () => {
    const { service: _, ...withoutService } = good;
    expect(failingFields(withoutService)).toEqual(['service']);
  });

  it('rejects extra unknown fields, naming them', () => {
    const result = parseFeedbackSubmission({ ...good, email: 'jane@example.com' });
    expect(result).toMatchObject({ ok: false, issues: [{ field: 'email', pointer: '/email' }] });
  });

  it('rejects a missing or short idempotency key', () => {
    expect(failingFields({ ...good, idempotency_key: undefined })).toEqual(['idempotency_key']);
    expect(failingFields({ ...good, idempotency_key: 'abc' })).toEqual(['idempotency_key']);
  });

  it('rejects a page that is not a path, and an unknown locale', () => {
    expect(failingFields({ ...good, page: 'https://example.com/' })).toEqual(['page']);
    expect(failingFields({ ...good, locale: 'fr' })).toEqual(['locale']);
  });

  it('rejects bodies that are not objects', () => {
    for (const body of [null, [], 'text', 42]) expect(parseFeedbackSubmission(body).ok).toBe(false);
  });

  it('reports every failing field at once, with a message for developers', () => {
    const result = parseFeedbackSubmission({ ...good, rating: 9, story: 'a'.repeat(2001) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.field)).toEqual(['rating', 'story']);
    expect(result.issues[1]?.detail).toContain('2000');
  });

  it('agrees with the plain rules the widget uses, value for value', () => {
    const ratings = [
      -1,
      0,
      0.5,
      1,
      2,
      2.5,
      3,
      4,
      5,
      5.000001,
      6,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1e308,
    ];
    for (const rating of ratings) {
      const schemaSays = !failingFields({ ...good, rating }).includes('rating');
      expect(schemaSays, String(rating)).toBe(invalidAnswers({ rating }).length === 0);
    }
    for (const length of [0, 1, 1999, 2000, 2001, 5000]) {
      const story = 'é'.repeat(length);
      expect(failingFields({ ...good, story }).includes('story')).toBe(
        invalidAnswers({ rating: 1, story }).includes('story'),
      );
    }
  });
});

describe('jsonPointer', () => {
  it('points at the whole body with the empty string and escapes ~ and /', () => {
    expect(jsonPointer([])).toBe('');
    expect(jsonPointer(['rating'])).toBe('/rating');
    expect(jsonPointer(['a/b', 'c~d'])).toBe('/a~1b/c~0d');
  });
});

describe('invalidAnswers', () => {
  it('names a missing rating and an over-long story, as the worker would', () => {
    expect(invalidAnswers({ story: 'a'.repeat(2001) })).toEqual(['rating', 'story']);
  });

  it('accepts a rating with or without a story', () => {
    expect(invalidAnswers({ rating: 5 })).toEqual([]);
    expect(invalidAnswers({ rating: 1, story: 'Fine.' })).toEqual([]);
  });
});
