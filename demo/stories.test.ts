// The stories mode in Chromium: a part that widget.js loads only for data-mode="stories",
// showing published stories, the department's answers and what changed, in both languages.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, startHostSite, startWorker, type Worker } from './test/harness';

let worker: Worker;
let browser: Browser;
let site: Awaited<ReturnType<typeof startHostSite>>;

const storiesPage = (lang: string) => `<!doctype html><html lang="${lang}"><head><title>Stories</title></head>
<body><main><h1>Report a missed bin collection</h1>
<script src="${worker.origin}/v1/widget.js" data-service="missed-bin-collection" data-mode="stories" async></script>
</main></body></html>`;

beforeAll(async () => {
  site = await startHostSite({ '/en': () => storiesPage('en'), '/cy': () => storiesPage('cy') });
  [worker, browser] = await Promise.all([startWorker([site.origin]), launchChromium()]);
  await worker.query(`UPDATE services SET publishing = 1 WHERE id = 'missed-bin-collection';
INSERT INTO feedback (id, service_id, rating, story, idempotency_key, fingerprint, published, status, created_at) VALUES
  ('01a21765-0000-7000-8000-000000000001', 'missed-bin-collection', 2, 'Missed <b>three</b> weeks running.', 'story-one-key-0001', 'x', 1, 'answered', '2026-11-02T09:00:00.000Z'),
  ('01a21765-0000-7000-8000-000000000002', 'missed-bin-collection', 5, 'Emptied the same morning.', 'story-two-key-0002', 'x', 1, 'new', '2026-11-03T09:00:00.000Z'),
  ('01a21765-0000-7000-8000-000000000003', 'missed-bin-collection', 1, 'Not for publishing.', 'story-three-key-003', 'x', 0, 'new', '2026-11-04T09:00:00.000Z');
INSERT INTO answers (id, feedback_id, text, changed, change, created_at) VALUES
  ('01a21765-0000-7000-8000-0000000000a1', '01a21765-0000-7000-8000-000000000001', 'Sorry: the crew had the wrong route sheet.', 1, 'Route sheets now come from the system.', '2026-11-02T15:00:00.000Z');`);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await site?.stop();
});

describe('the stories mode', () => {
  it('loads its own file and shows published stories with the answer and what changed', async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(`${site.origin}/en`);
    const host = page.locator('[data-tellus="stories"]');
    await host.locator('article').first().waitFor();
    expect(scripts).toEqual(['/v1/widget.js', expect.stringMatching(/^\/v1\/stories\.[0-9a-f]{12}\.js$/)]);
    expect(await host.locator('h2').textContent()).toBe('What people told us, and what we did');
    const articles = await host.locator('article').allTextContents();
    expect(articles).toHaveLength(2);
    expect(articles[0]).toContain('Rated: Very good');
    expect(articles[1]).toContain('Missed <b>three</b> weeks running.');
    expect(articles[1]).toContain('Sorry: the crew had the wrong route sheet.');
    expect(articles[1], articles[1]).toContain('What we changed: Route sheets now come from the system.');
    expect(articles.join(' ')).not.toContain('Not for publishing.');
    const summary = await host.locator('dl').textContent();
    expect(summary).toContain('Stories3');
    expect(summary).toContain('Answered33%');
    expect(summary).toContain('Answers that led to a change100%');
    expect(summary).toContain('Typical time to an answer6 hours');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('speaks Welsh on a Welsh page, with nothing for axe to find', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/cy`);
    const host = page.locator('[data-tellus="stories"]');
    await host.locator('article').first().waitFor();
    expect(await host.locator('h2').textContent()).toBe('Beth ddywedodd pobl wrthym, a beth wnaethom ni');
    expect(await host.locator('article').first().textContent()).toContain('Sgôr: Da iawn');
    expect(await host.locator('dl').textContent()).toContain('Wedi ateb');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
