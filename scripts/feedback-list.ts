// Prints the latest stories in the local D1: `npm run feedback:list [-- --limit N]`.
import { parseArgs } from 'node:util';
import { runWrangler } from './wrangler.ts';

const { values } = parseArgs({
  options: { limit: { type: 'string', default: '10' }, 'persist-to': { type: 'string' } },
});
const limit = Number.parseInt(values.limit, 10);
if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
  console.error('--limit must be a whole number from 1 to 1000');
  process.exit(2);
}
const persist = values['persist-to'] ? ['--persist-to', values['persist-to']] : [];
const sql = `SELECT id, created_at, service_id, rating, status, locale, story FROM feedback ORDER BY created_at DESC LIMIT ${limit}`;
const output = await runWrangler(['d1', 'execute', 'DB', '--local', '--json', '--command', sql, ...persist]);
const [result] = JSON.parse(output.slice(output.indexOf('['))) as [{ results: Record<string, unknown>[] }];
if (result.results.length === 0) {
  console.log('No stories yet. Open http://localhost:8787, send one, and run this again.');
} else {
  console.table(result.results);
}
