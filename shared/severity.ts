/** How urgent a story is: `urgent` when it speaks of self-harm, abuse or immediate danger. */

/** Story severities, lowest first. */
export const SEVERITIES = ['normal', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What an urgent story speaks of. */
export type RiskCategory = 'self-harm' | 'abuse' | 'danger';

/**
 * The risk phrases, in English and Welsh: regular-expression source, matched as whole words in
 * lower case with ’ read as '. A story with a phrase that is not negated (see {@link severityOf})
 * is `urgent`: it reaches every subscription that allows it at once, even daily ones.
 *
 * The list is short and literal, and where a story is genuinely ambiguous it errs towards
 * `urgent`: a false alarm costs a department one early email, a missed one may cost far more. So
 * "suicide prevention leaflet", "knife crime talk", "I hurt myself on the broken step", "drug abuse
 * service", "I don't want to die on this trolley" and "it hit me that…" are urgent. Idioms that
 * share a word but not a phrase stay normal: "kill time", "the wait killed me", "gun-metal grey",
 * "in danger of closing". Welsh `gwn` (a gun, but also "I know") is left out for `dryll`; Welsh
 * phrases list their mutated forms (cam-drin, gam-drin, cham-drin, ngham-drin).
 */
export const RISK_PHRASES: Record<RiskCategory, { en: readonly string[]; cy: readonly string[] }> = {
  'self-harm': {
    en: [
      'kill(ing|ed)? myself',
      'end(ing)? my (own )?life',
      'take my (own )?life',
      'end it all',
      'suicid[a-z]*',
      'self[- ]?harm[a-z]*',
      '(hurt|hurting|harm|harming|cut|cutting) myself',
      'want(s|ed)? to die',
      'wish i (was|were) dead',
      'better off dead',
      'overdos[a-z]*',
      "([a-z]+n't|not|no longer|never) want to (live|be alive)",
      'no reason to live',
    ],
    cy: [
      '(ll|l)add fy hun(an)?',
      'hunanladd[a-z]*',
      'hunan[- ]?niw[a-z]*',
      '(brifo|frifo|anafu|niweidio) fy hun(an)?',
      '(eisiau|isio|moyn) marw',
      'rhoi diwedd ar fy mywyd',
      'gorddos[a-z]*',
      '(ddim|dim) (eisiau|isio|moyn) byw',
    ],
  },
  abuse: {
    en: [
      'abus(e|ed|er|ers|es|ing|ive)',
      'assault(s|ed|ing)?',
      'rap(e|ed|es|ing|ist)',
      'domestic violence',
      'coercive control',
      '(hit|hits|hitting|beat|beats|beating|kicked|kicks|kicking) me',
      '(punched|punches|slapped|slaps|choked|strangled|hurts|hurting) me',
    ],
    cy: [
      '(cam|gam|cham|ngham)[- ]?drin[a-z]*',
      'trais (domestig|yn y cartref)',
      '(t|d|th|nh)reisi[a-z]*',
      'ymosod[a-z]*',
      'fy (nharo|mwrw|nghicio|nyrnu)',
    ],
  },
  danger: {
    en: [
      'in (any |real |immediate |serious )?danger(?! of)',
      "([a-z]+n't|not|never|no longer) (feel |feeling |felt )?safe",
      'unsafe',
      'threaten(s|ed|ing)? (me|us|my)',
      'threaten(s|ed|ing)? to (hurt|harm|kill|hit|beat|stab|shoot|attack)',
      'death threats?',
      '(going to|gonna|will|tried to|trying to|wants? to) (kill|stab|shoot) (me|us)',
      "([a-z]+n't|not) want to die",
      'weapons?',
      'knife|knives',
      'guns?(?!-?metal)',
      'stab(bed|bing)',
      "(can't|cannot|can not|unable to) breathe",
      "([a-z]+n't|not|stopped) breathing",
      'gas leak|smells? of gas',
    ],
    cy: [
      'mewn (unrhyw )?perygl(?! o)',
      "ddim yn (teimlo'n )?(ddiogel|saff)",
      'anniogel',
      '(fy|ein) mygwth',
      '(bygwth|mynd i|trio|ceisio) fy lladd',
      '(ddim|dim) (eisiau|isio|moyn) marw',
      '(c|g|ch|ngh)yll[ey]ll',
      '(d|dd|n)ryll(iau)?',
      'arf(au)?',
      'methu anadlu',
      'ddim (yn )?(gallu )?anadlu',
      'arogl nwy|nwy yn gollwng',
    ],
  },
};

/** Words that negate what follows them, in English and Welsh. */
const NEGATORS = new Set([
  ...['not', 'never', 'nobody', 'no one', 'no-one', 'none', 'nothing', 'neither', 'nor', 'without'],
  ...['cannot', 'no longer', 'ddim', 'dim', 'mo', 'nid', 'nad', 'heb', 'erioed', 'byth', 'neb'],
]);

/** Words that may stand between a negator and the phrase it negates: "not at all", "ddim yn". */
const LINKING_WORDS = new Set([
  ...['a', 'an', 'the', 'any', 'at', 'all', 'in', 'way', 'there', 'ever', 'once', 'really', 'even'],
  ...['very', 'too', 'physically', 'verbally', 'sexually', 'be', 'been', 'being', 'is', 'are', 'am'],
  ...['was', 'were', 'has', 'have', 'had', 'do', 'does', 'did', 'feel', 'feels', 'felt', 'feeling'],
  ...['seem', 'seems', 'seemed', 'get', 'got', 'become', 'became', 'yn', 'n', 'wedi', 'y', 'yr', 'r'],
  ...['o', 'gwbl', 'cael', 'gael', 'chael', 'ei', 'eu', 'fy', 'dy', 'ein', 'eich', 'teimlo', 'deimlo'],
  ...['yw', 'ydy', 'ydi', 'ydw', 'oedd', 'oeddwn', 'oedden', 'bod', 'fod', 'bu', 'wnaeth'],
]);

const WORD = /no[- ](?:one|longer)(?!\p{L})|[\p{L}\p{N}]+(?:'\p{L}+)*/gu;
// A negation reaches no further back than the clause the phrase is in.
const CLAUSE_END = /[.,;:!?()[\]"“”…–—\n]|\s-\s/u;

const PATTERNS = Object.values(RISK_PHRASES)
  .flatMap(({ en, cy }) => [...en, ...cy])
  .map((phrase) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrase})(?![\\p{L}\\p{N}])`, 'gu'));

function isNegator(word: string): boolean {
  return NEGATORS.has(word) || word.endsWith("n't") || NEGATORS.has(word.split("'")[0] ?? '');
}

function isLinking(word: string): boolean {
  return word.split("'").every((part) => LINKING_WORDS.has(part));
}

/** The story in lower case, with one kind of apostrophe and single spaces (line breaks kept). */
function normalised(story: string): string {
  return story
    .toLowerCase()
    .replace(/[‘’ʼ`]/g, "'")
    .replace(/[^\S\n]+/g, ' ');
}

