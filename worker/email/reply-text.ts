/** The new words of an officer's reply to an alert, without what it quotes, and the change it names. */
import { htmlToText } from './html-text';

/** What an officer wrote: the answer, and what they say changed (`Changed: …`), if they say. */
export interface ReplyText {
  answer: string;
  changed?: string;
}

const QUOTED = /^\s*>/;
/** "On <date>, <name> wrote:" (Gmail, Apple Mail, Thunderbird) and Welsh "Ar <date>, ysgrifennodd <name>:". */
const ATTRIBUTIONS = [/^On\s.*\d.*\swrote:$/i, /^Ar\s.*\d.*\bysgrifennodd\b.*:$/i];
const ATTRIBUTION_START = /^(On|Ar)\s/i;
/** An attribution is a line or two, not a paragraph that happens to end in "wrote:". */
const ATTRIBUTION_MAX_LENGTH = 300;

/** Outlook's start of the message answered, which it quotes without `>`, so all that follows is quoted. */
const ORIGINAL_MESSAGE = /^-{2,}\s*(Original Message|Neges Wreiddiol)\s*-{2,}$/i;
const SEPARATOR = /^_{10,}$/;
const HEADER_FROM = /^\*?(From|Oddi wrth):\*?\s/i;
const HEADER_SENT = /(^|\s)\*?(Sent|Date|Anfonwyd|Dyddiad):/im;
const HEADER_SUBJECT = /(^|\s)\*?(Subject|Pwnc):/im;
/** How many lines a header block's From, Sent, To, Cc and Subject take at most. */
const HEADER_LINES = 7;

/** The alert as `storyEmail` writes it (worker/delivery/email.ts): the text's first two lines… */
const ALERT_SERVICE = /^Service: \S/;
const ALERT_RATING = /^Rating: [1-5]\/5\b/;
/** …and lines no officer writes: the HTML's first lines ("Waste: 2/5 (Poor)") and the footer of both. */
const ALERT_LINES = [
  /^Urgent: the story mentions a risk to someone’s safety\.$/,
  /^\S.*: [1-5]\/5 \([A-Za-z ]+\)$/,
  /^Read and answer it in the Tellus console\b/,
  /^Or answer it by replying to this email\b/,
  /^Answer this story by email\b/,
  /^You get this because your subscription\b/,
];

/** A signature: "-- " (a client may drop its space), and what phones and Outlook add under a message. */
const SIGNATURES = [
  /^--\s*$/,
  /^Sent from my\s/i,
  /^Sent from (Outlook|Mail for Windows|Yahoo Mail)\b/i,
  /^Get Outlook for (iOS|Android)\b/i,
  /^Anfonwyd o fy\s/i,
];

const CHANGED = /^\s*(Changed|Newidiwyd)\s*:\s*(.*)$/i;

/** How many lines the attribution of a quote at `i` takes: 0, 1, or 2 when Gmail wrapped it. */
function attributionLines(lines: readonly string[], i: number): number {
  const line = lines[i] ?? '';
  const isAttribution = (text: string) =>
    text.length <= ATTRIBUTION_MAX_LENGTH && ATTRIBUTIONS.some((pattern) => pattern.test(text));
  if (isAttribution(line)) return 1;
  const next = lines[i + 1];
  if (!ATTRIBUTION_START.test(line) || next === undefined || QUOTED.test(next)) return 0;
  return isAttribution(`${line} ${next}`) ? 2 : 0;
}

/** Whether the message being answered starts at `i`, quoted without `>`: from there on, nothing is new. */
function startsOriginal(lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? '';
  if (ORIGINAL_MESSAGE.test(line) || SEPARATOR.test(line)) return true;
  if (ALERT_LINES.some((pattern) => pattern.test(line))) return true;
  if (ALERT_SERVICE.test(line) && ALERT_RATING.test(lines[i + 1] ?? '')) return true;
  if (!HEADER_FROM.test(line)) return false;
  const header = lines.slice(i, i + HEADER_LINES).join('\n');
  return HEADER_SENT.test(header) && HEADER_SUBJECT.test(header);
}

/**
 * The lines the officer wrote: above the quote, between its parts, or below it. A signature runs
 * until a quote starts (a phone puts its "Sent from" above a quote the officer may write under).
 */
function newLines(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let inSignature = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const attribution = attributionLines(lines, i);
    if (attribution > 0 || QUOTED.test(line)) {
      inSignature = false;
      i += Math.max(attribution - 1, 0);
      // A quote between two answers ends a paragraph, so the one under it is no part of a `Changed:`.
      if (kept.at(-1)) kept.push('');
      continue;
    }
    if (startsOriginal(lines, i)) break;
    if (SIGNATURES.some((pattern) => pattern.test(line))) inSignature = true;
    if (!inSignature) kept.push(line);
  }
  return kept;
}

/** The `Changed:` paragraphs taken out of `lines`: a `Changed:` line and the lines under it up to a blank one. */
function takeChanged(lines: readonly string[]): { rest: string[]; changed: string[] } {
  const rest: string[] = [];
  const changed: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = CHANGED.exec(lines[i] ?? '');
    if (!match) {
      rest.push(lines[i] ?? '');
      continue;
    }
    const paragraph = [match[2] ?? ''];
    while (i + 1 < lines.length && lines[i + 1]?.trim()) paragraph.push(lines[++i] ?? '');
    const text = tidy(paragraph.join('\n'));
    if (text) changed.push(text);
  }
  return { rest, changed };
}

/** Lines without trailing spaces, no more than one blank line in a row, none at either end. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * What the officer wrote in a reply, from its plain-text part or, when it has none, its HTML:
 * without quoted lines, the quoted alert, attributions, Outlook's header blocks and signatures.
 * A `Changed:` (Welsh `Newidiwyd:`) paragraph becomes `changed`. The answer may be empty.
 */
export function readReply({
  text,
  html,
}: {
  text?: string | undefined;
  html?: string | undefined;
}): ReplyText {
  const body = text?.trim() ? text : html ? htmlToText(html) : '';
  const lines = body
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const { rest, changed } = takeChanged(newLines(lines.map((line) => line.trimEnd())));
  const answer = tidy(rest.join('\n'));
  return changed.length ? { answer, changed: changed.join('\n\n') } : { answer };
}
