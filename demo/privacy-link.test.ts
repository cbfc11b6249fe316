// The privacy link in a real browser: a service registers its privacy notice through the operator
// API, and the widget links to it under the form, in English and in Welsh.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, OPERATOR_TOKEN, startHostSite, startWorker, type Worker } from './test/harness';

let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;
const PRIVACY = 'https://www.anytown.example.gov.uk/privacy/missed-bins';

const pageIn = (lang: string) => () =>
  `<!doctype html><html lang="${lang}"><head><title>Missed bins</title></head><body><main>
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" async></script>
</main></body></html>`;

beforeAll(async () => {
  site = await startHostSite({ '/': pageIn('en'), '/cy': pageIn('cy') });
  [worker, browser] = await Promise.all([startWorker([site.origin]), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await site?.stop();
});

async function setPrivacyLink(privacyUrl: string | null) {
  const res = await fetch(`${worker.origin}/v1/admin/services/missed-bin-collection`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ privacy_url: privacyUrl }),
  });
  expect(res.status).toBe(200);
}

/** The widget's links under the form on the page at `path` in `lang`, by their words and where they go. */
async function linksOn(path: string, lang = 'en') {
  const page = await browser.newPage();
  await page.goto(`${site.origin}${path}`);
  await page.locator(`[data-tellus] section[lang="${lang}"] form`).waitFor();
  const links = await page
    .locator('[data-tellus] section > p > a')
    .evaluateAll((found) => found.map((a) => [a.textContent, a.getAttribute('href')]));
  await page.close();
  return links;
}

describe('the privacy link', () => {
  it('is there only once the service has a privacy notice, in English and in Welsh', async () => {
    await setPrivacyLink(null);
    expect(await linksOn('/')).toEqual([]);

    await setPrivacyLink(PRIVACY);
    expect(await linksOn('/')).toEqual([['How we use your feedback', PRIVACY]]);
    expect(await linksOn('/cy', 'cy')).toEqual([['Sut rydym yn defnyddio eich adborth', PRIVACY]]);
  });
});
