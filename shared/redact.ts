/**
 * Personal details in a story: found in the widget to show the citizen what will go, removed by
 * the worker before anything is stored or forwarded. Each match becomes a visible label.
 */

/** True when the digits pass the Luhn check that every payment card number passes. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i]) * (i % 2 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 === 0;
}

/** True when the last of ten digits is the mod-11 check digit that every NHS number ends with. */
function mod11(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i + 1);
  return sum % 11 === 0;
}

/**
 * What to look for, most specific first (a card number also looks like a phone number). A rule's
 * check, if any, is given the digits of the match. A rule's group, if any, is kept and only the
 * rest is replaced: a link keeps its address up to the path, and its query, where names, emails
 * and case numbers ride along, becomes `[query]` (`https://x.gov.uk/track?[query]`).
 */
export const PERSONAL_DATA: ReadonlyArray<
  readonly [label: string, pattern: RegExp, check?: (digits: string) => boolean]
> = [
  // A group, not a lookbehind: Safari before 16.4 rejects a lookbehind, and with it the widget.
  // A dot before the question mark is what tells a link (with or without https://) from prose.
  ['[query]', /(\.\w[^\s?]*\?)\S*\w/g],
  ['[email]', /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g],
  // Card numbers never start with 0, and phone numbers dialled from 0044 do.
  ['[card number]', /\b[1-9](?:[ -]?\d){12,18}\b/g, luhn],
  // Any two letters: redaction errs towards privacy, so a number in the shape of an NI number
  // goes even where the issuing rules call its prefix impossible (DF, QQ, ZZ, TN…).
  ['[NI number]', /\b[a-z]{2} ?\d\d ?\d\d ?\d\d ?[a-d]\b/gi],
  // Only 01, 02, 05 and 07 numbers: 03, 08 and 09 are the lines of services and businesses. A
  // bracket is taken only when it closes after the area code. The first three digits run
  // together, so "01.02.2024" is a date, and no colon follows, so "02032024 10:30" is one too.
  ['[phone]', /(?:(?:\+|\b00)44[ ()0-]*|(?:\((?=\d+\))|\b)0)[1257]\d(?:\)?[ .-]?\d){7,8}\b(?!:\d)/g],
  // Ten digits that fail the check stay, like any other reference number; from 01, 02, 05 or
  // 07 they were taken for a phone number above.
  ['[NHS number]', /\b\d{3}[ -]?\d{3}[ -]?\d{4}\b/g, mod11],
  ['[postcode]', /\b[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}\b/gi],
];

/** A piece of personal data found in a story. */
export interface Finding {
  label: string;
  text: string;
}

/** Every piece of personal data in the text, in the order of the rules. */
export function findPersonalData(text: string): Finding[] {
  const found: Finding[] = [];
  scan(text, found);
  return found;
}

/** The text with every piece of personal data replaced by its label, such as `[email]`. */
export function redactPersonalData(text: string): string {
  return scan(text);
}

function scan(text: string, found?: Finding[]): string {
  return PERSONAL_DATA.reduce(
    (rest, [label, pattern, check]) =>
      // Without a group in the pattern, the second argument is the match's offset, a number.
      rest.replace(pattern, (match, group) => {
        const kept = typeof group === 'string' ? group : '';
        const detail = match.slice(kept.length);
        if (check && !check(detail.replace(/\D/g, ''))) return match;
        found?.push({ label, text: detail });
        return kept + label;
      }),
    text,
  );
}
