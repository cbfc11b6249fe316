// The console in a browser test: the emails wrangler dev writes to one address, signing in with
// their link by keyboard, and pressing a key that submits a form.
import type { Page } from 'playwright-core';
import PostalMime from 'postal-mime';
import { signInLinks } from '../../scripts/sign-in-links';
import type { Worker } from './harness';
import { tabTo } from './keyboard';

/** An email as a test reads it: who it went to, its subject and its text. */
export interface ReadEmail {
  to: string[];
  subject: string;
  text: string;
  links: string[];
}

async function readEmail(raw: string): Promise<ReadEmail> {
  const email = await PostalMime.parse(raw);
  return {
    to: (email.to ?? []).map((to) => to.address ?? ''),
    subject: email.subject ?? '',
    text: email.text ?? '',
    // The same reading of an email that `npm start` prints the links from.
    links: await signInLinks(raw),
  };
}

/** The newest email to `address` with a sign-in link and more than `after` before it, once it arrives. */
export async function emailTo(worker: Worker, address: string, after = 0): Promise<ReadEmail> {
  for (let tries = 0; tries < 60; tries++) {
    const emails = await Promise.all(worker.emails().map(readEmail));
    const theirs = emails.filter((email) => email.to.includes(address) && email.links.length);
    if (theirs.length > after) return theirs.at(-1) as ReadEmail;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`No email with a sign-in link arrived for ${address}`);
}

/** How many emails with a sign-in link `address` has had so far. */
export async function emailsTo(worker: Worker, address: string): Promise<number> {
  const emails = await Promise.all(worker.emails().map(readEmail));
  return emails.filter((email) => email.to.includes(address) && email.links.length).length;
}

/**
 * Presses Enter on the focused link or button and waits for the page it leads to (at `url`, when
 * given): the next navigation, so a page at the same URL as the last one is waited for too.
 */
export async function pressEnterFor(page: Page, url?: RegExp) {
  await Promise.all([page.waitForNavigation(url ? { url } : {}), page.keyboard.press('Enter')]);
}

/** Opens an emailed sign-in link and signs in with its button, by keyboard. */
export async function signInWithLink(page: Page, link: string) {
  await page.goto(link);
  await tabTo(page, (el) => el.text === 'Sign in');
  await Promise.all([page.waitForURL(/\/console\/stories$/), page.keyboard.press('Enter')]);
}

/** Signs `email` in by keyboard: the address on the sign-in page, then the emailed link. */
export async function signIn(worker: Worker, page: Page, email: string) {
  const before = await emailsTo(worker, email);
  await page.goto(`${worker.origin}/console/sign-in`);
  await tabTo(page, (el) => el.id === 'email');
  await page.keyboard.type(email);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const { links } = await emailTo(worker, email, before);
  await signInWithLink(page, links.at(-1) as string);
}
