/**
 * The worker's email() handler: a reply to an alert, delivered by Cloudflare Email Routing, answers
 * the story its address names, through the same story action as the console and the API. A reply
 * that cannot be taken is rejected with the reason (the sender's mail system tells them), and
 * nothing is stored.
 */
import PostalMime, { type Email as ParsedEmail } from 'postal-mime';
import * as v from 'valibot';
import { NewAnswer } from '../../shared';
import { createDb, type Db } from '../db/client';
import { departmentsOfAddress } from '../db/console';
import { replyTaken, storyOfReply } from '../db/email-replies';
import { sendEmail } from '../delivery/send-email';
import { keyedHash } from '../spam/keys';
import { tellusSecret } from '../spam/secret';
import { answerStory } from '../story-actions';
import { replyConfirmationEmail } from './confirmation-email';
import { REFUSALS } from './refusals';
import { MAX_REPLY_BYTES } from './reply-limits';
import { readReply } from './reply-text';
import { readReplyAddress } from './reply-token';

/** What became of a reply: answered, taken before (the same message again), or refused and why. */
export type ReplyOutcome = { answered: string } | { duplicate: true } | { refused: string };

/** Hands Email Routing's message to `takeReply`, and rejects it with the reason when it is refused. */
export async function receiveReply(message: ForwardableEmailMessage, env: Env, ctx: ExecutionContext) {
  const outcome = await takeReply(message, env, ctx);
  if ('refused' in outcome) {
    console.log('A reply to an alert was refused:', outcome.refused);
    message.setReject(outcome.refused);
  }
  return outcome;
}

/** The address as the console compares it: trimmed, lower case. */
const sameAddress = (address: string | undefined) => (address ?? '').trim().toLowerCase();

/** A Message-ID as it may be written back into a header: no line breaks, no second address. */
const MESSAGE_ID = /^<[^<>\s]{1,250}>$/;
/** The subjects Outlook, Exchange and others give automatic replies, in English and Welsh. */
const AUTOMATIC_SUBJECT = /^\s*(automatic reply|auto[- ]?reply|out of (the )?office|ateb awtomatig)\b/i;

/** An out-of-office or other automatic message (RFC 3834, and the headers mail systems use instead). */
function isAutomatic(email: ParsedEmail): boolean {
  const header = (name: string) =>
    sameAddress(email.headers.find((h) => h.key.toLowerCase() === name)?.value ?? '');
  const autoSubmitted = header('auto-submitted');
  return (
    (autoSubmitted !== '' && autoSubmitted !== 'no') ||
    header('x-autoreply') !== '' ||
    header('x-autorespond') !== '' ||
    header('x-auto-response-suppress') !== '' ||
    AUTOMATIC_SUBJECT.test(email.subject ?? '') ||
    ['auto_reply', 'bulk', 'junk', 'list'].includes(header('precedence'))
  );
}

export async function takeReply(
  message: ForwardableEmailMessage,
  env: Env,
  ctx: ExecutionContext,
  db: Db = createDb(env.DB),
): Promise<ReplyOutcome> {
  if (message.rawSize > MAX_REPLY_BYTES) return { refused: REFUSALS.tooLarge };
  const address = await readReplyAddress(tellusSecret(env), message.to);
  if ('problem' in address) return { refused: REFUSALS[address.problem] };

  let email: ParsedEmail;
  try {
    email = await PostalMime.parse(message.raw, { attachmentEncoding: 'arraybuffer' });
  } catch {
    return { refused: REFUSALS.unreadable };
  }
  if (isAutomatic(email)) return { refused: REFUSALS.automatic };
  const from = email.from && 'address' in email.from ? sameAddress(email.from.address) : '';
  if (!from || from !== sameAddress(message.from)) return { refused: REFUSALS.unknownSender };

  const story = await storyOfReply(db, address.storyId);
  if (!story) return { refused: REFUSALS.noStory };
  const theirs = await departmentsOfAddress(db, from);
  if (!theirs.some((department) => department.id === story.departmentId)) {
    return { refused: REFUSALS.notMember(from, story.departmentName) };
  }
  // One message may answer several stories (one reply address each): the key is per story. A
  // message without a Message-ID is known again by its sender and words, which quote the story:
  // so the key is a keyed hash, as everything kept that is derived from a story is.
  const messageId = email.messageId?.trim() || `${from}\n${email.text ?? ''}\n${email.html ?? ''}`;
  const messageIdHash = await keyedHash(tellusSecret(env), `reply-message:${story.id}:${messageId}`);
  if (await replyTaken(db, messageIdHash)) return { duplicate: true };

  const reply = readReply({ text: email.text, html: email.html });
  if (!reply.answer.trim()) return { refused: REFUSALS.empty };
  const input = v.safeParse(NewAnswer, {
    text: reply.answer,
    changed: reply.changed !== undefined,
    change: reply.changed,
  });
  if (!input.success) return { refused: REFUSALS.tooLong };

  const actor = { department: story.departmentId, by: `${from}, by email` };
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  let result: Awaited<ReturnType<typeof answerStory>>;
  try {
    result = await answerStory(env, db, actor, story.id, input.output, waitUntil, { messageIdHash, from });
  } catch (err) {
    // The same message, delivered twice at once: the other delivery stored it first.
    if (await replyTaken(db, messageIdHash)) return { duplicate: true };
    throw err;
  }
  if (!result.ok) {
    if (await replyTaken(db, messageIdHash)) return { duplicate: true };
    return { refused: result.status === 404 ? REFUSALS.noStory : REFUSALS.notAnswerable(result.detail) };
  }

  const confirmation = replyConfirmationEmail({
    to: from,
    from: env.EMAIL_FROM,
    publicUrl: env.PUBLIC_URL,
    storyId: story.id,
    serviceName: story.serviceName,
    answer: input.output.text,
    changed: input.output.changed ? (input.output.change ?? undefined) : undefined,
    inReplyTo: MESSAGE_ID.test(email.messageId ?? '') ? email.messageId : undefined,
  });
  // The answer is stored and on its way: a confirmation that fails must not make the sender retry.
  ctx.waitUntil(
    sendEmail(env, db, confirmation, 'reply-confirmation', story.id).catch((err) =>
      console.error('Could not send the confirmation of an answer by email', story.id, err),
    ),
  );
  return { answered: result.value.id };
}
