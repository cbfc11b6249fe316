/** What stories take on disk: the local D1's tables and indexes, read with SQLite's own dbstat. */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** Bytes of every table and index of the D1 database that `wrangler dev` keeps under `dataDir`. */
export function storedBytes(dataDir: string): Record<string, number> {
  const dir = join(dataDir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const [file] = readdirSync(dir).filter((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (!file) throw new Error(`No D1 database under ${dir}`);
  // A copy, so the running worker's files are never opened by a second writer.
  const copy = mkdtempSync(join(tmpdir(), 'tellus-d1-copy-'));
  try {
    for (const suffix of ['', '-wal']) {
      if (existsSync(join(dir, file + suffix)))
        copyFileSync(join(dir, file + suffix), join(copy, file + suffix));
    }
    const db = new DatabaseSync(join(copy, file));
    const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
      name: string;
      bytes: number;
    }[];
    db.close();
    return Object.fromEntries(rows.map((row) => [row.name, row.bytes]));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** The bytes added between two readings, in total. */
export function bytesAdded(before: Record<string, number>, after: Record<string, number>): number {
  return Object.entries(after).reduce((sum, [name, bytes]) => sum + bytes - (before[name] ?? 0), 0);
}
