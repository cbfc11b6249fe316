/**
 * Why a reply to an alert was not taken, in words for the officer who sent it: the email() handler
 * rejects the message with one of these, and their mail system shows it to them in its bounce.
 */
import { STORY_MAX_LENGTH } from '../../shared';
import { MAX_REPLY_MEGABYTES } from './reply-limits';

const NOTHING_STORED = 'Nothing was published.';

export const REFUSALS = {
  tooLarge: `This reply is larger than ${MAX_REPLY_MEGABYTES} MB, so Tellus did not read it. Send your answer without attachments or pictures, or answer in the Tellus console. ${NOTHING_STORED}`,
  'not-a-reply-address':
    'This address takes only replies to Tellus alert emails. To answer a story, reply to its alert, or answer it in the Tellus console.',
  tampered: `This reply address does not match a story Tellus sent: it may have been changed. Reply to the alert itself, or answer the story in the Tellus console. ${NOTHING_STORED}`,
  unreadable: `Tellus could not read this message as an email. ${NOTHING_STORED}`,
  automatic: `This is an automatic reply (such as an out-of-office message), and only people answer stories. ${NOTHING_STORED}`,
  unknownSender: `Tellus could not tell who sent this reply: its From address and the address it was sent from differ. Reply from your own mailbox, or answer in the Tellus console. ${NOTHING_STORED}`,
  noStory: `The story this alert was about no longer exists: the person who wrote it deleted it, or its department's retention period has passed. ${NOTHING_STORED}`,
  notMember: (address: string, department: string) =>
    `${address} is not a member of ${department} in the Tellus console, so its replies are not published. An admin of the department can invite you from the console's Team page. ${NOTHING_STORED}`,
  empty: `Tellus found no answer in this reply, only the quoted alert. Write your answer above the quoted alert. ${NOTHING_STORED}`,
  tooLong: `This answer is longer than ${STORY_MAX_LENGTH.toLocaleString('en-GB')} characters. Shorten it, or answer in the Tellus console. ${NOTHING_STORED}`,
  notAnswerable: (why: string) => `Tellus could not publish this answer: ${why}. ${NOTHING_STORED}`,
};
