/** A department's stories as CSV, every page of a filter, streamed so a big export never sits whole in memory. */
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

export const CSV_HEADERS = {
  'Content-Type': 'text/csv; charset=utf-8; header=present',
  'Content-Disposition': 'attachment; filename="tellus-stories.csv"',
  'Cache-Control': 'no-store',
};

export function storiesCsv(
  db: Db,
  department: string,
  query: FeedbackQuery,
  waitUntil: (promise: Promise<unknown>) => void,
): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const write = async () => {
    try {
      await writer.write(encoder.encode(csvRow(COLUMNS)));
      let cursor = query.cursor;
      for (;;) {
        const { stories, more } = await listStories(db, department, { ...query, cursor }, EXPORT_PAGE_SIZE);
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
        cursor = stories.at(-1)?.id;
        if (!more) break;
      }
      await writer.close();
    } catch (err) {
      // The 200 is already on its way: the file ends short, and the log says why.
      console.error('CSV export failed part way', err);
      await writer.abort(err);
    }
  };
  waitUntil(write());
  return readable;
}
