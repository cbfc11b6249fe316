/** Words the widget shows that the worker also needs, to build on them for a service. */
import type { Locale } from './limits';

/** The default hint under the story box: what not to write. */
export const DEFAULT_STORY_HINT: Record<Locale, string> = {
  en: 'Do not include personal details like your name, address, phone or NHS number.',
  cy: 'Peidiwch â chynnwys manylion personol fel eich enw, cyfeiriad, ffôn neu rif GIG.',
};

/** Added to the hint on a service that publishes stories, so citizens know before they write. */
export const PUBLISHED_NOTE: Record<Locale, string> = {
  en: 'Your story may be published on this site with the team’s answer, without personal details.',
  cy: 'Efallai y caiff eich stori ei chyhoeddi ar y wefan hon gydag ateb y tîm, heb fanylion personol.',
};
