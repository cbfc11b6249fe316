// The returning citizen in Chromium: a story sent from one page of a service, answered through the
// department API, and the answer shown on another page of the same service, in English and Welsh.
// The lookup is one request whose body carries the codes; a page with nothing to ask asks nothing.
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let worker: Worker;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let site: Awaited<ReturnType<typeof startHostSite>>;
/** A department key that may answer. */
let key: string;

const SERVICE = 'missed-bin-collection';
const OTHER_SERVICE = 'garden-waste';
const DEPARTMENT = 'Anytown Borough Council: Waste and Recycling';
const DAY_MS = 864e5;
const RECEIPT = 'tellus:receipt:';

const servicePage = (title: string, lang: string, service = SERVICE) => `<!doctype html>
<html lang="${lang}"><head><title>${title}</title></head>
<body><main><h1>${title}</h1><p>Some service content.</p>
<script src="${worker.origin}/v1/widget.js" data-service="${service}" async></script>
</main></body></html>`;

beforeAll(async () => {
  site = await startHostSite({
    '/en/report': () => servicePage('Report a missed bin', 'en'),
    '/en/check-day': () => servicePage('Check your collection day', 'en'),
    '/cy/report': () => servicePage('Rhoi gwybod am fin a fethwyd', 'cy'),
    '/cy/check-day': () => servicePage('Gwirio eich diwrnod casglu', 'cy'),
    '/garden': () => servicePage('Garden waste', 'en', OTHER_SERVICE),
    // A page of the site without the widget, to arrange what the device keeps.
    '/blank': () => '<!doctype html><html lang="en"><head><title>Blank</title></head><body></body></html>',
  });
  [worker, browser] = await Promise.all([startWorker([site.origin]), launchChromium()]);
  const admin = (path: string, body: unknown) =>
    fetch(`${worker.origin}/v1/admin${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const created = await admin('/departments/anytown-waste/keys', {
    scopes: ['read', 'answer'],
    label: 'returning citizen tests',
  });
  expect(created.status).toBe(201);
  key = ((await created.json()) as { key: string }).key;
  const service = await admin('/services', {
    id: OTHER_SERVICE,
    department_id: 'anytown-waste',
    name: 'Garden waste collections',
    origins: [site.origin],
  });
  expect(service.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await site?.stop();
});

const widget = (page: Page, selector: string) => page.locator(`[data-tellus] ${selector}`);

/**
 * A fresh browser profile whose pages log every fetch the page starts, as it starts it: what was
 * not asked for by the time the widget has forgotten a receipt was never asked for.
 */
async function newContext() {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const started: string[] = [];
    (window as unknown as { fetched: string[] }).fetched = started;
    const original = window.fetch;
    window.fetch = (input, init) => {
      started.push(input instanceof Request ? input.url : String(input));
      return original(input, init);
    };
  });
  return context;
}

/** Every lookup request a page sends, as the network sees it. */
function lookups(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/v1/receipts/lookup') seen.push(request);
  });
  return seen;
}

/** The lookups the page's own fetch log shows it started. */
const lookupsStarted = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { fetched: string[] }).fetched.filter((url) =>
        url.endsWith('/v1/receipts/lookup'),
      ).length,
  );

/** Opens a page of the site in `context`, counting its lookups, and waits for the form. */
async function open(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const requests = lookups(page);
  await page.goto(`${site.origin}${path}`);
  await widget(page, 'form').waitFor();
  return { page, requests };
}

/**
 * Waits until the widget has done its work for an idle page (reading the receipts it keeps and
 * loading what they need): its idle callback was asked for as the form showed, before this one.
 */
const settled = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(undefined))));

/** The receipts this device keeps, by key. */
const kept = (page: Page) =>
  page.evaluate((prefix) => {
    const found: Record<string, { at: number; until: number }> = {};
    for (const name of Object.keys(localStorage))
      if (name.startsWith(prefix)) found[name] = JSON.parse(localStorage.getItem(name) as string);
    return found;
  }, RECEIPT);

/** Keeps receipts on the device as the widget would, from a page of the site without it. */
async function keep(context: BrowserContext, receipts: Record<string, { at: number; until: number }>) {
  const page = await context.newPage();
  await page.goto(`${site.origin}/blank`);
  await page.evaluate((entries) => {
    for (const [name, value] of Object.entries(entries)) localStorage.setItem(name, JSON.stringify(value));
  }, receipts);
  await page.close();
}

/** The widget's script elements for its receipts part. */
const receiptsPartLoaded = (page: Page) =>
  page.evaluate(() => [...document.scripts].some((script) => /\/v1\/receipts\.\w+\.js$/.test(script.src)));

/** Sends a story from a service page; returns it, its receipt link, and when it was sent. */
async function sendStory(context: BrowserContext, path: string) {
  const { page } = await open(context, path);
  const story = `The crew missed our street again ${unique()}`;
  await widget(page, 'input[value="2"]').check();
  await widget(page, 'textarea').fill(story);
  const before = Date.now();
  await widget(page, 'button[type=submit]').click();
  await widget(page, '#thanks').waitFor();
  const after = Date.now();
  const receiptUrl = (await widget(page, '#thanks a').getAttribute('href')) as string;
  const receipts = await kept(page);
  await page.close();
  return { story, receiptUrl, receipts, before, after };
}

/** Answers the story through the department API, as a case system would; returns the answer. */
async function answer(story: string, text: string, change: string) {
  const [row] = await worker.query<{ id: string }>(
    `SELECT id FROM feedback WHERE story = '${story.replaceAll("'", "''")}'`,
  );
  const res = await fetch(`${worker.origin}/v1/feedback/${row?.id}/answers`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text, changed: true, change }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { created_at: string };
}

const WORDS = {
  en: {
    title: 'The team has answered your feedback',
    answered: (date: string) => `${DEPARTMENT} answered on ${date}`,
    whatChanged: 'What changed:',
    receipt: 'See your feedback and the answer',
    hide: 'Hide this answer',
    forget: 'Forget feedback saved on this device',
  },
  cy: {
    title: "Mae'r tîm wedi ateb eich adborth",
    answered: (date: string) => `Atebodd ${DEPARTMENT} ar ${date}`,
    whatChanged: 'Beth sydd wedi newid:',
    receipt: "Gweld eich adborth a'r ateb",
    hide: 'Cuddio yr ateb hwn',
    forget: "Anghofio adborth sydd wedi'i gadw ar y ddyfais hon",
  },
};

describe.each(['en', 'cy'] as const)('the returning citizen (%s)', (lang) => {
  const t = WORDS[lang];

  it("keeps the receipt, shows the team's answer on another page by keyboard alone, and Hide forgets it", async () => {
    const context = await newContext();
    const sent = await sendStory(context, `/${lang}/report`);

    // Kept under tellus:receipt:<service>:<code>, for no longer than the department keeps the story.
    const code = sent.receiptUrl.split('/').pop() as string;
    const name = `${RECEIPT}${SERVICE}:${code}`;
    expect(Object.keys(sent.receipts)).toEqual([name]);
    const { retention_days } = (await (
      await fetch(`${worker.origin}/v1/services/${SERVICE}/widget`)
    ).json()) as { retention_days: number };
    const { at, until } = sent.receipts[name] as { at: number; until: number };
    expect(at).toBeGreaterThanOrEqual(sent.before);
    expect(at).toBeLessThanOrEqual(sent.after);
    expect(until).toBeGreaterThan(sent.after);
    expect(until).toBeLessThanOrEqual(sent.after + retention_days * DAY_MS);

    const reply = `Sorry: the crew had the wrong route sheet ${unique()}`;
    const change = `Route sheets now come from the system ${unique()}`;
    const { created_at } = await answer(sent.story, reply, change);

    const { page, requests } = await open(context, `/${lang}/check-day`);
    const panel = widget(page, '#answers');
    await expect.poll(() => panel.isVisible(), { timeout: 10_000 }).toBe(true);
    const date = await page.evaluate(
      ([iso, locale]) =>
        new Date(iso as string).toLocaleDateString(locale, {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
        }),
      [created_at, `${lang}-GB`],
    );
    expect(await panel.locator('h3').textContent()).toBe(t.title);
    expect(await panel.locator('.hint').textContent()).toBe(t.answered(date));
    expect(await panel.locator('blockquote').textContent()).toBe(reply);
    expect(await panel.locator('p:has(strong)').textContent()).toBe(`${t.whatChanged} ${change}`);
    const link = panel.locator('a');
    expect(await link.textContent()).toBe(t.receipt);
    expect(await link.getAttribute('href')).toBe(sent.receiptUrl);
    const place = await page.evaluate(() => {
      const root = document.querySelector('[data-tellus]')?.shadowRoot as ShadowRoot;
      const answers = root.getElementById('answers') as Element;
      const form = root.querySelector('form') as Element;
      return {
        live: answers.closest('[aria-live]')?.getAttribute('aria-live'),
        aboveForm: Boolean(answers.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING),
      };
    });
    expect(place).toEqual({ live: 'polite', aboveForm: true });
    expect(await axeViolations(page)).toEqual([]);

    // One lookup, its codes in the body and none in the address.
    expect(requests).toHaveLength(1);
    const [lookup] = requests as [Request];
    expect(lookup.method()).toBe('POST');
    expect(lookup.url()).toBe(`${worker.origin}/v1/receipts/lookup`);
    expect(lookup.url()).not.toContain(code);
    expect(JSON.parse(lookup.postData() ?? '{}')).toEqual({ service: SERVICE, receipts: [code] });

    // By keyboard alone: Tab to Hide, Enter.
    await tabTo(page, (el) => el.tag === 'button' && el.text === t.hide);
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.count(), { timeout: 10_000 }).toBe(0);
    expect(await focused(page)).toMatchObject({ id: 'heading' });
    expect(await kept(page)).toEqual({});

    await page.reload();
    await widget(page, 'form').waitFor();
    await settled(page);
    expect(await panel.count()).toBe(0);
    expect(await receiptsPartLoaded(page), 'nothing kept: the receipts part is not even loaded').toBe(false);
    expect(await lookupsStarted(page)).toBe(0);
    await context.close();
  });

  it('forgets every receipt on the device with "Forget feedback saved on this device", after a reload too', async () => {
    const context = await newContext();
    const sent = await sendStory(context, `/${lang}/report`);
    await answer(
      sent.story,
      `Thank you for telling us ${unique()}`,
      `Crews now check every street ${unique()}`,
    );
    // A receipt for another service of the same site goes too.
    const elsewhere = `${RECEIPT}${OTHER_SERVICE}:${'g'.repeat(22)}`;
    await keep(context, { [elsewhere]: { at: Date.now(), until: Date.now() + DAY_MS } });

    const { page } = await open(context, `/${lang}/check-day`);
    const panel = widget(page, '#answers');
    await expect.poll(() => panel.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(Object.keys(await kept(page))).toHaveLength(2);
    await tabTo(page, (el) => el.tag === 'button' && el.text === t.forget);
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.count(), { timeout: 10_000 }).toBe(0);
    expect(await focused(page)).toMatchObject({ id: 'heading' });
    expect(await kept(page)).toEqual({});

    await page.reload();
    await widget(page, 'form').waitFor();
    await settled(page);
    expect(await panel.count()).toBe(0);
    expect(await kept(page)).toEqual({});
    expect(await lookupsStarted(page)).toBe(0);
    await context.close();
  });
});

