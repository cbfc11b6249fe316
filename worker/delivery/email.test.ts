import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { digestEmail, escapeHtml, REPLY_WORDS, storyEmail } from './email';
import type { StoryContext } from './events';

const context = (story: string | null, overrides: Partial<StoryContext['feedback']> = {}): StoryContext => ({
  feedback: {
    id: '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    rating: 2,
    story,
    severity: 'normal',
    page: '/bins/report-missed',
    locale: 'en',
    createdAt: '2026-11-26T09:15:00.000Z',
    ...overrides,
  },
  service: { id: 'missed-bin-collection', name: 'Report a missed bin collection' },
  department: { id: 'waste', name: 'Waste and Recycling' },
});

const HOSTILE =
  '<script>alert(1)</script> "><img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>';

async function parse(raw: string) {
  return PostalMime.parse(raw);
}

const WHY = 'You get this because your subscription sends stories of all services as they arrive.';
const to = (address: string, publicUrl = 'https://f.example') => ({
  to: address,
  from: 't@f.example',
  publicUrl,
  why: WHY,
});

describe('storyEmail', () => {
  it('is proper MIME: sender, recipient, a subject naming the service and rating, text and HTML parts', async () => {
    const email = storyEmail(context('Skipped twice.'), {
      ...to('waste@anytown.example.gov.uk', 'https://feedback.example/'),
      from: 'tellus@feedback.example',
    });
    const parsed = await parse(email.raw);
    expect(parsed.from?.address).toBe('tellus@feedback.example');
    expect(parsed.to?.[0]?.address).toBe('waste@anytown.example.gov.uk');
    expect(parsed.subject).toBe('Report a missed bin collection: rated 2/5 (Poor)');
    expect(parsed.messageId).toBeTruthy();
    expect(email.raw).toMatch(/Content-Transfer-Encoding: base64/);
    expect(email.raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    expect(parsed.text).toContain('Rating: 2/5 (Poor)\nReceived:');
    expect(parsed.text).toContain('Skipped twice.');
    expect(parsed.html).toContain('Skipped twice.');
  });

  it('shows when the story came in UK time, links to its page in the console and names the filter', async () => {
    const summer = context('Skipped twice.', { createdAt: '2026-07-01T13:51:00.000Z' });
    const parsed = await parse(storyEmail(summer, to('a@b.example', 'https://feedback.example/')).raw);
    const link = 'https://feedback.example/console/stories/0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect(parsed.text).toContain('Received: Wednesday 1 July 2026 at 2:51pm\n');
    expect(parsed.text).toContain(`Read and answer it in the Tellus console: ${link}`);
    expect(parsed.text).not.toContain('/v1/feedback/');
    expect(parsed.text).toContain(WHY);
    expect(parsed.text).toContain('in the Tellus console: https://feedback.example/console/subscriptions');
    expect(parsed.html).toContain('Received Wednesday 1 July 2026 at 2:51pm on /bins/report-missed.');
    expect(parsed.html).toContain(`<a href="${link}">Read and answer it in the Tellus console</a>`);
    expect(parsed.html).not.toContain('/v1/feedback/');
    expect(parsed.html).toContain(WHY);
    const winter = await parse(storyEmail(context('x'), to('a@b.example')).raw);
    expect(winter.text).toContain('Received: Thursday 26 November 2026 at 9:15am\n');
  });

  it('delivers a hostile story inert: escaped in HTML, verbatim in text', async () => {
    const parsed = await parse(storyEmail(context(HOSTILE), to('a@b.example')).raw);
    expect(parsed.html).not.toMatch(/<script|<img|<a href="javascript/i);
    expect(parsed.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(parsed.text).toContain(HOSTILE);
  });

  it('flags urgent stories in the subject and body, and keeps non-ASCII text intact', async () => {
    const parsed = await parse(
      storyEmail(context('Rwy’n teimlo fel lladd fy hun — help', { severity: 'urgent' }), to('a@b.example'))
        .raw,
    );
    expect(parsed.subject).toMatch(/^URGENT: /);
    expect(parsed.text).toContain('Rwy’n teimlo fel lladd fy hun — help');
    expect(parsed.html).toContain('Urgent:');
  });
});

describe('digestEmail', () => {
  it('puts a day’s stories in one message, grouped by service', async () => {
    const parking = { id: 'parking', name: 'Parking permits' };
    const stories = [
      context('First bin story.'),
      { ...context('Permit took weeks.'), service: parking },
      context(null),
    ];
    const parsed = await parse(digestEmail(stories, to('a@b.example'), 'Thursday 26 November 2026').raw);
    expect(parsed.subject).toBe('Tellus daily digest for Thursday 26 November 2026: 3 stories');
    expect(parsed.text).toContain('== Report a missed bin collection (2) ==');
    expect(parsed.text).toContain('== Parking permits (1) ==');
    expect(parsed.text).toContain('Permit took weeks.');
    expect(parsed.html).toContain('Parking permits (1)');
  });

  it('shows each story’s UK time and console link, and says once which filter sends it', async () => {
    const why =
      'You get this because your subscription sends stories of Report a missed bin collection rated 2 or lower in a daily digest, and urgent ones as they arrive.';
    const stories = [context('Late.', { id: 'first', createdAt: '2026-10-25T00:30:00Z' }), context('Again.')];
    const parsed = await parse(
      digestEmail(stories, { ...to('a@b.example'), why }, 'Monday 26 October 2026').raw,
    );
    expect(parsed.text).toContain('Received: Sunday 25 October 2026 at 1:30am\n');
    expect(parsed.text).toContain('Received: Thursday 26 November 2026 at 9:15am\n');
    expect(parsed.text).toContain('https://f.example/console/stories/first\n');
    expect(parsed.html).toContain('href="https://f.example/console/stories/first"');
    expect(parsed.html).toContain(
      'href="https://f.example/console/stories/0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"',
    );
    expect(parsed.text?.split(why)).toHaveLength(2);
    expect(parsed.html?.split(why)).toHaveLength(2);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });
});

describe('replies to alerts', () => {
  const id = '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
  const other = '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';
  const replyTo = new Map([
    [id, `reply+${'a'.repeat(56)}@feedback.example`],
    [other, `reply+${'b'.repeat(56)}@feedback.example`],
  ]);

  it('sets an alert’s Reply-To to its story’s reply address, and says what a reply does', async () => {
    const parsed = await parse(storyEmail(context('Skipped.'), { ...to('w@a.example'), replyTo }).raw);
    expect(parsed.replyTo?.[0]).toMatchObject({ address: replyTo.get(id) });
    expect(parsed.text).toContain(REPLY_WORDS.each);
    expect(parsed.html).toContain(escapeHtml(REPLY_WORDS.each).replaceAll('&#39;', "'"));
  });

  it('has no Reply-To and offers no reply when replies are not taken', async () => {
    const parsed = await parse(storyEmail(context('Skipped.'), to('w@a.example')).raw);
    expect(parsed.replyTo).toBeUndefined();
    expect(parsed.text).not.toContain(REPLY_WORDS.each);
  });

  it('gives each story of a digest its own reply address, as a mailto link', async () => {
    const stories = [context('One.'), context('Two.', { id: other })];
    const parsed = await parse(digestEmail(stories, { ...to('w@a.example'), replyTo }, 'Thursday').raw);
    expect(parsed.replyTo).toBeUndefined();
    for (const address of replyTo.values()) {
      expect(parsed.text).toContain(`${REPLY_WORDS.digest}: ${address}`);
      expect(parsed.html).toContain(`href="mailto:${address}?subject=`);
    }
  });
});
