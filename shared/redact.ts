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

/** What to look for, most specific first (a card number also looks like a phone number). */
export const PERSONAL_DATA: ReadonlyArray<
  readonly [label: string, pattern: RegExp, check?: (match: string) => boolean]
> = [
  ['[email]', /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g],
  ['[card number]', /\b\d(?:[ -]?\d){12,18}\b/g, (match) => luhn(match.replace(/\D/g, ''))],
  ['[NI number]', /\b[a-ceghj-pr-tw-z]{2} ?\d\d ?\d\d ?\d\d ?[a-d]\b/gi],
  // Not when a colon and digits follow: "02-03-2024 10:30" is a date and a time.
  ['[phone]', /(?:\+44 ?(?:\(0\) ?)?|\b0)\d(?:[ -]?\d){8,9}\b(?!:\d)/g],
  ['[NHS number]', /\b\d{3}[ -]?\d{3}[ -]?\d{4}\b/g],
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
  return scan(text, []);
}

function scan(text: string, found: Finding[]): string {
  return PERSONAL_DATA.reduce(
    (rest, [label, pattern, check]) =>
      rest.replace(pattern, (match) => {
        if (check && !check(match)) return match;
        found.push({ label, text: match });
        return label;
      }),
    text,
  );
}
