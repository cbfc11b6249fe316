/** A story as the chat messages (Teams, Slack) show it, and the text handling both share. */
import type { Severity } from '../../shared';

/** What a chat message says about one story; plain values, so that the builders stay pure. */
export interface ChatStory {
  serviceName: string;
  rating: number;
  severity: Severity;
  /** The citizen's own words: untrusted, possibly empty. */
  story: string | null;
  /** ISO 8601. */
  createdAt: string;
  /** The story's page in the Tellus console, where it is read and answered. */
  consoleUrl: string;
}

/** The console's words for the ratings (`RATING_WORDS` in worker/console/layout.tsx, and the emails'). */
const RATING_WORDS = ['Very poor', 'Poor', 'Neither good nor poor', 'Good', 'Very good'];

/** `2/5 (Poor)`, as the emails write a rating. */
export const ratingInWords = (rating: number) => `${rating}/5 (${RATING_WORDS[rating - 1] ?? 'unknown'})`;

export const URGENT_TEXT = 'Urgent: the story mentions a risk to someone’s safety.';
export const NO_STORY_TEXT = 'No story, only a rating.';
export const CONSOLE_LINK_TEXT = 'Read and answer in the Tellus console';

const ELLIPSIS = '…';
const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The text as people see its characters: an emoji family or a `w` with its combining accent is one. */
export const graphemes = (text: string) => Array.from(graphemeSegmenter.segment(text), (s) => s.segment);

/**
 * Pieces joined into at most `limit` UTF-16 code units (the way Slack and the widget count); when they
 * do not all fit, as many whole pieces as fit and an ellipsis. A piece is never split, so an escape
 * (`&amp;`) or a character outside the BMP is never cut in half.
 */
export function fitWithEllipsis(pieces: string[], limit: number): string {
  const whole = pieces.join('');
  if (whole.length <= limit) return whole;
  let kept = '';
  for (const piece of pieces) {
    if (kept.length + piece.length > limit - ELLIPSIS.length) break;
    kept += piece;
  }
  return kept.trimEnd() + ELLIPSIS;
}

/** Text cut, by whole graphemes, to at most `limit` UTF-16 code units, with an ellipsis if it was cut. */
export const cutText = (text: string, limit: number) => fitWithEllipsis(graphemes(text), limit);

// C0 and C1 controls other than tab and line breaks show as nothing, or as boxes, in both apps.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Untrusted text with Windows and old Mac line breaks made `\n`, controls removed, a lone half of a
 * surrogate pair made U+FFFD (JSON would write it as 6 bytes) and the whole trimmed; `''` when
 * there is none (null, or only spaces).
 */
export function plainText(text: string | null): string {
  return (text ?? '')
    .toWellFormed()
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(CONTROL_CHARACTERS, '')
    .trim();
}
