// The FTS5 index in workerd's D1: what a query becomes, stories stored before the index, and
// stories that go.
import { applyD1Migrations, reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { insertStory, seed } from '../test/seed';
import { createDb, type Db } from './client';
import { listStories } from './department';
import { deleteExpiredStories, deleteStory } from './receipts';
import { answers } from './schema';
import { searchExpression } from './search';

describe('searchExpression', () => {
  it.each([
    ['bins', '"bins"*'],
    ['Bins bins BINS', '"bins"*'],
    ['missed  bins', '"missed"* "bins"*'],
    ['NEAR(lorry, 2)', '"near"* "lorry"* "2"*'],
    ['story:bins AND -lorry*', '"story"* "bins"* "and"* "lorry"*'],
    ['"bins', '"bins"*'],
    ['tŷ', '"tŷ"*'],
    ['ty\u0302', '"tŷ"*'],
    ['mae’r', '"mae"* "r"*'],
  ])('makes %j into %j', (words, expression) => {
    expect(searchExpression(words)).toBe(expression);
  });

  it.each(['"', '*', '-', ':', '()', '%_', ' '])('finds no word in %j', (words) => {
    expect(searchExpression(words)).toBeUndefined();
  });
});

const find = (db: Db, q: string) =>
  listStories(db, 'waste', { q }, 50).then(({ stories }) => stories.map((s) => s.id));

/** Whether FTS5 finds its index and its content in step (it throws when they are not). */
const indexIntact = (db: Db) =>
  db.run(sql`INSERT INTO story_search (story_search) VALUES ('integrity-check')`);

describe('the search index', () => {
  it('holds the stories and answers stored before it was made', async () => {
    await reset();
    const search = env.TEST_MIGRATIONS.findIndex((m) => m.name.endsWith('_search.sql'));
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS.slice(0, search));
    await env.DB.batch(
      [
        "INSERT INTO departments (id, name, contact_email) VALUES ('waste', 'Waste', 'w@example.gov.uk')",
        "INSERT INTO services (id, department_id, name) VALUES ('missed-bin-collection', 'waste', 'Bins')",
        `INSERT INTO feedback (id, service_id, rating, story, idempotency_key, fingerprint) VALUES
          ('0190aaaa-0000-7000-8000-000000000001', 'missed-bin-collection', 2, 'The lorry never came', 'k1', ''),
          ('0190aaaa-0000-7000-8000-000000000002', 'missed-bin-collection', 5, NULL, 'k2', '')`,
        `INSERT INTO answers (id, feedback_id, text) VALUES
          ('a1', '0190aaaa-0000-7000-8000-000000000002', 'Diolch am y sgôr')`,
      ].map((statement) => env.DB.prepare(statement)),
    );
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    const db = createDb(env.DB);
    expect(await find(db, 'lorry')).toEqual(['0190aaaa-0000-7000-8000-000000000001']);
    expect(await find(db, 'sgor')).toEqual(['0190aaaa-0000-7000-8000-000000000002']);
    await indexIntact(db);
  });

  it('lets a story go with its answers, however it is deleted, and never finds it again', async () => {
    const db = await seed();
    const stored = async (id: string, createdAt: string) => {
      await insertStory(db, { id, rating: 1, story: 'A zebra crossing was blocked by the bins', createdAt });
      await db
        .insert(answers)
        .values({ id: `answer-${id}`, feedbackId: id, text: 'The quagga crew moved them' });
    };
    await stored('0190aaaa-0000-7000-8000-000000000001', new Date().toISOString());
    await stored('0190aaaa-0000-7000-8000-000000000002', '2020-01-01T00:00:00.000Z');
    await stored('0190aaaa-0000-7000-8000-000000000003', new Date().toISOString());
    expect(await find(db, 'zebra quagga')).toHaveLength(3);

    await deleteStory(db, '0190aaaa-0000-7000-8000-000000000001');
    expect(await deleteExpiredStories(db, Date.now())).toBe(1);
    await db.delete(answers).where(eq(answers.feedbackId, '0190aaaa-0000-7000-8000-000000000003'));

    expect(await find(db, 'zebra')).toEqual(['0190aaaa-0000-7000-8000-000000000003']);
    expect(await find(db, 'quagga')).toEqual([]);
    const documents = await db.all<{ feedback_id: string; answers: string }>(
      sql`SELECT feedback_id, answers FROM search_documents`,
    );
    expect(documents).toEqual([{ feedback_id: '0190aaaa-0000-7000-8000-000000000003', answers: '' }]);
    const indexed = await db.all(sql`SELECT rowid FROM story_search WHERE story_search MATCH '"quagga"*'`);
    expect(indexed).toEqual([]);
    await indexIntact(db);
  });
});
