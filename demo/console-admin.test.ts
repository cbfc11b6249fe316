// The console's admin pages in Debian's Chromium, by keyboard alone: the demo department's admin
// invites a colleague, changes their role and removes them, cannot leave the team without an admin,
// creates an API key that works and then revokes it, and reads it all in the audit log. axe-core
// checks every page and every error state on the way.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBER, DEMO_SERVICE } from '../scripts/seed';
import { emailTo, pressEnterFor, signIn, signInWithLink } from './test/console-session';
import { axeViolations, launchChromium, startWorker, unique, type Worker } from './test/harness';
import { focused, tabTo } from './test/keyboard';

const DEPARTMENT = 'Anytown Borough Council: Waste and Recycling';
const ADMIN_SECTIONS = ['Services', 'Subscriptions', 'Team', 'API keys', 'Audit log'];

let worker: Worker;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
beforeAll(async () => {
  [worker, browser] = await Promise.all([startWorker(), launchChromium()]);
  admin = await browser.newContext();
  page = await admin.newPage();
  await signIn(worker, page, DEMO_MEMBER);
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

async function expectNoAxeViolations(on: Page, state: string) {
  expect(await axeViolations(on), state).toEqual([]);
}

const textOf = async (on: Page, selector: string) =>
  ((await on.locator(selector).textContent()) ?? '').trim();
const navigation = (on: Page) => on.locator('.govuk-service-navigation__link').allTextContents();
/** The team table's row of `email`, as its cells' text. */
const rowOf = (email: string) =>
  page.locator('#your-team tbody tr', { hasText: email }).locator('td').allTextContents();
/** A focused control whose words (its visually hidden ones too) start with `words` and name `who`. */
const control = (words: string, who: string) => (el: Awaited<ReturnType<typeof focused>>) =>
  (el.text ?? '').startsWith(words) && (el.text ?? '').includes(who);

/** Goes to a section of the console from its navigation, by keyboard. */
async function openSection(name: string, path: RegExp) {
  await tabTo(page, (el) => el.tag === 'a' && el.text === name);
  await pressEnterFor(page, path);
}

describe('the console for a department’s admin', () => {
  const colleague = `colleague-${unique()}@example.org`;
  let colleagues: BrowserContext;
  let theirPage: Page;
  const label = `Case system ${unique()}`;
  let key = '';

  afterAll(async () => {
    await colleagues?.close();
  });

  it('invites a colleague as a member, who signs in with the emailed link and is kept out of the admins’ pages', async () => {
    await openSection('Team', /\/console\/team$/);
    await expectNoAxeViolations(page, 'team');

    // A bad address: the error summary says so, and its link takes focus to the field.
    await tabTo(page, (el) => el.id === 'email', 60);
    await page.keyboard.type('not an address');
    await tabTo(page, (el) => el.text === 'Send invitation');
    await pressEnterFor(page);
    expect(await textOf(page, '.govuk-error-summary')).toContain(
      'Enter an email address in the correct format',
    );
    expect(await page.title()).toMatch(/^Error: /);
    await expectNoAxeViolations(page, 'team with an invitation error');
    await tabTo(page, (el) => el.tag === 'a' && (el.text ?? '').startsWith('Enter an email address'));
    await page.keyboard.press('Enter');
    await expect(focused(page)).resolves.toMatchObject({ id: 'email', value: 'not an address' });

    // The good address, as a member (the role already chosen).
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(colleague);
    await tabTo(page, (el) => el.id === 'role');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.text === 'Send invitation');
    await pressEnterFor(page, /\/console\/team\?done=invited$/);
    expect(await textOf(page, '.govuk-notification-banner--success')).toContain('The invitation was sent');
    expect(await rowOf(colleague)).toEqual([colleague, 'Member', 'Never', DEMO_MEMBER, expect.any(String)]);
    await expectNoAxeViolations(page, 'team, invitation sent');

    // The invitation names who invited them and to which department.
    const invitation = await emailTo(worker, colleague);
    expect(invitation.subject).toBe(`You are invited to the Tellus console of ${DEPARTMENT}`);
    expect(invitation.text).toContain(`${DEMO_MEMBER} invited you to the Tellus console of ${DEPARTMENT}`);

    // The colleague, in a browser of their own: stories, and no admin sections.
    colleagues = await browser.newContext();
    theirPage = await colleagues.newPage();
    await signInWithLink(theirPage, invitation.links[0] as string);
    expect(await navigation(theirPage)).toEqual(['Stories', 'Summary']);
    const refused = await theirPage.goto(`${worker.origin}/console/team`);
    expect(refused?.status()).toBe(403);
    expect(await textOf(theirPage, 'h1')).toBe('Only your department’s admins can do this');
    await expectNoAxeViolations(theirPage, 'a member at an admins’ page');
  });

  it('makes the colleague an admin and a member again, removes them after a question, and keeps its last admin', async () => {
    await page.goto(`${worker.origin}/console/team`);
    await tabTo(page, control('Make admin', colleague), 60);
    await pressEnterFor(page, /done=role-changed$/);
    expect((await rowOf(colleague))[1]).toBe('Admin');
    await tabTo(page, control('Make member', colleague), 60);
    await pressEnterFor(page, /done=role-changed$/);
    expect((await rowOf(colleague))[1]).toBe('Member');

    await tabTo(page, control('Remove', colleague), 60);
    await pressEnterFor(page, /\/console\/team\/[\w-]+\/remove$/);
    expect(await textOf(page, 'h1')).toBe(`Remove ${colleague} from the team?`);
    await expectNoAxeViolations(page, 'the question before removing');
    await tabTo(page, control('Remove', colleague));
    await pressEnterFor(page, /\/console\/team\?done=removed$/);
    expect(await rowOf(colleague)).toEqual([]);
    await expectNoAxeViolations(page, 'team, colleague removed');

    // Their session ended with their membership: the next page they load is sign-in.
    await theirPage.reload();
    expect(new URL(theirPage.url()).pathname).toBe('/console/sign-in');

    // The demo admin is now the team's only admin member: they can neither demote nor remove themselves.
    await tabTo(page, control('Make member', DEMO_MEMBER), 60);
    await pressEnterFor(page, /\/console\/team\/[\w-]+\/role$/);
    expect(await textOf(page, '.govuk-error-summary')).toContain(
      `${DEMO_MEMBER} is your team’s last admin, so stays an admin`,
    );
    await expectNoAxeViolations(page, 'team, refusing to demote the last admin');
    await tabTo(page, control('Remove', DEMO_MEMBER), 60);
    await pressEnterFor(page, /\/remove$/);
    expect(await textOf(page, 'h1')).toBe('Remove yourself from the team?');
    await tabTo(page, control('Remove yourself', ''));
    await pressEnterFor(page);
    expect(new URL(page.url()).pathname).toMatch(/\/remove$/);
    expect(await textOf(page, '.govuk-error-summary')).toContain(
      `${DEMO_MEMBER} is your team’s last admin, so cannot be removed`,
    );
    await expectNoAxeViolations(page, 'team, refusing to remove the last admin');
    await page.goto(`${worker.origin}/console/team`);
    expect((await rowOf(`${DEMO_MEMBER} (you)`))[1]).toBe('Admin');
    expect(await navigation(page)).toEqual(['Stories', 'Summary', ...ADMIN_SECTIONS]);
  });

  it('creates an API key shown once that reads stories, then revokes it after a question', async () => {
    await openSection('API keys', /\/console\/keys$/);
    await expectNoAxeViolations(page, 'API keys');

    // A label but nothing the key may do: refused, and said so.
    await tabTo(page, (el) => el.id === 'label', 60);
    await page.keyboard.type(label);
    await tabTo(page, (el) => el.text === 'Create key');
    await pressEnterFor(page);
    expect(await textOf(page, '.govuk-error-summary')).toContain('Choose what the key may do');
    await expectNoAxeViolations(page, 'API keys with an error');
    await tabTo(page, (el) => el.tag === 'a' && (el.text ?? '').startsWith('Choose what the key may do'));
    await page.keyboard.press('Enter');
    await expect(focused(page)).resolves.toMatchObject({ id: 'scopes', name: 'scope-read' });
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.text === 'Create key');
    await pressEnterFor(page);

    key = await textOf(page, '#key');
    expect(key).not.toBe('');
    expect(await textOf(page, '.govuk-notification-banner--success')).toContain(
      `Copy the key “${label}” now`,
    );
    await expectNoAxeViolations(page, 'a new key, shown once');

    const read = () => fetch(`${worker.origin}/v1/feedback`, { headers: { Authorization: `Bearer ${key}` } });
    expect((await read()).status).toBe(200);

    await page.goto(`${worker.origin}/console/keys`);
    expect(await page.content()).not.toContain(key);
    const row = page.locator('#your-keys tbody tr', { hasText: label }).locator('td');
    expect(await row.allTextContents()).toEqual([
      label,
      'Read stories',
      expect.any(String),
      expect.stringMatching(/^\d/),
      expect.stringContaining('Live'),
    ]);

    await tabTo(page, control('Revoke', label), 60);
    await pressEnterFor(page, /\/console\/keys\/[\w-]+\/revoke$/);
    expect(await textOf(page, 'h1')).toBe(`Revoke the key “${label}”?`);
    await expectNoAxeViolations(page, 'the question before revoking');
    await tabTo(page, (el) => el.text === 'Revoke the key');
    await pressEnterFor(page, /\/console\/keys\?done=revoked$/);
    expect((await row.allTextContents())[4]).toMatch(/^Revoked /);
    await expectNoAxeViolations(page, 'API keys, one revoked');
    expect((await read()).status).toBe(401);
  });

  it('shows these changes in the audit log, newest first, with the admin’s address', async () => {
    await openSection('Audit log', /\/console\/audit$/);
    const rows = page.locator('tbody tr');
    const whats = await rows.locator('td:nth-child(3)').allTextContents();
    // These and no more: the refusals left nothing.
    const keyId = whats[1]?.match(/\((key_\w+)\)$/)?.[1];
    expect(whats).toEqual([
      `Revoked API key “${label}” (${keyId})`,
      `Created API key “${label}” (${keyId})`,
      `Removed ${colleague} from the team`,
      `Changed the role of ${colleague} from admin to member`,
      `Changed the role of ${colleague} from member to admin`,
      `Invited ${colleague} to the team`,
    ]);
    expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(whats.map(() => DEMO_MEMBER));
    expect(await page.content()).not.toContain(key);
    await expectNoAxeViolations(page, 'audit log');
  });

  it('has nothing for axe to find on the embed code and subscriptions pages', async () => {
    await page.goto(`${worker.origin}/console/services/${DEMO_SERVICE}/embed`);
    expect(await textOf(page, 'h1')).toBe('Embed code');
    await expectNoAxeViolations(page, 'embed code');
    await openSection('Subscriptions', /\/console\/subscriptions$/);
    await expectNoAxeViolations(page, 'subscriptions');
  });
});
