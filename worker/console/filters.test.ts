import { describe, expect, it } from 'vitest';
import { filterQuery, readFilters } from './filters';

describe('the story list filters', () => {
  it('reads the form into the department API filters, whole days, "to" included', () => {
    expect(
      readFilters({
        service: 'bulky-waste',
        status: 'new',
        rating_min: '1',
        rating_max: '2',
        since: '2026-11-01',
        until: '2026-11-30',
        q: ' gate ',
      }),
    ).toEqual({
      query: {
        service: 'bulky-waste',
        status: 'new',
        rating_min: 1,
        rating_max: 2,
        since: '2026-11-01T00:00:00.000Z',
        until: '2026-12-01T00:00:00.000Z',
        q: 'gate',
      },
      errors: [],
    });
  });

  it('treats empty fields as no filter', () => {
    expect(readFilters({ service: '', status: '', q: '   ' })).toEqual({ query: {}, errors: [] });
  });

  it('names each field that is wrong', () => {
    const { errors } = readFilters({ since: '2026-02-30', rating_max: '9', status: 'lost' });
    expect(errors.map((e) => e.field).sort()).toEqual(['rating_max', 'since', 'status']);
    expect(readFilters({ since: '2026-11-30', until: '2026-11-01' }).errors).toEqual([
      { field: 'until', text: '“To” must be the same as or after “From”' },
    ]);
  });

  it('keeps a filter in the links to pages and to the CSV', () => {
    expect(filterQuery({ status: 'new', q: 'bin day', since: '' }, { cursor: 'abc' })).toBe(
      '?status=new&q=bin+day&cursor=abc',
    );
    expect(filterQuery({})).toBe('');
  });
});
