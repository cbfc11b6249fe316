// The text handling that the Teams and Slack messages share: cutting by whole characters, cleaning, ratings.
import { describe, expect, it } from 'vitest';
import { cutText, fitWithEllipsis, plainText, ratingInWords } from './chat-story';

describe('cutText', () => {
  it('leaves a text that fits as it is', () => {
    expect(cutText('Diolch', 6)).toBe('Diolch');
    expect(cutText('', 1)).toBe('');
  });

  it('cuts to the limit in UTF-16 code units, the ellipsis included, and trims the cut end', () => {
    expect(cutText('The bin was late', 8)).toBe('The bin…');
    expect(cutText('The bin was late', 9)).toBe('The bin…');
    expect(cutText('The bin was late', 10)).toBe('The bin w…');
  });

  it('never cuts a character in half: not an emoji, a family, a flag or a letter with a combining accent', () => {
    expect(cutText('a🙏🙏', 3)).toBe('a…');
    expect(cutText('a🙏🙏', 4)).toBe('a🙏…');
    expect(cutText('a👨‍👩‍👧b', 9)).toBe('a…');
    expect(cutText('a👨‍👩‍👧bc', 10)).toBe('a👨‍👩‍👧…');
    expect(cutText('a🏴󠁧󠁢󠁷󠁬󠁳󠁿b', 10)).toBe('a…');
    expect(cutText('gw\u0302r hy\u0302n', 3)).toBe('g…');
    expect(cutText('gw\u0302r hy\u0302n', 4)).toBe('gw\u0302…');
  });
});

describe('fitWithEllipsis', () => {
  it('keeps whole pieces only', () => {
    expect(fitWithEllipsis(['ab', '&amp;', 'c'], 8)).toBe('ab&amp;c');
    expect(fitWithEllipsis(['ab', '&amp;', 'c'], 7)).toBe('ab…');
    expect(fitWithEllipsis(['ab', '&amp;', 'cd'], 8)).toBe('ab&amp;…');
  });
});

describe('plainText', () => {
  it('makes every kind of line break a \\n, and trims', () => {
    expect(plainText('  one\r\ntwo\rthree\u2028four\u2029five\n ')).toBe('one\ntwo\nthree\nfour\nfive');
  });

  it('removes control characters but keeps tabs and line breaks', () => {
    expect(plainText('a\u0000b\u0007c\u001b[31md\u007fe\u0085f\tg\nh')).toBe('abc[31mdef\tg\nh');
  });

  it('replaces a lone half of a surrogate pair, and keeps whole pairs', () => {
    expect(plainText('a\ud83d b\udc4d c🙏')).toBe('a\ufffd b\ufffd c🙏');
  });

  it('is empty for no story, or only spaces', () => {
    expect(plainText(null)).toBe('');
    expect(plainText(' \n\t\r\n')).toBe('');
  });
});

describe('ratingInWords', () => {
  it('writes each rating with the console’s words', () => {
    expect([1, 2, 3, 4, 5].map(ratingInWords)).toEqual([
      '1/5 (Very poor)',
      '2/5 (Poor)',
      '3/5 (Neither good nor poor)',
      '4/5 (Good)',
      '5/5 (Very good)',
    ]);
    expect(ratingInWords(0)).toBe('0/5 (unknown)');
  });
});
