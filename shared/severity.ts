/** How urgent a story is: `urgent` when it speaks of self-harm, abuse or immediate danger. */

/** Story severities, lowest first. */
export const SEVERITIES = ['normal', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The risk phrases, in English and Welsh. A story matching any of them is `urgent`: it reaches
 * every subscription that allows it at once, even those that otherwise get a daily digest.
 * The list is deliberately short and literal; a false alarm costs a department one early email,
 * a missed one may cost far more.
 */
export const RISK_PHRASES: Record<'self-harm' | 'abuse' | 'danger', RegExp> = {
  'self-harm':
    /\b(kill(ing)? myself|end(ing)? my (own )?life|suicid\w*|self[- ]?harm\w*|hurt(ing)? myself|want(ed)? to die|overdos\w*|lladd fy hun|hunanladd\w*|hunan[- ]?niwed\w*)\b/i,
  abuse:
    /\b(abus(e|ed|ing|ive)|assault(ed)?|rap(e|ed)|domestic violence|(hit|hits|hitting|beat|beats|beating|kicked|punched) me|(cam|gam|cham|ngham)[- ]?dri?n\w*|trais domestig)\b/i,
  danger:
    /\b(in danger|not safe|unsafe|threaten(ed|ing|s)? (me|to)|weapon|knife|gun|can'?t breathe|mewn perygl|ddim yn ddiogel)\b/i,
};

/** The severity of a story from its words; a story without words is `normal`. */
export function severityOf(story: string | null | undefined): Severity {
  if (!story) return 'normal';
  return Object.values(RISK_PHRASES).some((phrase) => phrase.test(story)) ? 'urgent' : 'normal';
}

/** True when `severity` is at least `minimum`. */
export function meetsSeverity(severity: Severity, minimum: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(minimum);
}
