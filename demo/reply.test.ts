// Answering by replying to the alert, end to end: a citizen sends a story in Chromium, its alert
// email arrives, `npm run tellus -- reply` answers it through wrangler dev's email() endpoint, and
// the answer shows on the citizen's receipt and reaches the department's webhook, verified.
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboxStory, startInbox } from '../scripts/inbox.ts';
import { newestAlert } from '../scripts/reply.ts';
import { DEMO_EMAIL, DEMO_MEMBER } from '../scripts/seed.ts';
import {
  launchChromium,
  runTellus,
  startHostSite,
  startWorker,
  unique,
  type Worker,
  waitFor,
} from './test/harness';

const INBOX_SECRET = `whsec_${Buffer.from('reply-tests-secret-of-32-bytes!!').toString('base64')}`;
let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;
let inbox: Awaited<ReturnType<typeof startInbox>>;
const events: InboxStory[] = [];

beforeAll(async () => {
  inbox = await startInbox({ port: 0, secret: INBOX_SECRET, onStory: (event) => events.push(event) });
  site = await startHostSite({
    '/report': () => `<!doctype html><html lang="en"><head><title>Report a missed bin</title></head>
<body><main><h1>Report a missed bin</h1>
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" async></script>
</main></body></html>`,
  });
  [worker, browser] = await Promise.all([
    startWorker([site.origin], { webhook: { url: inbox.url, secret: INBOX_SECRET }, email: DEMO_EMAIL }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await site?.stop();
  await inbox?.close();
});

/** The documented command, run as a person would run it against this worker. */
const tellus = (...args: string[]) => runTellus(worker, ...args);

/** The .eml file of the alert about `story`, once wrangler dev has written it. */
async function alertAbout(story: string) {
  return waitFor(async () => {
    for (const file of worker.emailFiles()) {
      const email = await PostalMime.parse(readFileSync(file, 'utf8'));
      if (email.text?.includes(story)) return { file, email };
    }
    return undefined;
  }, 15_000);
}

describe('npm run tellus -- reply', () => {
  it('answers a citizen’s story from its alert email: the receipt shows it and feedback.answered arrives verified', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/report`);
    const story = `The bin on Heol y Felin was missed again ${unique()}`;
    await page.locator('[data-tellus] input[value="2"]').check();
    await page.locator('[data-tellus] textarea').fill(story);
    await page.locator('[data-tellus] button[type=submit]').click();
    const receipt = (await page.locator('[data-tellus] #thanks a').getAttribute('href')) as string;

    const alert = await alertAbout(story);
    expect(alert.email.to?.[0]?.address).toBe(DEMO_EMAIL);
    expect(alert.email.replyTo?.[0]).toMatchObject({
      address: expect.stringMatching(/^reply\+[0-9a-f]{56}@/),
    });

    const answer = `Sorry: the crew has been back and emptied it ${unique()}`;
    const change = 'Crews now check the whole street before marking a round done';
    const stranger = await tellus('reply', '--eml', alert.file, '--from', 'someone@elsewhere.example.org');
    expect(stranger.code).toBe(1);
    expect(stranger.out).toContain(
      'The reply was refused: someone@elsewhere.example.org is not a member of Anytown Borough Council: Waste and Recycling',
    );

    const replied = await tellus('reply', '--eml', alert.file, '--text', answer, '--changed', change);
    expect(replied.out).toContain('the story is answered');
    expect(replied.code).toBe(0);

    await page.goto(receipt);
    await expect.poll(() => page.locator('body').textContent()).toContain(answer);
    expect(await page.locator('body').textContent()).toContain(change);

    const answered = await waitFor(() => events.find((event) => event.type === 'feedback.answered'));
    expect(answered.data).toMatchObject({ story, answer: { text: answer, changed: true, change } });
    const [history] = await worker.query<{ by: string }>(
      `SELECT by FROM status_changes WHERE to_status = 'answered'`,
    );
    expect(history?.by).toBe(`${DEMO_MEMBER}, by email`);
    const confirmation = await waitFor(async () => {
      const emails = await Promise.all(worker.emails().map((raw) => PostalMime.parse(raw)));
      return emails.find((email) => email.subject?.startsWith('Your answer is published'));
    });
    expect(confirmation.to?.[0]?.address).toBe(DEMO_MEMBER);
    expect(confirmation.text).toContain(answer);
    await page.close();
  });

  it('finds the newest alert among the emails wrangler dev wrote, passing over other emails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tellus-eml-'));
    const write = (name: string, raw: string, secondsAgo: number) => {
      const file = join(dir, name);
      writeFileSync(file, raw);
      const at = new Date(Date.now() - secondsAgo * 1000);
      utimesSync(file, at, at);
      return file;
    };
    const alert = (id: string) =>
      `From: t@f.example\r\nReply-To: <reply+${id}@f.example>\r\nSubject: A\r\n\r\nA story`;
    write('older-alert.eml', alert('a'.repeat(56)), 60);
    const newest = write('newer-alert.eml', alert('b'.repeat(56)), 30);
    write('sign-in.eml', 'From: t@f.example\r\nSubject: Sign in to the Tellus console\r\n\r\nA link', 1);
    expect(newestAlert(dir)).toBe(newest);
    expect(newestAlert(join(dir, 'none'))).toBeUndefined();
  });
});
