// A department sets itself up, by keyboard alone in Debian's Chromium: from the operator's first
// admin to a story arriving from the department's own site (a second local server), with no one
// running a command; then the service page shows where the widget was seen, and a story sent from
// the preview is a test that is neither delivered nor counted.

import type { Browser, Page } from 'playwright-core';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInLinks } from '../scripts/sign-in-links';
import {
  axeViolations,
  launchChromium,
  OPERATOR_TOKEN,
  startHostSite,
  startWorker,
  unique,
  type Worker,
} from './test/harness';
import { focused, tabTo } from './test/keyboard';

const ADMIN = 'parks-admin@anytown.example.gov.uk';
const ALERTS = 'parks-alerts@anytown.example.gov.uk';
const SERVICE = 'book-a-pitch';

let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;
/** What the department's own site serves at /book: its page, with the tag pasted from the console. */
let pasted = '';

beforeAll(async () => {
  worker = await startWorker();
  site = await startHostSite({
    '/book': () =>
      `<!doctype html><html lang="en"><head><title>Book a pitch</title></head><body><main><h1>Book a pitch</h1><p>Your pitch is booked.</p>${pasted}</main></body></html>`,
  });
  browser = await launchChromium();
  // What an operator does, and all they do: the department, its first admin, where alerts go.
  await operator('POST', '/departments', {
    id: 'parks',
    name: 'Parks and Open Spaces',
    contact_email: 'parks@anytown.example.gov.uk',
  });
  await operator('POST', '/departments/parks/members', { email: ADMIN });
  await operator('POST', '/subscriptions', { department_id: 'parks', kind: 'email', target: ALERTS });
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await worker?.stop();
});

