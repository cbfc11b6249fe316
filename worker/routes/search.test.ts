// Word search (`q`) in workerd with the real D1 and its FTS5 index: through the department API, its
// CSV export and the console's story filter, whatever the words hold.
import { exports } from 'cloudflare:workers';
import { parse } from 'csv-parse/browser/esm/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { SEARCH_MAX_LENGTH } from '../../shared';
import { readFilters } from '../console/filters';
import type { Db } from '../db/client';
import { storyListPage } from '../db/console';
import { newId } from '../ids';
import { TEST_OPERATOR_TOKEN } from '../test/constants';
import { insertStory, seed } from '../test/seed';

const LORRY = 'The lorry parked near the gate and blocked it for an hour while the crew had their breakfast';

let db: Db;
let key: string;
let bins: string;
let lorry: string;
beforeEach(async () => {
  db = await seed();
  const made = await exports.default.fetch('https://tellus.test/v1/admin/departments/waste/keys', {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ scopes: ['read', 'answer'] }),
  });
  key = ((await made.json()) as { key: string }).key;
  bins = await story('Bins left out for a week');
  lorry = await story(LORRY);
});

let clock = Date.now() - 3_600_000;
async function story(text: string, locale: 'en' | 'cy' = 'en') {
  clock += 1;
  return insertStory(db, { id: newId(clock), story: text, locale, createdAt: new Date(clock).toISOString() });
}

async function api(method: string, path: string, body?: unknown) {
  return exports.default.fetch(`https://tellus.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The ids `GET /v1/feedback?q=` finds, newest first; fails on anything but 200. */
async function search(q: string) {
  const res = await api('GET', `/v1/feedback?${new URLSearchParams({ q })}`);
  expect(res.status, `q=${JSON.stringify(q)}`).toBe(200);
  const body = (await res.json()) as { stories: { id: string }[] };
  return body.stories.map((s) => s.id);
}

describe('word search', () => {
  it('takes a query of any length up to the documented limit, and needs every word', async () => {
    expect(LORRY.length).toBeGreaterThan(48);
    expect(await search(LORRY)).toEqual([lorry]);
    expect(await search(`${LORRY} tomorrow`)).toEqual([]);
    const longest = 'gate crew lorry '.repeat(20).slice(0, SEARCH_MAX_LENGTH);
    expect(await search(longest)).toEqual([lorry]);
    const res = await api('GET', `/v1/feedback?${new URLSearchParams({ q: `${longest}x` })}`);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: [{ pointer: '/q' }] });
  });

  it('reads quotes, operators and signs as plain words or separators, never as a 5xx', async () => {
    const expected: Record<string, string[]> = {
      AND: [lorry],
      'NEAR(': [lorry],
      'NEAR(lorry gate)': [lorry],
      'NEAR(lorry gate, 5)': [],
      '"': [],
      '*': [],
      '-': [],
      ':': [],
      '"lorry': [lorry],
      'lorry"': [lorry],
      'lorry*': [lorry],
      '-lorry': [lorry],
      '^bins': [bins],
      'bins:': [bins],
      'story:lorry': [],
      '{story answers}: bins': [],
      'NOT bins': [],
      'bins OR lorry': [],
      'bins AND lorry': [],
      '(bins': [bins],
      "bins' --": [bins],
      '\\': [],
      '%_': [],
      '\u0000bins': [bins],
      '🚛 lorry': [lorry],
      'a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9': [],
    };
    for (const [q, ids] of Object.entries(expected)) {
      expect(await search(q), `q=${JSON.stringify(q)}`).toEqual(ids);
    }
    // Letters newer than the tokenizer's Unicode tables, a lone accent, one very long word.
    for (const q of ['\u{1E030}', 'bins \u{1E030}', '\u0302', 'x'.repeat(SEARCH_MAX_LENGTH)]) await search(q);
  });

  it('finds Welsh words with or without their accents, and the start of a word', async () => {
    const water = await story('Dim dŵr poeth yn y tŷ ers wythnos', 'cy');
    const toilet = await story('Mae’r ty bach ar gau ac mae’r gwasanaethau yn araf', 'cy');
    expect(await search('dwr')).toEqual([water]);
    expect(await search('DŴR poeth')).toEqual([water]);
    expect(await search('tŷ')).toEqual([toilet, water]);
    expect(await search('ty')).toEqual([toilet, water]);
    expect(await search('ty\u0302')).toEqual([toilet, water]);
    expect(await search('gwasanaeth')).toEqual([toilet]);
    expect(await search('mae')).toEqual([toilet]);
  });

  it("finds a word that is only in a story's answer, and words split between the two", async () => {
    const answered = await api('POST', `/v1/feedback/${bins}/answers`, {
      text: 'We have changed the crew rota.',
    });
    expect(answered.status).toBe(201);
    expect(await search('rota')).toEqual([bins]);
    expect(await search('bins rota')).toEqual([bins]);
    expect(await search('crew')).toEqual([lorry, bins]);
  });

  it('pages through the stories it finds with the cursor', async () => {
    const more = [];
    for (let i = 0; i < 4; i++) more.push(await story(`Lorry number ${i} was late`));
    const first = await api('GET', `/v1/feedback?q=lorry&limit=3`);
    const page = (await first.json()) as { stories: { id: string }[]; next_cursor: string };
    const second = await api('GET', `/v1/feedback?q=lorry&limit=3&cursor=${page.next_cursor}`);
    const rest = (await second.json()) as { stories: { id: string }[]; next_cursor: string | null };
    expect([...page.stories, ...rest.stories].map((s) => s.id)).toEqual([...more.reverse(), lorry]);
    expect(rest.next_cursor).toBeNull();
  });

  it('runs a long query to the end of the CSV export', async () => {
    const res = await api('GET', `/v1/feedback.csv?${new URLSearchParams({ q: LORRY })}`);
    expect(res.status).toBe(200);
    const records = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.id)).toEqual([lorry, 'end of export: 1 story']);
  });

  it("is the console filter's search too, to the same limit", async () => {
    const { query, errors } = readFilters({ q: LORRY });
    expect(errors).toEqual([]);
    const page = await storyListPage(db, 'waste', query, 20);
    expect(page.stories.map((s) => s.id)).toEqual([lorry]);
    const tooLong = readFilters({ q: 'x'.repeat(SEARCH_MAX_LENGTH + 1) });
    expect(tooLong.errors).toEqual([
      { field: 'q', text: `Words to find must be ${SEARCH_MAX_LENGTH} characters or fewer` },
    ]);
  });
});
