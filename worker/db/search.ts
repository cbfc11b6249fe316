/** Word search over stories and their answers, through the FTS5 index of migration 0010_search. */
import { type SQL, sql } from 'drizzle-orm';
import { feedback } from './schema';

/**
 * A word as the index's tokenizer (unicode61) reads one: letters, digits and the accents on them.
 * Everything else only separates words, in the query as in the index.
 */
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/**
 * Someone's words as an FTS5 query that cannot fail: each word quoted as a literal and matched as
 * the start of a word, all of them required. FTS5's own syntax (AND, OR, NOT, NEAR, quotes, `*`,
 * `^`, `-`, column names) is never read from them. Undefined when they hold no word at all.
 */
export function searchExpression(words: string): string | undefined {
  const found = new Set(words.normalize('NFC').toLowerCase().match(WORD));
  // A word holds no quote to escape: the pattern above admits none.
  return found.size ? [...found].map((word) => `"${word}"*`).join(' ') : undefined;
}

/** A condition on `feedback`: the story or one of its answers has all these words. */
export function storyHasWords(words: string): SQL {
  const expression = searchExpression(words);
  if (!expression) return sql`0`;
  return sql`${feedback.id} IN (
    SELECT feedback_id FROM search_documents WHERE id IN (
      SELECT rowid FROM story_search WHERE story_search MATCH ${expression}))`;
}
