// The department console in Debian's Chromium, by keyboard alone: sign in with the link from the
// email wrangler dev writes, filter, open a story, answer it with "we changed something", see the
// citizen's receipt show it, export the CSV, sign out and find the old cookie dead. axe-core checks
// every page, error states included.
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBER } from '../scripts/seed';
import { signInLinks } from '../scripts/sign-in-links';
import {
  axeViolations,
  launchChromium,
  sendStory as sendStoryAs,
  startWorker,
  unique,
  type Worker,
} from './test/harness';
import { focused, tabTo } from './test/keyboard';

let worker: Worker;
let browser: Browser;
beforeAll(async () => {
  worker = await startWorker();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/** A story as the widget sends it; returns its id and receipt page. */
async function sendStory(story: string, rating = 2) {
  const res = await sendStoryAs(worker, { story, rating });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; receipt_url: string };
}

/** The newest sign-in link among the emails wrangler dev has written. */
async function newestLink(): Promise<string> {
  for (let tries = 0; tries < 40; tries++) {
    // The same reading of an email that `npm start` prints the links from.
    const links = (await Promise.all(worker.emails().map((raw) => signInLinks(raw)))).flat();
    if (links.length) return links.at(-1) as string;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('No sign-in email arrived');
}

async function expectNoAxeViolations(page: Page, state: string) {
  expect(await axeViolations(page), state).toEqual([]);
}

/** Types into the focused field, as a person would. */
async function typeHere(page: Page, text: string) {
  await page.keyboard.type(text);
}

/** Signs in by keyboard: the address, the emailed link, the Sign in button. */
async function signIn(page: Page) {
  await page.goto(`${worker.origin}/console`);
  expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  await tabTo(page, (el) => el.id === 'email');
  await typeHere(page, DEMO_MEMBER);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/console\/sign-in$/);
  await expect(page.locator('h1').textContent()).resolves.toBe('Check your email');
  await page.goto(await newestLink());
  await tabTo(page, (el) => el.text === 'Sign in');
  await Promise.all([page.waitForURL(/\/console\/stories$/), page.keyboard.press('Enter')]);
}

describe('the department console', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('takes a member from the emailed link to an answered story, a CSV and a dead cookie, by keyboard alone', async () => {
    const mark = unique();
    const story = await sendStory(`The crew skipped our road ${mark} again.`, 1);
    await sendStory(`Lovely crew, thank you ${unique()}.`, 5);
    await signIn(page);

    // Filter: the lowest ratings only.
    await tabTo(page, (el) => el.id === 'rating_max', 60);
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).value).toBe('1');
    await tabTo(page, (el) => el.text === 'Apply filters', 60);
    await Promise.all([page.waitForURL(/rating_max=1/), page.keyboard.press('Enter')]);
    const rows = page.locator('tbody tr');
    expect(await rows.allTextContents()).toEqual([expect.stringContaining(mark)]);

    // Open the story, answer it: we changed something.
    await tabTo(page, (el) => el.tag === 'a' && (el.text ?? '').includes(mark), 80);
    await Promise.all([
      page.waitForURL(new RegExp(`/console/stories/${story.id}$`)),
      page.keyboard.press('Enter'),
    ]);
    await tabTo(page, (el) => el.id === 'text', 60);
    await typeHere(page, `Sorry: we have spoken to the crew (${mark}).`);
    await tabTo(page, (el) => el.id === 'changed');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.id === 'change');
    await typeHere(page, 'Crews now check the whole road before leaving.');
    await tabTo(page, (el) => el.text === 'Send answer');
    await Promise.all([page.waitForURL(/done=answered/), page.keyboard.press('Enter')]);
    await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
      'saved',
    );
    await expect(page.locator('main').textContent()).resolves.toContain('new to answered');

    // The citizen's receipt shows the answer and what changed.
    const receipt = await context.newPage();
    await receipt.goto(story.receipt_url);
    const text = await receipt.locator('body').textContent();
    expect(text).toContain(`Sorry: we have spoken to the crew (${mark}).`);
    expect(text).toContain('Crews now check the whole road before leaving.');
    await receipt.close();

    // Export the list's filter as CSV, and read it back.
    await page.goto(`${worker.origin}/console/stories?rating_max=1`);
    await tabTo(page, (el) => el.text === 'Download these stories as CSV', 60);
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const csv = await new Response((await download.createReadStream()) as unknown as ReadableStream).text();
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    // One story, then the record that says the file is complete.
    expect(records.map((r) => r.id)).toEqual([story.id, 'end of export: 1 story']);
    expect(records[0]).toMatchObject({ status: 'answered', rating: '1' });

    // Sign out; the cookie the browser had is dead on the server too.
    const [cookie] = await context.cookies(`${worker.origin}/console`);
    expect(cookie).toMatchObject({
      name: 'tellus_console',
      path: '/console',
      httpOnly: true,
      sameSite: 'Strict',
    });
    await tabTo(page, (el) => (el.text ?? '').startsWith('Sign out'), 60);
    await Promise.all([page.waitForURL(/signed-out/), page.keyboard.press('Enter')]);
    await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
      'signed out',
    );
    const replayed = await fetch(`${worker.origin}/console/stories`, {
      headers: { Cookie: `${cookie?.name}=${cookie?.value}` },
      redirect: 'manual',
    });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('Location')).toBe('/console/sign-in');
  });

  it('has nothing for axe to find on any page, error states included', async () => {
    const { id } = await sendStory(`Please help, I am scared ${unique()}.`, 1);
    const checked: string[] = [];
    const check = async (state: string) => {
      await expectNoAxeViolations(page, state);
      checked.push(state);
    };

    await page.goto(`${worker.origin}/console/sign-in`);
    await check('sign-in');
    // GOV.UK Frontend's styles, our build of them, from our own origin, versioned and kept a year.
    const css = await page.locator('link[rel=stylesheet]').getAttribute('href');
    expect(css).toMatch(/^\/console\/assets\/console\.[0-9a-f]{12}\.css$/);
    const sheet = await fetch(`${worker.origin}${css}`);
    expect(sheet.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(await sheet.text()).not.toMatch(/GDS Transport|crest|crown/i);
    await page.locator('#email').fill('not an address');
    await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
    await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(1);
    await check('sign-in with an error');
    await page.locator('#email').fill(DEMO_MEMBER);
    await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
    await check('check your email');
    const link = await newestLink();
    await page.goto(link);
    await check('the link, asking to sign in');
    await Promise.all([page.waitForURL(/\/console\/stories$/), page.locator('button[type=submit]').click()]);
    await check('stories, with an urgent one flagged');
    await page.goto(link);
    await check('a used link');

    await page.goto(`${worker.origin}/console/stories?since=2026-13-45`);
    await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(1);
    await check('stories with a filter error');
    await page.goto(`${worker.origin}/console/stories/${id}`);
    await check('one story');
    await page.locator('#changed').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send answer' }).click()]);
    await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(1);
    await check('one story with answer errors');
    await page.goto(`${worker.origin}/console/summary`);
    await check('summary');
    await page.goto(`${worker.origin}/console/subscriptions`);
    await check('subscriptions');
    await page.locator('#target').fill('not a url');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Add subscription' }).click(),
    ]);
    await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(1);
    await check('subscriptions with an error');
    await page.goto(`${worker.origin}/console/no-such-page`);
    await check('page not found');
    await page.goto(`${worker.origin}/console/stories/${id}`);
    await page.locator('form[action$="/answers"] input[name=csrf]').evaluate((input) => {
      (input as HTMLInputElement).value = 'forged';
    });
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send answer' }).click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe('This form was not accepted');
    await check('a form that was not accepted');
    expect(checked).toHaveLength(14);
  });
});
