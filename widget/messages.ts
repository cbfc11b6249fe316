/** Every word the widget shows, in English and Welsh, and the one map from error codes to text. */
import { type Locale, STORY_MAX_LENGTH } from '../shared';
import { type FailureCode, retryable } from './api';

export interface Messages {
  heading: string;
  /** Where else to go: this form is not for emergencies or complaints. Set per service. */
  signposting: string;
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
  /** The `tab` mode's launcher, and the button that closes its dialog. */
  tab: string;
  close: string;
  /** The `useful` mode's question and answers (GOV.UK's "Is this page useful?"). */
  useful: string;
  yes: string;
  no: string;
  notSent: string;
  saved: string;
}

/** Words a host or a service puts in place of the bundled ones, per language. */
export type Wording = Partial<Record<Locale, Partial<Messages>>>;

const format = (n: number, locale: string) => n.toLocaleString(locale);

const en: Messages = {
  heading: 'Tell us how it went',
  signposting: 'This is not for emergencies or formal complaints. In an emergency, call 999.',
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
  previewText: 'We will remove personal details from your story before sending it, like this:',
  previewSend: 'Send without them',
  previewChange: 'Change my story',
  thanksTitle: 'Thank you for your feedback',
  thanksBody: 'Your feedback has been sent to the team that runs this service.',
  tab: 'Feedback',
  close: 'Close',
  useful: 'Is this page useful?',
  yes: 'Yes',
  no: 'No',
  notSent: 'Your feedback could not be sent. Contact the service another way.',
  saved: 'Your feedback could not be sent yet. It is saved on this device and will be sent automatically.',
};

const cy: Messages = {
  heading: 'Dywedwch wrthym sut aeth hi',
  signposting: 'Nid yw hwn ar gyfer argyfyngau na chwynion ffurfiol. Mewn argyfwng, ffoniwch 999.',
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
  previewText: "Byddwn yn dileu manylion personol o'ch stori cyn ei hanfon, fel hyn:",
  previewSend: 'Anfon hebddyn nhw',
  previewChange: 'Newid fy stori',
  thanksTitle: 'Diolch am eich adborth',
  thanksBody: "Mae eich adborth wedi'i anfon at y tîm sy'n rhedeg y gwasanaeth hwn.",
  tab: 'Adborth',
  close: 'Cau',
  useful: "Ydy'r dudalen hon yn ddefnyddiol?",
  yes: 'Ydy',
  no: 'Nac ydy',
  notSent: "Nid oedd modd anfon eich adborth. Cysylltwch â'r gwasanaeth mewn ffordd arall.",
  saved:
    "Nid oedd modd anfon eich adborth eto. Mae wedi'i gadw ar y ddyfais hon a bydd yn cael ei anfon yn awtomatig.",
};

export const messages: Record<Locale, Messages> = { en, cy };

/** The text a citizen sees when sending failed with this code. */
export function failureText(t: Messages, code: FailureCode): string {
  return retryable(code) ? t.saved : t.notSent;
}
