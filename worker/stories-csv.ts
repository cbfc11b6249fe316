/**
 * A department's stories as CSV, every page of a filter, streamed so a big export never sits whole
 * in memory, and ended by a record that tells a complete file from one cut off.
 */
import type { FeedbackQuery } from '../shared';
import { csvRow } from './csv';
import type { Db } from './db/client';
import { listStories } from './db/department';

/** Stories read from D1 for each stretch of the export. */
const EXPORT_PAGE_SIZE = 500;

const COLUMNS = [
  'id',
  'created_at',
  'service',
  'rating',
  'status',
  'severity',
  'tags',
  'page',
  'locale',
  'story',
];

/** A story as the export writes it. */
export interface CsvStory {
  id: string;
  created_at: string;
  service: string;
  rating: number;
  status: string;
  severity: string;
  tags: string[];
  page: string | null;
  locale: string;
  story: string | null;
}

export const CSV_HEADERS = {
  'Content-Type': 'text/csv; charset=utf-8; header=present',
  'Content-Disposition': 'attachment; filename="tellus-stories.csv"',
  'Cache-Control': 'no-store',
};

/** How the `id` cell of a complete export's last record begins. */
export const CSV_END = 'end of export';

/**
 * The last record of a complete export: `end of export: 2 stories` in the id column, the other
 * cells empty, so it parses as one more record of the same width and shows as the last row of a
 * spreadsheet. A file without it was cut off.
 */
export function csvEndRecord(count: number): string {
  const text = `${CSV_END}: ${count} ${count === 1 ? 'story' : 'stories'}`;
  return csvRow([text, ...COLUMNS.slice(1).map(() => '')]);
}

/** Every page of the department's stories that `query` matches, newest first. */
export async function* storyPages(db: Db, department: string, query: FeedbackQuery) {
  let cursor = query.cursor;
  for (;;) {
    const { stories, more } = await listStories(db, department, { ...query, cursor }, EXPORT_PAGE_SIZE);
    yield stories;
    if (!more) return;
    cursor = stories.at(-1)?.id;
  }
}

/**
 * The pages as CSV, written while they are read. The end record goes only after the last page:
 * when a page cannot be read, the stream breaks off without it.
 */
export function csvOfPages(
  pages: AsyncIterable<CsvStory[]>,
  waitUntil: (promise: Promise<unknown>) => void,
): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const write = async () => {
    try {
      await writer.write(encoder.encode(csvRow(COLUMNS)));
      let count = 0;
      for await (const stories of pages) {
        const rows = stories.map((s) =>
          csvRow([
            s.id,
            s.created_at,
            s.service,
            s.rating,
            s.status,
            s.severity,
            s.tags.join('; '),
            s.page,
            s.locale,
            s.story,
          ]),
        );
        if (rows.length) await writer.write(encoder.encode(rows.join('')));
        count += rows.length;
      }
      await writer.write(encoder.encode(csvEndRecord(count)));
      await writer.close();
    } catch (err) {
      // The 200 is already on its way: the file ends short, without its end record, and the log says why.
      console.error('CSV export failed part way', err);
      await writer.abort(err);
    }
  };
  waitUntil(write());
  return readable;
}

/** The department's stories that `query` matches, as a CSV stream; see `csvOfPages`. */
export function storiesCsv(
  db: Db,
  department: string,
  query: FeedbackQuery,
  waitUntil: (promise: Promise<unknown>) => void,
): ReadableStream<Uint8Array> {
  return csvOfPages(storyPages(db, department, query), waitUntil);
}
