// The whole path in a real browser: a page embeds the script tag, a citizen uses the widget with
// the keyboard alone, and the story lands in D1.
import type { Browser } from 'playwright-core';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboxStory, startInbox } from '../scripts/inbox.ts';
import {
  axeViolations,
  launchChromium,
  startHostSite,
  startWorker,
  unique,
  type Worker,
  waitFor,
} from './test/harness';
import { focused, tabTo } from './test/keyboard';

let worker: Worker;
let browser: Browser;
let councilSite: Awaited<ReturnType<typeof startHostSite>>;
let unregisteredSite: Awaited<ReturnType<typeof startHostSite>>;
let inbox: Awaited<ReturnType<typeof startInbox>>;
const inboxStories: InboxStory[] = [];
const INBOX_SECRET = 'whsec_ZGVtby1pbmJveC1zZWNyZXQtZm9yLWJyb3dzZXItdGVzdHM=';
const DEPARTMENT_EMAIL = 'waste-team@anytown.example.gov.uk';

const embedPage = (title: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title>
<style>label, legend, button { font-family: Georgia; text-transform: uppercase; color: purple }</style></head>
<body><main><h1>${title}</h1><a href="/">A link before the widget</a>
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" async></script>
</main></body></html>`;

const mountByHandPage = () => `<!doctype html><html lang="cy"><head><title>Mounted by hand</title>
<script src="${worker.origin}/v1/widget.js" defer></script>
<script type="module">Tellus.mount(document.getElementById('feedback'), { service: 'missed-bin-collection', lang: 'en' })</script>
</head><body><main><h1>Mounted by hand</h1><div id="feedback"></div></main></body></html>`;

beforeAll(async () => {
  councilSite = await startHostSite({
    '/': () => embedPage('Anytown council, on its own web server'),
    '/by-hand': mountByHandPage,
  });
  unregisteredSite = await startHostSite({ '/': () => embedPage('A site the service never registered') });
  inbox = await startInbox({ port: 0, secret: INBOX_SECRET, onStory: (story) => inboxStories.push(story) });
  [worker, browser] = await Promise.all([
    startWorker([councilSite.origin], {
      webhook: { url: inbox.url, secret: INBOX_SECRET },
      email: DEPARTMENT_EMAIL,
    }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await councilSite?.stop();
  await unregisteredSite?.stop();
  await inbox?.close();
});

/** A string as an SQL literal. */
const sql = (value: string) => `'${value.replaceAll("'", "''")}'`;

async function openPage(url: string) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.locator('[data-tellus] form').waitFor();
  return { page, errors };
}

describe('the demo page', () => {
  it('renders the widget in a shadow root, takes a story by keyboard alone, and stores it in D1', async () => {
    const { page, errors } = await openPage(`${worker.origin}/`);

    const placement = await page.evaluate(() => {
      const host = document.querySelector('[data-tellus]');
      const script = document.querySelector('script[data-service]');
      return {
        afterScript: script?.nextElementSibling === host,
        shadowForm: Boolean(host?.shadowRoot?.querySelector('form')),
        lightForm: Boolean(document.querySelector('form')),
        legend: host?.shadowRoot?.querySelector('fieldset legend')?.textContent,
        labels: [...(host?.shadowRoot?.querySelectorAll('input[type=radio] + label') ?? [])].map(
          (l) => l.textContent,
        ),
      };
    });
    expect(placement).toEqual({
      afterScript: true,
      shadowForm: true,
      lightForm: false,
      legend: 'How was your experience of this service?',
      labels: ['Very poor', 'Poor', 'Neither good nor poor', 'Good', 'Very good'],
    });

    await tabTo(page, (el) => el.name === 'rating');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ name: 'rating', value: '4' });

    const story = `The crew came back the next day and apologised. ${unique()}`;
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'story' });
    await page.keyboard.type(story);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Send feedback' });
    await page.keyboard.press('Enter');

    const status = page.locator('[data-tellus] [role=status]');
    await expect
      .poll(() => page.locator('[data-tellus] .panel h3').textContent())
      .toBe('Thank you for your feedback');
    expect(await status.count()).toBe(1);
    expect(await focused(page)).toMatchObject({ tag: 'div' });

    const rows = await worker.query(
      `SELECT service_id, rating, story, page, locale FROM feedback WHERE story = ${sql(story)}`,
    );
    expect(rows).toEqual([
      { service_id: 'missed-bin-collection', rating: 4, story, page: '/', locale: 'en' },
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('speaks Welsh on a Welsh page, and an error summary takes focus when no rating is chosen', async () => {
    const { page } = await openPage(`${worker.origin}/cy/`);
    const heading = page.locator('[data-tellus] h2');
    expect(await heading.textContent()).toBe('Dywedwch wrthym sut aeth hi');

    await tabTo(page, (el) => el.tag === 'button');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).text).toContain('Dewiswch sut oedd eich profiad');
    expect((await focused(page)).tag).toBe('div');

    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', text: 'Dewiswch sut oedd eich profiad' });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'rating', value: '1' });
    expect(await worker.query("SELECT id FROM feedback WHERE locale = 'cy'")).toEqual([]);
    await page.close();
  });
});

