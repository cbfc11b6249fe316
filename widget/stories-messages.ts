/** The words of the `stories` mode, in English and Welsh; a host may replace any of them. */
import type { Locale } from '../shared';

export interface StoriesMessages {
  heading: string;
  /** The summary's labels. */
  stories: string;
  averageRating: string;
  answered: string;
  changed: string;
  medianWait: string;
  hours: (hours: number) => string;
  /** How each story is introduced, with its rating in words. */
  rated: (rating: string) => string;
  ratings: [string, string, string, string, string];
  answer: string;
  whatChanged: string;
  more: string;
  none: string;
  failed: string;
}

const percent = (share: number, locale: string) =>
  share.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 0 });

const en: StoriesMessages = {
  heading: 'What people told us, and what we did',
  stories: 'Stories',
  averageRating: 'Average rating, out of 5',
  answered: 'Answered',
  changed: 'Answers that led to a change',
  medianWait: 'Typical time to an answer',
  hours: (hours) => (hours < 48 ? `${Math.round(hours)} hours` : `${Math.round(hours / 24)} days`),
  rated: (rating) => `Rated: ${rating}`,
  ratings: ['Very poor', 'Poor', 'Neither good nor poor', 'Good', 'Very good'],
  answer: 'Our answer',
  whatChanged: 'What we changed',
  more: 'Show more stories',
  none: 'No stories have been published yet.',
  failed: 'Stories could not be loaded. Try again later.',
};

const cy: StoriesMessages = {
  heading: 'Beth ddywedodd pobl wrthym, a beth wnaethom ni',
  stories: 'Straeon',
  averageRating: 'Sgôr cyfartalog, allan o 5',
  answered: 'Wedi ateb',
  changed: 'Atebion a arweiniodd at newid',
  medianWait: 'Amser arferol i gael ateb',
  hours: (hours) => (hours < 48 ? `${Math.round(hours)} awr` : `${Math.round(hours / 24)} diwrnod`),
  rated: (rating) => `Sgôr: ${rating}`,
  ratings: ['Gwael iawn', 'Gwael', 'Ddim yn dda nac yn wael', 'Da', 'Da iawn'],
  answer: 'Ein hateb',
  whatChanged: 'Beth wnaethom ei newid',
  more: 'Dangos mwy o straeon',
  none: "Nid oes straeon wedi'u cyhoeddi eto.",
  failed: "Nid oedd modd llwytho'r straeon. Rhowch gynnig arall arni yn nes ymlaen.",
};

export const storiesMessages: Record<Locale, StoriesMessages> = { en, cy };

/** A share, such as 0.5, as the language writes a percentage. */
export const share = (value: number, lang: Locale) => percent(value, lang === 'cy' ? 'cy-GB' : 'en-GB');
