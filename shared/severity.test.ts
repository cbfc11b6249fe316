import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meetsSeverity, severityOf } from './severity';

const pii = JSON.parse(readFileSync(new URL('../fixtures/pii-cases.json', import.meta.url), 'utf8')) as {
  redact: { text: string }[];
  keep: string[];
};

describe('severityOf', () => {
  it.each([
    'I have been thinking about killing myself since the appointment was cancelled.',
    'My carer hit me when nobody was looking.',
    'I am not safe at home and the housing team will not listen.',
    'He threatened me with a knife outside the office.',
    'Rwy’n teimlo fel lladd fy hun.',
    'Mae fy mhartner yn fy ngham-drin.',
    'Dw i mewn perygl.',
  ])('is urgent for "%s"', (story) => {
    expect(severityOf(story)).toBe('urgent');
  });

  it('is normal for everyday stories, including ones that mention 999 or 111', () => {
    const everyday = [...pii.keep, ...pii.redact.map((c) => c.text), 'The self-service kiosk was broken.'];
    for (const story of everyday) expect(severityOf(story), story).toBe('normal');
  });

  it('is normal without a story', () => {
    expect(severityOf(undefined)).toBe('normal');
    expect(severityOf('')).toBe('normal');
  });
});

describe('meetsSeverity', () => {
  it('lets urgent through a normal minimum, but not normal through an urgent one', () => {
    expect(meetsSeverity('urgent', 'normal')).toBe(true);
    expect(meetsSeverity('normal', 'normal')).toBe(true);
    expect(meetsSeverity('normal', 'urgent')).toBe(false);
  });
});
