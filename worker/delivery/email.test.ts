import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { digestEmail, escapeHtml, storyEmail } from './email';
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

describe('storyEmail', () => {
  it('is proper MIME: sender, recipient, a subject naming the service and rating, text and HTML parts', async () => {
    const email = storyEmail(
      context('Skipped twice.'),
      'waste@anytown.example.gov.uk',
      'tellus@feedback.example',
      'https://feedback.example',
    );
    const parsed = await parse(email.raw);
    expect(parsed.from?.address).toBe('tellus@feedback.example');
    expect(parsed.to?.[0]?.address).toBe('waste@anytown.example.gov.uk');
    expect(parsed.subject).toBe('Report a missed bin collection: rated 2/5 (Poor)');
    expect(parsed.messageId).toBeTruthy();
    expect(email.raw).toMatch(/Content-Transfer-Encoding: base64/);
    expect(email.raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    expect(parsed.text).toContain('Rating: 2/5 (Poor)\nReceived:');
    expect(parsed.text).toContain('Skipped twice.');
    expect(parsed.text).toContain(
      'https://feedback.example/v1/feedback/0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    );
    expect(parsed.html).toContain('Skipped twice.');
    expect(parsed.html).toContain(
      'href="https://feedback.example/v1/feedback/0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"',
    );
  });

  it('delivers a hostile story inert: escaped in HTML, verbatim in text', async () => {
    const parsed = await parse(
      storyEmail(context(HOSTILE), 'a@b.example', 'tellus@feedback.example', 'https://f.example').raw,
    );
    expect(parsed.html).not.toMatch(/<script|<img|<a href="javascript/i);
    expect(parsed.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(parsed.text).toContain(HOSTILE);
  });

  it('flags urgent stories in the subject and body, and keeps non-ASCII text intact', async () => {
    const parsed = await parse(
      storyEmail(
        context('Rwy’n teimlo fel lladd fy hun — help', { severity: 'urgent' }),
        'a@b.example',
        't@f.example',
        'https://f.example',
      ).raw,
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
    const parsed = await parse(
      digestEmail(stories, 'a@b.example', 't@f.example', 'https://f.example', '2026-11-26').raw,
    );
    expect(parsed.subject).toBe('Tellus daily digest for 2026-11-26: 3 stories');
    expect(parsed.text).toContain('== Report a missed bin collection (2) ==');
    expect(parsed.text).toContain('== Parking permits (1) ==');
    expect(parsed.text).toContain('Permit took weeks.');
    expect(parsed.html).toContain('Parking permits (1)');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });
});