describe("the demo's other pages", () => {
  it.each([
    ['/tab/', '.tab', 'Feedback'],
    ['/cy/tab/', '.tab', 'Adborth'],
    ['/useful/', 'h2', 'Is this page useful?'],
    ['/cy/useful/', 'h2', "Ydy'r dudalen hon yn ddefnyddiol?"],
    ['/stories/', 'h2', 'What people told us, and what we did'],
  ])('%s shows the widget in its mode', async (path, selector, text) => {
    const page = await browser.newPage();
    await page.goto(`${worker.origin}${path}`);
    await expect.poll(() => page.locator(`[data-tellus] ${selector}`).textContent()).toBe(text);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('personal details in a story', () => {
  it('are shown to the citizen before sending, and removed from what is sent and stored', async () => {
    const { page } = await openPage(`${worker.origin}/`);
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/feedback') && request.method() === 'POST')
        posted.push(request.postData() ?? '');
    });
    await tabTo(page, (el) => el.name === 'rating');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    const marker = `ref-${Math.random().toString(36).slice(2, 10).replace(/\d/g, 'x')}`;
    await page.keyboard.type(`Call me on 07700 900123 or jane.doe@example.com about SW1A 1AA ${marker}`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    await expect.poll(async () => (await focused(page)).text).toContain('Check your story');
    const preview = await page.locator('[data-tellus] blockquote').textContent();
    expect(preview).toBe(`Call me on [phone] or [email] about [postcode] ${marker}`);
    expect(await axeViolations(page)).toEqual([]);

    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Change my story' });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ id: 'story' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).text).toContain('Check your story');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Send without them' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-tellus] [role=status]').textContent()).toContain('Thank you');
    const rows = await worker.query(`SELECT story FROM feedback WHERE story LIKE '%${marker}'`);
    expect(rows).toEqual([{ story: preview }]);
    expect(posted).toHaveLength(1);
    expect(JSON.parse(posted[0] ?? '{}').story, 'the personal details never leave the browser').toBe(preview);
    await page.close();
  });
});

describe('delivery to the department', () => {
  it('signs the story to the department inbox, emails it and shows its receipt, a hostile story inert in each', async () => {
    const { page } = await openPage(`${worker.origin}/`);
    const story = `<script>alert(1)</script> "><img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a> ${unique()}`;
    await page.locator('[data-tellus] input[value="1"]').check();
    await page.locator('[data-tellus] textarea').fill(story);
    await page.locator('[data-tellus] button').click();
    await expect.poll(() => page.locator('[data-tellus] [role=status]').textContent()).toContain('Thank you');

    const delivered = await waitFor(() => inboxStories.find((s) => s.data.story === story));
    expect(delivered).toMatchObject({ type: 'feedback.created', data: { rating: 1, severity: 'normal' } });

    const email = await waitFor(async () => {
      const parsed = await Promise.all(worker.emails().map((raw) => PostalMime.parse(raw)));
      return parsed.find((m) => m.text?.includes(story));
    });
    expect(email?.to?.[0]?.address).toBe(DEPARTMENT_EMAIL);
    expect(email?.subject).toBe('Report a missed bin collection: rated 1/5 (Very poor)');
    expect(email?.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(email?.html).not.toMatch(/<script|<img|href="javascript:/i);
    expect(email?.text).toContain(`${worker.origin}/console/stories/${String(delivered?.data.id)}`);

    const receipt = await page.locator('[data-tellus] #thanks a').getAttribute('href');
    const receiptPage = await (await fetch(receipt ?? '', { headers: { Accept: 'text/html' } })).text();
    expect(receiptPage).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(receiptPage).not.toMatch(/<script|<img|href="javascript:/i);
    await page.close();
  });
});

describe('a council site on another origin', () => {
  it('loads the widget from the worker, posts across origins and stores the story', async () => {
    const { page, errors } = await openPage(`${councilSite.origin}/`);
    const legendStyle = await page.evaluate(() => {
      const legend = document.querySelector('[data-tellus]')?.shadowRoot?.querySelector('legend');
      return legend && getComputedStyle(legend).textTransform;
    });
    expect(legendStyle, "the host page's CSS must not reach into the widget").toBe('none');
    const radio = page.locator('[data-tellus] input[value="2"]');
    await radio.focus();
    await page.keyboard.press('Space');
    const story = `Posted from the council's own site, "quoted" ${unique()}`;
    await page.locator('[data-tellus] textarea').fill(story);
    await page.locator('[data-tellus] button').press('Enter');
    await expect
      .poll(() => page.locator('[data-tellus] .panel h3').textContent())
      .toBe('Thank you for your feedback');
    const rows = await worker.query(`SELECT rating FROM feedback WHERE story = ${sql(story)}`);
    expect(rows).toEqual([{ rating: 2 }]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('mounts by hand with Tellus.mount, posting to the origin the script came from', async () => {
    const { page, errors } = await openPage(`${councilSite.origin}/by-hand`);
    expect(await page.locator('#feedback[data-tellus] h2').textContent()).toBe('Tell us how it went');
    await page.locator('[data-tellus] input[value="3"]').check();
    const story = `Mounted by hand ${unique()}`;
    await page.locator('[data-tellus] textarea').fill(story);
    await page.locator('[data-tellus] button').click();
    await expect.poll(() => page.locator('[data-tellus] [role=status]').textContent()).toContain('Thank you');
    expect(await worker.query(`SELECT rating FROM feedback WHERE story = ${sql(story)}`)).toEqual([
      { rating: 3 },
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads the refusal of a site not registered for the service as final: told at once, nothing kept to retry', async () => {
    const { page } = await openPage(`${unregisteredSite.origin}/`);
    await page.locator('[data-tellus] input[value="5"]').check();
    const story = `From an unregistered site ${unique()}`;
    await page.locator('[data-tellus] textarea').fill(story);
    await page.locator('[data-tellus] button').click();
    // The worker's 403 is readable there (CORS on that answer alone), so the widget does not take
    // it for a lost connection and retry it forever.
    await expect
      .poll(() => page.locator('[data-tellus] [role=status]').textContent())
      .toBe('Your feedback could not be sent. Contact the service another way.');
    expect(await page.locator('[data-tellus] textarea').inputValue()).toBe(story);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('tellus:outbox') ?? '[]'))).toEqual([]);
    expect(await worker.query(`SELECT id FROM feedback WHERE story = ${sql(story)}`)).toEqual([]);
    await page.close();
  });
});
