/** Every word the widget shows, in English and Welsh, and the one map from error codes to text. */
import { type Locale, type ProblemCode, STORY_MAX_LENGTH } from '../shared';

/** Why sending failed: a problem the worker reported, or no answer at all (offline or blocked). */
export type FailureCode = ProblemCode | 'network-error' | 'offline';

export interface Messages {
  heading: string;
  ratingLegend: string;
  ratings: [string, string, string, string, string];
  storyLabel: string;
  storyHint: string;
  charactersLimit: string;
  charactersLeft: (count: number) => string;
  charactersTooMany: (count: number) => string;
  send: string;
  sending: string;
  errorSummaryTitle: string;
  errorPrefix: string;
  ratingRequired: string;
  storyTooLong: string;
  previewTitle: string;
  previewText: string;
  previewSend: string;
  previewChange: string;
  thanksTitle: string;
  thanksBody: string;
  failures: Record<FailureKind, string>;
}

/** What the citizen needs to know about a failure; many codes share one message. */
type FailureKind = 'notSetUp' | 'notSent' | 'server' | 'network' | 'offline';

const FAILURE_KINDS: Partial<Record<FailureCode, FailureKind>> = {
  'service-not-found': 'notSetUp',
  'origin-not-allowed': 'notSetUp',
  'network-error': 'network',
  'internal-error': 'server',
  offline: 'offline',
};

const format = (n: number, locale: string) => n.toLocaleString(locale);

const en: Messages = {
  heading: 'Tell us how it went',
  ratingLegend: 'How was your experience of this service?',
  ratings: ['Very poor', 'Poor', 'Neither good nor poor', 'Good', 'Very good'],
  storyLabel: 'Tell us what happened (optional)',
  storyHint:
    'Do not include personal details, like your name, address, phone, NHS or National Insurance number.',
  charactersLimit: `You can enter up to ${format(STORY_MAX_LENGTH, 'en-GB')} characters`,
  charactersLeft: (n) => `You have ${format(n, 'en-GB')} character${n === 1 ? '' : 's'} remaining`,
  charactersTooMany: (n) => `You have ${format(n, 'en-GB')} character${n === 1 ? '' : 's'} too many`,
  send: 'Send feedback',
  sending: 'Sending your feedback…',
  errorSummaryTitle: 'There is a problem',
  errorPrefix: 'Error:',
  ratingRequired: 'Select how your experience was',
  storyTooLong: `Your story must be ${format(STORY_MAX_LENGTH, 'en-GB')} characters or fewer`,
  previewTitle: 'Check your story',
  previewText: 'Your story seems to include personal details. We will remove them before sending, like this:',
  previewSend: 'Send without them',
  previewChange: 'Change my story',
  thanksTitle: 'Thank you for your feedback',
  thanksBody: 'Your story has been sent to the team that runs this service.',
  failures: {
    notSetUp: 'Feedback is not set up for this page yet. Contact the service another way.',
    notSent:
      'Your feedback could not be sent. Check it and send it again, or contact the service another way.',
    server:
      'Sorry, there is a problem with the service. Your feedback is saved on this device and will be sent automatically.',
    network:
      'Your feedback could not be sent yet. It is saved on this device and will be sent automatically.',
    offline:
      'You are offline. Your feedback is saved on this device and will be sent when you are back online.',
  },
};

const cy: Messages = {
  heading: 'Dywedwch wrthym sut aeth hi',
  ratingLegend: "Sut oedd eich profiad o'r gwasanaeth hwn?",
  ratings: ['Gwael iawn', 'Gwael', 'Ddim yn dda nac yn wael', 'Da', 'Da iawn'],
  storyLabel: 'Dywedwch wrthym beth ddigwyddodd (dewisol)',
  storyHint:
    'Peidiwch â chynnwys manylion personol, fel eich enw, cyfeiriad, ffôn, rhif GIG neu Yswiriant Gwladol.',
  charactersLimit: `Gallwch roi hyd at ${format(STORY_MAX_LENGTH, 'cy-GB')} nod`,
  charactersLeft: (n) => `Mae gennych ${format(n, 'cy-GB')} nod ar ôl`,
  charactersTooMany: (n) => `Mae gennych ${format(n, 'cy-GB')} nod yn ormod`,
  send: 'Anfon adborth',
  sending: "Wrthi'n anfon eich adborth…",
  errorSummaryTitle: 'Mae problem wedi codi',
  errorPrefix: 'Gwall:',
  ratingRequired: 'Dewiswch sut oedd eich profiad',
  storyTooLong: `Rhaid i'ch stori fod yn ${format(STORY_MAX_LENGTH, 'cy-GB')} nod neu lai`,
  previewTitle: 'Gwiriwch eich stori',
  previewText:
    "Mae'n ymddangos bod eich stori'n cynnwys manylion personol. Byddwn yn eu dileu cyn anfon, fel hyn:",
  previewSend: 'Anfon hebddyn nhw',
  previewChange: 'Newid fy stori',
  thanksTitle: 'Diolch am eich adborth',
  thanksBody: "Mae eich stori wedi'i hanfon at y tîm sy'n rhedeg y gwasanaeth hwn.",
  failures: {
    notSetUp:
      "Nid yw adborth wedi'i sefydlu ar gyfer y dudalen hon eto. Cysylltwch â'r gwasanaeth mewn ffordd arall.",
    notSent:
      "Nid oedd modd anfon eich adborth. Gwiriwch ef a'i anfon eto, neu cysylltwch â'r gwasanaeth mewn ffordd arall.",
    server:
      "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth. Mae eich adborth wedi'i gadw ar y ddyfais hon a bydd yn cael ei anfon yn awtomatig.",
    network:
      "Nid oedd modd anfon eich adborth eto. Mae wedi'i gadw ar y ddyfais hon a bydd yn cael ei anfon yn awtomatig.",
    offline:
      "Rydych all-lein. Mae eich adborth wedi'i gadw ar y ddyfais hon a bydd yn cael ei anfon pan fyddwch ar-lein eto.",
  },
};

export const messages: Record<Locale, Messages> = { en, cy };

/** The text a citizen sees when sending failed with this code. */
export function failureText(t: Messages, code: FailureCode): string {
  return t.failures[FAILURE_KINDS[code] ?? 'notSent'];
}
