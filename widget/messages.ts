/** Every word the widget shows, as English speaks them; Welsh is a part (parts/cy.ts). */
// From the modules themselves, not `../shared`: the package's type declarations hold this file's.
import { type Locale, STORY_MAX_LENGTH } from '../shared/limits';
import { DEFAULT_STORY_HINT } from '../shared/wording';

export interface Messages {
  heading: string;
  /** Where else to go: this form is not for emergencies or complaints. Set per service. */
  signposting: string;
  /** The rating's legend. */
  question: string;
  ratings: [string, string, string, string, string];
  storyLabel: string;
  storyHint: string;
  /** The character count: the limit (for screen readers), and what is left or over as the citizen types. */
  limit: string;
  left: (count: number) => string;
  over: (count: number) => string;
  send: string;
  sending: string;
  /** The error summary's title, the hidden "Error:" before each message, and the two errors. */
  problem: string;
  errorLabel: string;
  noRating: string;
  tooLong: string;
  /** The personal-details preview: its title and text, and its two buttons. */
  previewTitle: string;
  previewText: string;
  sendAnyway: string;
  edit: string;
  thanks: string;
  thanksText: string;
  /** The link to the citizen's receipt, where they see their story's status or delete it. */
  receipt: string;
  /** The `tab` mode's launcher, and the button that closes its dialog. */
  tab: string;
  close: string;
  /** The `useful` mode's question and answers (GOV.UK's "Is this page useful?"). */
  useful: string;
  yes: string;
  no: string;
  notSent: string;
  saved: string;
  /** The link to the service's privacy notice, where it has one. */
  privacy: string;
}

/** Words a host or a service puts in place of the bundled ones, per language. */
export type Wording = Partial<Record<Locale, Partial<Messages>>>;

// Thousands with commas, as English and Welsh both write them. Not `toLocaleString`: its first call
// loads the browser's locale data, the widget's longest task on a slow phone.
export const format = (n: number) => `${n}`.replace(/\B(?=(\d{3})+$)/g, ',');

const en: Messages = {
  heading: 'Tell us how it went',
  signposting: 'This is not for emergencies or formal complaints. In an emergency, call 999.',
  question: 'How was your experience of this service?',
  ratings: ['Very poor', 'Poor', 'Neither good nor poor', 'Good', 'Very good'],
  storyLabel: 'Tell us what happened (optional)',
  storyHint: DEFAULT_STORY_HINT.en,
  limit: `You can enter up to ${format(STORY_MAX_LENGTH)} characters`,
  left: (n) => `You have ${format(n)} character${n === 1 ? '' : 's'} remaining`,
  over: (n) => `You have ${format(n)} character${n === 1 ? '' : 's'} too many`,
  send: 'Send feedback',
  sending: 'Sending your feedback…',
  problem: 'There is a problem',
  errorLabel: 'Error:',
  noRating: 'Select how your experience was',
  tooLong: `Your story must be ${format(STORY_MAX_LENGTH)} characters or fewer`,
  previewTitle: 'Check your story',
  previewText: 'We will remove personal details before sending, like this:',
  sendAnyway: 'Send without them',
  edit: 'Change my story',
  thanks: 'Thank you for your feedback',
  thanksText: 'Your feedback has been sent to the team that runs this service.',
  receipt: 'See or delete your story',
  tab: 'Feedback',
  close: 'Close',
  useful: 'Is this page useful?',
  yes: 'Yes',
  no: 'No',
  notSent: 'Your feedback could not be sent. Contact the service another way.',
  saved: 'Your feedback could not be sent yet. It is saved on this device and will be sent automatically.',
  privacy: 'How we use your feedback',
};

/** The words of the first paint. The other language's are a part of their own (parts/cy.ts). */
export { en };