/** True when a negator ends `before`, with nothing but linking words after it. */
function endsInNegation(before: string): boolean {
  const clause = before.split(CLAUSE_END).pop() ?? '';
  for (const word of (clause.match(WORD) ?? []).reverse()) {
    if (isNegator(word)) return true;
    if (!isLinking(word)) return false;
  }
  return false;
}

/** True when a phrase found at `index` in `text` speaks of a risk rather than denying one. */
function isRisk(text: string, phrase: string, index: number): boolean {
  // "I am not safe", "I can't breathe": a phrase that is itself negative stays a risk, even
  // after another negator, because a double negative is too easy to misread.
  if ((phrase.match(WORD) ?? []).some(isNegator)) return true;
  return !endsInNegation(text.slice(0, index));
}

/**
 * The severity of a story from its words; a story without words is `normal`. A story is `urgent`
 * when any risk phrase in it is not negated. A phrase is negated when a negator (not, never,
 * nobody, no one, none, nothing, neither, nor, without, cannot, no longer, any word ending in n't;
 * Welsh ddim, dim, mo, nid, nad, heb, erioed, byth, neb) comes before it in the same clause with
 * only linking words between ("was", "felt", "at all", "yn", "wedi", "cael fy"): "the staff were
 * not abusive" and "doedd y staff ddim yn gamdriniol" are normal. Any other word in between keeps
 * the phrase: "I can't believe how abusive he was", "he won't stop hitting me", "I never felt so
 * unsafe" are urgent. English "no" alone is not a negator, since "there is no self-harm service"
 * may come from someone who needs one; Welsh "ni" is not either, since it is also "we".
 */
export function severityOf(story: string | null | undefined): Severity {
  if (!story) return 'normal';
  const text = normalised(story);
  const urgent = PATTERNS.some((pattern) =>
    [...text.matchAll(pattern)].some((match) => isRisk(text, match[0], match.index)),
  );
  return urgent ? 'urgent' : 'normal';
}

/** True when `severity` is at least `minimum`. */
export function meetsSeverity(severity: Severity, minimum: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(minimum);
}
