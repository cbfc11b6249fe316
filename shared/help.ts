/** Where to get help now: shown to a citizen whose story speaks of harm or danger. */
import type { Locale } from './limits';

/** The help line for an urgent story, in the citizen's language. */
export const URGENT_HELP: Record<Locale, string> = {
  en: 'If you or someone else is in danger, call 999 now. For urgent medical help call NHS 111. To talk to someone, call Samaritans free on 116 123, day or night.',
  cy: 'Os ydych chi neu rywun arall mewn perygl, ffoniwch 999 nawr. Am help meddygol brys ffoniwch GIG 111. I siarad â rhywun, ffoniwch y Samariaid am ddim ar 116 123, ddydd neu nos.',
};
