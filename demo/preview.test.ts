// The console's preview in Debian's Chromium: an admin picks a mode and a language by keyboard,
// sends a story from the widget as a citizen would, and it is kept as a test and sent nowhere,
// though the department has a webhook and an email. axe-core checks the embed and preview pages.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboxStory, startInbox } from '../scripts/inbox.ts';
import { DEMO_MEMBER } from '../scripts/seed';
import { signInLinks } from '../scripts/sign-in-links';
import {
  axeViolations,
  launchChromium,
  sendStory,
  startWorker,
  unique,
  type Worker,
  waitFor,
} from './test/harness';
import { focused, tabTo } from './test/keyboard';

/** A council page registered for the demo service: the citizen's story that shows delivery works. */
const COUNCIL = 'https://www.anytown.example.gov.uk';
const INBOX_SECRET = 'whsec_cHJldmlldy1pbmJveC1zZWNyZXQtZm9yLWJyb3dzZXItdGVzdHM=';
const DEPARTMENT_EMAIL = 'waste-team@anytown.example.gov.uk';
const PREVIEW = '/console/services/missed-bin-collection/preview';

let worker: Worker;
let browser: Browser;
let inbox: Awaited<ReturnType<typeof startInbox>>;
const inboxStories: InboxStory[] = [];

beforeAll(async () => {
  inbox = await startInbox({ port: 0, secret: INBOX_SECRET, onStory: (story) => inboxStories.push(story) });
  [worker, browser] = await Promise.all([
    startWorker([COUNCIL], { webhook: { url: inbox.url, secret: INBOX_SECRET }, email: DEPARTMENT_EMAIL }),
    launchChromium(),
  ]);
  // Tellus's own origin is registered for no service, as in any real deployment: the preview needs none.
  await worker.query(`DELETE FROM service_origins WHERE origin = '${worker.origin}'`);
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await inbox?.close();
});

/** Signs in as the demo department's admin with the link wrangler dev wrote to an .eml file. */
async function signIn(page: Page) {
  await page.goto(`${worker.origin}/console/sign-in`);
  await page.locator('#email').fill(DEMO_MEMBER);
  await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
  const link = await waitFor(async () => {
    const links = (await Promise.all(worker.emails().map((raw) => signInLinks(raw)))).flat();
    return links.at(-1);
  });
  await page.goto(link);
  await Promise.all([page.waitForURL(/\/console\/stories$/), page.locator('button[type=submit]').click()]);
}

/** The text of every email the worker has written. */
const emailTexts = () =>
  Promise.all(worker.emails().map(async (raw) => (await PostalMime.parse(raw)).text ?? ''));

/** A citizen's story from the registered council page, as its widget sends it. */
async function citizenStory(story: string) {
  expect((await sendStory(worker, { story }, COUNCIL)).status).toBe(201);
}

describe('the console’s preview', () => {
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  beforeAll(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    await signIn(page);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('takes a story by keyboard in the mode and language chosen, kept as a test and delivered nowhere', async () => {
    await page.goto(`${worker.origin}${PREVIEW}`);
    await page.locator('[data-tellus] form').waitFor();
    await tabTo(page, (el) => el.text === 'Is this page useful?', 60);
    await Promise.all([page.waitForURL(/mode=useful&lang=en$/), page.keyboard.press('Enter')]);
    await tabTo(page, (el) => el.text === 'Cymraeg', 60);
    await Promise.all([page.waitForURL(/mode=useful&lang=cy$/), page.keyboard.press('Enter')]);

    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Nac ydy', 60);
    await page.keyboard.press('Enter');
    await tabTo(page, (el) => el.name === 'rating');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ name: 'rating', value: '2' });
    const story = `Rhoi cynnig ar y ffurflen ${unique()}`;
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'story' });
    await page.keyboard.type(story);
    await tabTo(page, (el) => el.text === 'Anfon adborth');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[data-tellus] .panel h3').textContent())
      .toBe('Diolch am eich adborth');

    const quoted = `'${story.replaceAll("'", "''")}'`;
    expect(await worker.query(`SELECT test, rating, locale FROM feedback WHERE story = ${quoted}`)).toEqual([
      { test: 1, rating: 2, locale: 'cy' },
    ]);
    const [outbox] = await worker.query<{ n: number }>(
      `SELECT count(*) AS n FROM deliveries JOIN feedback ON feedback.id = deliveries.feedback_id WHERE feedback.story = ${quoted}`,
    );
    expect(outbox?.n).toBe(0);
    // A citizen's story sent after it reaches the webhook; the test never does, nor any email.
    const mark = unique();
    await citizenStory(`The crew missed us ${mark}`);
    await waitFor(() => inboxStories.find((s) => String(s.data.story).includes(mark)));
    const emailed = await waitFor(async () => {
      const texts = await emailTexts();
      return texts.some((text) => text.includes(mark)) ? texts : undefined;
    });
    expect(inboxStories.filter((s) => String(s.data.story).includes(story))).toEqual([]);
    expect(emailed.filter((text) => text.includes(story))).toEqual([]);

    // The preview lists it, tagged as a test.
    await page.reload();
    await expect(page.locator('main table').textContent()).resolves.toContain(story);
    expect(problems).toEqual([]);
  });

  it('has nothing for axe to find on the embed page, nor on the preview in each mode and language', async () => {
    await page.goto(`${worker.origin}/console/services/missed-bin-collection/embed`);
    expect(await axeViolations(page), 'embed').toEqual([]);
    for (const [mode, lang] of [
      ['inline', 'en'],
      ['tab', 'cy'],
      ['useful', 'en'],
      ['stories', 'cy'],
    ]) {
      await page.goto(`${worker.origin}${PREVIEW}?mode=${mode}&lang=${lang}`);
      await page.locator('[data-tellus]').waitFor({ state: 'attached' });
      expect(await axeViolations(page), `${mode} in ${lang}`).toEqual([]);
    }
    await page.goto(`${worker.origin}${PREVIEW}?mode=fast`);
    expect(await page.locator('.govuk-error-summary').count()).toBe(1);
    expect(await axeViolations(page), 'an unknown mode').toEqual([]);
    expect(problems).toEqual([]);
  });
});
