/** Limits that the widget and the worker both enforce. */

/** The lowest rating a citizen can give ("Very poor"). */
export const RATING_MIN = 1;
/** The highest rating a citizen can give ("Very good"). */
export const RATING_MAX = 5;
/** The longest story, in characters as the browser counts them (UTF-16 code units). */
export const STORY_MAX_LENGTH = 2000;
/**
 * The longest word search (`q`) of the department API, its CSV export and the console's story
 * filter, in characters; every word in it counts, whatever it holds.
 */
export const SEARCH_MAX_LENGTH = 200;
/** The longest page path the widget sends with a story. */
export const PAGE_MAX_LENGTH = 512;
/** The longest line of a service's own wording in the widget (its hint or signposting). */
export const WORDING_MAX_LENGTH = 300;
/** How long a department keeps stories unless it says otherwise: a year. */
export const DEFAULT_RETENTION_DAYS = 365;
/** The most site origins one service may have (each is a row written with the service, two values a row). */
export const MAX_ORIGINS_PER_SERVICE = 50;
/** The most receipt codes the widget asks about in one `POST /v1/receipts/lookup`. */
export const RECEIPT_LOOKUP_MAX = 20;
/** The largest request body the worker reads, in bytes. */
export const BODY_MAX_BYTES = 16 * 1024;
/** The languages the widget speaks. */
export const LOCALES = ['en', 'cy'] as const;
export type Locale = (typeof LOCALES)[number];
