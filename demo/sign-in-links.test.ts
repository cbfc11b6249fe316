// `npm start` prints the console sign-in link of each email wrangler dev writes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { printSignInLinks } from '../scripts/sign-in-links';

const dir = mkdtempSync(join(tmpdir(), 'tellus-eml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINK = 'http://localhost:8787/console/sign-in/W7bm1XrAi0BDJs-8FlaqRQ93rmgt2o65UtNV5NzW5eAw';
const EMAIL = [
  'From: Tellus feedback <tellus@feedback.example.gov.uk>',
  'To: demo-team@example.org',
  'Subject: Sign in to the Tellus console',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=UTF-8',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from(`Use this link to sign in.\n\nAnytown Waste:\n${LINK}\n`).toString('base64'),
  '',
].join('\r\n');

it('prints the link of an email that wrangler dev says it wrote, and nothing for other lines', async () => {
  const file = join(dir, 'message.eml');
  writeFileSync(file, EMAIL);
  const printed: string[] = [];
  await printSignInLinks(`Email: ${file}`, (text) => printed.push(text));
  await printSignInLinks('[wrangler:info] GET /console 303 See Other', (text) => printed.push(text));
  expect(printed).toEqual([`[console] Sign-in link (open it within 15 minutes): ${LINK}`]);
});