describe('asking the worker only when there is something to ask', () => {
  it('sends no lookup from a page with no receipts kept', async () => {
    const context = await newContext();
    const { page, requests } = await open(context, '/en/check-day');
    await settled(page);
    expect(await receiptsPartLoaded(page)).toBe(false);
    expect(await lookupsStarted(page)).toBe(0);
    expect(requests).toEqual([]);
    await context.close();
  });

  it("sends none from another service's page, and forgets a code the worker does not know after asking", async () => {
    const context = await newContext();
    const unknown = 'unknownCodeNoStory_xyz';
    await keep(context, {
      [`${RECEIPT}${SERVICE}:${unknown}`]: { at: Date.now(), until: Date.now() + DAY_MS },
    });

    const garden = await open(context, '/garden');
    await settled(garden.page);
    expect(await receiptsPartLoaded(garden.page)).toBe(false);
    expect(await lookupsStarted(garden.page)).toBe(0);
    expect(garden.requests).toEqual([]);
    expect(Object.keys(await kept(garden.page))).toEqual([`${RECEIPT}${SERVICE}:${unknown}`]);

    // On a page of its own service, the code is asked about once, and forgotten on the answer.
    const { page, requests } = await open(context, '/en/check-day');
    await expect.poll(() => kept(page), { timeout: 10_000 }).toEqual({});
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url()).toBe(`${worker.origin}/v1/receipts/lookup`);
    expect(JSON.parse(requests[0]?.postData() ?? '{}')).toEqual({ service: SERVICE, receipts: [unknown] });
    expect(await widget(page, '#answers').count()).toBe(0);
    await context.close();
  });

  it('forgets a receipt past its until without asking', async () => {
    const context = await newContext();
    const expired = `${RECEIPT}${SERVICE}:${'e'.repeat(22)}`;
    await keep(context, { [expired]: { at: Date.now() - 2 * DAY_MS, until: Date.now() - 1 } });
    const { page, requests } = await open(context, '/en/check-day');
    await expect.poll(() => kept(page), { timeout: 10_000 }).toEqual({});
    // The lookup would have been started in the same task that forgot the receipt.
    expect(await lookupsStarted(page)).toBe(0);
    expect(requests).toEqual([]);
    await context.close();
  });

  it('asks only the Tellus the story was sent to, and keeps the receipt for it', async () => {
    const context = await newContext();
    const elsewhere = `${RECEIPT}${SERVICE}:${'x'.repeat(22)}`;
    await keep(context, {
      [elsewhere]: {
        at: Date.now(),
        until: Date.now() + DAY_MS,
        endpoint: 'https://feedback.elsewhere.example',
      },
    } as never);
    const { page, requests } = await open(context, '/en/check-day');
    await expect.poll(() => receiptsPartLoaded(page), { timeout: 10_000 }).toBe(true);
    await settled(page);
    expect(await lookupsStarted(page)).toBe(0);
    expect(requests).toEqual([]);
    expect(Object.keys(await kept(page))).toEqual([elsewhere]);
    await context.close();
  });
});

describe('what the lookup answers', () => {
  it('never becomes a script link, whatever receipt_url says', async () => {
    const context = await newContext();
    const code = 'j'.repeat(22);
    await keep(context, { [`${RECEIPT}${SERVICE}:${code}`]: { at: Date.now(), until: Date.now() + DAY_MS } });
    const page = await context.newPage();
    await page.route('**/v1/receipts/lookup', (route) =>
      route.fulfill({
        contentType: 'application/json',
        headers: { 'Access-Control-Allow-Origin': '*' },
        body: JSON.stringify({
          receipts: [
            {
              receipt: code,
              status: 'answered',
              answers: [
                { text: 'Sorted.', changed: false, change: null, created_at: new Date().toISOString() },
              ],
              department: { name: DEPARTMENT },
              receipt_url: 'javascript:alert(document.domain)',
              created_at: new Date().toISOString(),
            },
          ],
        }),
      }),
    );
    await page.goto(`${site.origin}/en/check-day`);
    await widget(page, '#answers').waitFor();
    expect(await widget(page, '#answers a').count()).toBe(1);
    expect(await widget(page, '#answers a').getAttribute('href')).toBeNull();
    await context.close();
  });
});