async function operator(method: string, path: string, body: unknown) {
  const res = await fetch(`${worker.origin}/v1/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBe(201);
  return res.json();
}

/** The newest sign-in link wrangler dev has written to an email. */
async function newestLink(): Promise<string> {
  for (let tries = 0; tries < 40; tries++) {
    const links = (await Promise.all(worker.emails().map((raw) => signInLinks(raw)))).flat();
    if (links.length) return links.at(-1) as string;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('No sign-in email arrived');
}

const press = (page: Page, key: string, url: RegExp) =>
  Promise.all([page.waitForURL(url), page.keyboard.press(key)]);

async function expectNoAxeViolations(page: Page, state: string) {
  expect(await axeViolations(page), state).toEqual([]);
}

/** Rates and tells a story in the widget on the page, by keyboard, and waits for the thanks. */
async function tellStory(page: Page, story: string) {
  await tabTo(page, (el) => el.name === 'rating', 40);
  await page.keyboard.press('ArrowDown');
  await tabTo(page, (el) => el.id === 'story');
  await page.keyboard.type(story);
  await tabTo(page, (el) => el.tag === 'button' && el.text === 'Send feedback');
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.locator('[data-tellus] .panel h3').textContent(), { timeout: 15_000 })
    .toBe('Thank you for your feedback');
}

/** The emails whose text mentions `mark`. */
async function alertsAbout(mark: string) {
  const texts = await Promise.all(
    worker.emails().map(async (raw) => (await PostalMime.parse(raw)).text ?? ''),
  );
  return texts.filter((text) => text.includes(mark));
}

describe('a department setting itself up', () => {
  it('goes from its first admin to a story from its own site, by keyboard alone', async () => {
    const page = await browser.newPage();

    // Sign in with the emailed link.
    await page.goto(`${worker.origin}/console/sign-in`);
    await tabTo(page, (el) => el.id === 'email');
    await page.keyboard.type(ADMIN);
    await press(page, 'Enter', /\/console\/sign-in$/);
    await page.goto(await newestLink());
    await tabTo(page, (el) => el.text === 'Sign in');
    await press(page, 'Enter', /\/console\/stories$/);

    // Services → Add a service: its id, name and the department's own site.
    await tabTo(page, (el) => el.text === 'Services');
    await press(page, 'Enter', /\/console\/services$/);
    await expectNoAxeViolations(page, 'services, none yet');
    await tabTo(page, (el) => el.text === 'Add a service', 40);
    await press(page, 'Enter', /\/console\/services\/new$/);
    await expectNoAxeViolations(page, 'add a service');
    await tabTo(page, (el) => el.id === 'id', 40);
    await page.keyboard.type(SERVICE);
    await tabTo(page, (el) => el.id === 'name');
    await page.keyboard.type('Book a pitch');
    await tabTo(page, (el) => el.id === 'origins');
    await page.keyboard.type(`${site.origin}/book`);
    await tabTo(page, (el) => el.text === 'Add the service', 60);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    // A page's address is not a site's origin: the error summary says so and links to the box.
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('/book');
    await expectNoAxeViolations(page, 'add a service, with an error');
    await tabTo(page, (el) => el.tag === 'a' && (el.text ?? '').includes('/book'));
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('origins');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(site.origin);
    await tabTo(page, (el) => el.text === 'Add the service', 60);
    await press(page, 'Enter', new RegExp(`/console/services/${SERVICE}(\\?|$)`));
    await expectNoAxeViolations(page, 'the service');
    expect(await page.locator('main').textContent()).toContain('Not seen yet');

    // Get the code, and paste the inline tag into the site's page.
    await tabTo(page, (el) => el.text === 'Get the code to add the widget', 60);
    await press(page, 'Enter', new RegExp(`/console/services/${SERVICE}/embed$`));
    await expectNoAxeViolations(page, 'the embed code');
    // Select the inline tag's text, as a person copying it would, and take what is selected.
    await tabTo(page, (el) => el.id === 'tag-inline', 40);
    await page.keyboard.press('Control+A');
    pasted = await page.evaluate(() => {
      const box = document.activeElement as HTMLTextAreaElement;
      return box.value.slice(box.selectionStart, box.selectionEnd);
    });
    expect(pasted).toMatch(/integrity="sha384-/);
    expect(pasted).toContain(`data-service="${SERVICE}"`);

    // A citizen on the department's own site tells their story; the department's alert arrives.
    const citizen = await browser.newPage();
    await citizen.goto(`${site.origin}/book`);
    const mark = unique();
    await tellStory(citizen, `The booking page was quick and clear ${mark}.`);
    const rows = await worker.query(`SELECT test FROM feedback WHERE service_id = '${SERVICE}'`);
    expect(rows).toEqual([{ test: 0 }]);
    await expect.poll(async () => (await alertsAbout(mark)).length, { timeout: 15_000 }).toBe(1);
    await citizen.close();

    // The service page now shows the site as live.
    await page.goto(`${worker.origin}/console/services/${SERVICE}`);
    expect(await page.locator('main').textContent()).toContain(`Last seen on ${site.origin}`);

    // The preview: a story sent from it is a test, never delivered, and not counted.
    await tabTo(page, (el) => el.text === 'Preview the widget', 60);
    await press(page, 'Enter', new RegExp(`/console/services/${SERVICE}/preview`));
    const testMark = unique();
    await tellStory(page, `Just trying the preview ${testMark}.`);
    const tests = await worker.query<{ id: string; test: number }>(
      `SELECT id, test FROM feedback WHERE story LIKE '%${testMark}%'`,
    );
    expect(tests).toEqual([{ id: expect.any(String), test: 1 }]);
    expect(await worker.query(`SELECT id FROM deliveries WHERE feedback_id = '${tests[0]?.id}'`)).toEqual([]);
    // Counted: the citizen's story only.
    await page.goto(`${worker.origin}/console/summary`);
    const section = page.locator('section', { has: page.locator('h2', { hasText: 'Book a pitch' }) });
    expect(await section.locator('.govuk-summary-list__row').first().textContent()).toMatch(/Stories\s*1$/);
    // The citizen's alert came within seconds; the test's never does.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await alertsAbout(testMark)).toEqual([]);
    await page.close();
  });
});
