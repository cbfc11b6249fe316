import { parse } from 'csv-parse/browser/esm/sync';
import { describe, expect, it } from 'vitest';
import { CSV_END, type CsvStory, csvEndRecord, csvOfPages } from './stories-csv';

const story = (n: number): CsvStory => ({
  id: `0190aaaa-0000-7000-8000-${String(n).padStart(12, '0')}`,
  created_at: '2026-11-26T09:00:00.000Z',
  service: 'missed-bin-collection',
  rating: 2,
  status: 'new',
  severity: 'normal',
  tags: [],
  page: null,
  locale: 'en',
  story: `Story ${n}, with a comma`,
});

/** Reads the export as a client would: the text that arrived, and the error it broke off with, if any. */
async function download(pages: AsyncIterable<CsvStory[]>) {
  const work: Promise<unknown>[] = [];
  const reader = csvOfPages(pages, (p) => work.push(p))
    .pipeThrough(new TextDecoderStream())
    .getReader();
  let text = '';
  let broken: unknown;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
  } catch (err) {
    broken = err;
  }
  await Promise.all(work);
  return { text, broken };
}

describe('csvOfPages', () => {
  it('ends a complete export with a record, as wide as the others, that says so and counts the stories', async () => {
    async function* pages() {
      yield [story(1), story(2)];
      yield [story(3)];
    }
    const { text, broken } = await download(pages());
    expect(broken).toBeUndefined();
    expect(text.endsWith(csvEndRecord(3))).toBe(true);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(4);
    expect(records.at(-1)).toEqual({
      id: 'end of export: 3 stories',
      created_at: '',
      service: '',
      rating: '',
      status: '',
      severity: '',
      tags: '',
      page: '',
      locale: '',
      story: '',
    });
    expect(records.slice(0, 3).map((r) => r.story)).toEqual([
      'Story 1, with a comma',
      'Story 2, with a comma',
      'Story 3, with a comma',
    ]);
  });

  it('says so for an export of nothing too', async () => {
    async function* pages() {
      yield [];
    }
    const { text } = await download(pages());
    expect(parse(text, { columns: true })).toEqual([
      expect.objectContaining({ id: 'end of export: 0 stories' }),
    ]);
  });

  it('breaks off without the end record when a page cannot be read', async () => {
    async function* pages(): AsyncGenerator<CsvStory[]> {
      yield [story(1), story(2)];
      throw new Error('D1 went away');
    }
    const { text, broken } = await download(pages());
    expect(broken).toBeDefined();
    expect(text).toContain('Story 2, with a comma');
    expect(text).not.toContain(CSV_END);
  });
});
