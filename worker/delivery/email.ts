/** The emails Tellus sends, built as MIME with plain-text and HTML parts; stories are escaped. */
import { createMimeMessage, Mailbox } from 'mimetext/browser';
import { isChatKind, maskedTarget, SUBSCRIPTION_KIND_NAMES, type SubscriptionKind } from '../../shared';
import type { StoryContext } from './events';
import { ukDateTime } from './uk-time';

export interface Email {
  from: string;
  to: string;
  subject: string;
  /** The whole message, RFC 5322, ready for the send_email binding. */
  raw: string;
}

const RATING_WORDS = ['Very poor', 'Poor', 'Neither good nor poor', 'Good', 'Very good'];

/** Text made safe to place in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text (as UTF-8) or bytes as base64 in lines of 76 characters (RFC 2045). */
export function base64Lines(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return (btoa(binary).match(/.{1,76}/g) ?? []).join('\r\n');
}

function ratingText(rating: number): string {
  return `${rating}/5 (${RATING_WORDS[rating - 1] ?? 'unknown'})`;
}

/** Headers an email may add: where a reply goes, and which message it answers. */
interface Threading {
  replyTo?: string;
  inReplyTo?: string;
}

export function build(
  from: string,
  to: string,
  subject: string,
  text: string,
  html: string,
  { replyTo, inReplyTo }: Threading = {},
): Email {
  const message = createMimeMessage();
  message.setSender({ name: 'Tellus feedback', addr: from });
  message.setRecipient(to);
  message.setSubject(subject);
  // Sent by a machine (RFC 3834): out-of-office replies are not to answer it, in Exchange's words too.
  message.setHeader('Auto-Submitted', 'auto-generated');
  message.setHeader('X-Auto-Response-Suppress', 'OOF, AutoReply');
  if (replyTo) message.setHeader('Reply-To', new Mailbox({ addr: replyTo }));
  if (inReplyTo) {
    message.setHeader('In-Reply-To', inReplyTo);
    message.setHeader('References', inReplyTo);
  }
  // Base64 keeps any story (long lines, Welsh, emoji) within SMTP's line and character limits.
  message.addMessage({
    contentType: 'text/plain',
    encoding: 'base64',
    data: base64Lines(text),
  });
  message.addMessage({
    contentType: 'text/html',
    encoding: 'base64',
    data: base64Lines(html),
  });
  return { from, to, subject, raw: message.asRaw() };
}

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:Arial,sans-serif;line-height:1.5;color:#0b0c0c">${body}</body></html>`;
}

/** Where an email is going, and what it says about why. */
export interface Recipient {
  to: string;
  from: string;
  /** Tellus's own address, which the console's links start with. */
  publicUrl: string;
  /** Which subscription, and which of its filters, sends it (`whySent`). */
  why: string;
  /** Each story's reply address (`replyAddress`), when replies to alerts are taken. */
  replyTo?: ReadonlyMap<string, string>;
}

/** What an officer's reply does, in the words the alert gives it (and reply-text.ts drops). */
export const REPLY_WORDS = {
  each: 'Or answer it by replying to this email: what you write above the quoted alert is published as the service’s answer, and the person who wrote the story sees it.',
  digest: 'Answer this story by email',
};

/** A page of the Tellus console, as links in messages name it. */
export const consoleLink = (publicUrl: string, path: string) =>
  `${publicUrl.replace(/\/+$/, '')}/console${path}`;

export const storyLink = (publicUrl: string, id: string) =>
  consoleLink(publicUrl, `/stories/${encodeURIComponent(id)}`);

function storyText({ feedback, service }: StoryContext, publicUrl: string, reply?: ReplyOffer): string {
  return [
    `Service: ${service.name}`,
    `Rating: ${ratingText(feedback.rating)}`,
    feedback.severity === 'urgent'
      ? 'Severity: URGENT: the story mentions a risk to someone’s safety.'
      : null,
    `Received: ${ukDateTime(feedback.createdAt)}`,
    feedback.page ? `Page: ${feedback.page}` : null,
    '',
    feedback.story ?? '(No story, only a rating.)',
    '',
    `Read and answer it in the Tellus console: ${storyLink(publicUrl, feedback.id)}`,
    reply ? reply.text : null,
  ]
    .filter((line) => line !== null)
    .join('\n');
}

/** How an alert offers to take an answer by email: the whole email's reply, or a link a story. */
type ReplyOffer = { text: string; html: string } | undefined;

function replyOffer(address: string | undefined, each: boolean, subject: string): ReplyOffer {
  if (!address) return undefined;
  if (each) return { text: REPLY_WORDS.each, html: `<p>${escapeHtml(REPLY_WORDS.each)}</p>` };
  const mailto = `mailto:${address}?subject=${encodeURIComponent(`Re: ${subject}`)}`;
  return {
    text: `${REPLY_WORDS.digest}: ${address}`,
    html: `<p><a href="${escapeHtml(mailto)}">${escapeHtml(REPLY_WORDS.digest)}</a> (your reply is published as the service’s answer)</p>`,
  };
}

function storyHtml({ feedback, service }: StoryContext, publicUrl: string, reply?: ReplyOffer): string {
  const link = storyLink(publicUrl, feedback.id);
  return [
    feedback.severity === 'urgent'
      ? '<p style="border-left:5px solid #d4351c;padding-left:10px"><strong>Urgent:</strong> the story mentions a risk to someone’s safety.</p>'
      : '',
    `<p><strong>${escapeHtml(service.name)}</strong>: ${escapeHtml(ratingText(feedback.rating))}</p>`,
    `<blockquote style="white-space:pre-wrap;margin:0 0 1em;padding-left:10px;border-left:4px solid #b1b4b6">${
      feedback.story ? escapeHtml(feedback.story) : '<em>No story, only a rating.</em>'
    }</blockquote>`,
    `<p style="color:#484949">Received ${escapeHtml(ukDateTime(feedback.createdAt))}${feedback.page ? ` on ${escapeHtml(feedback.page)}` : ''}.</p>`,
    `<p><a href="${escapeHtml(link)}">Read and answer it in the Tellus console</a></p>`,
    reply ? reply.html : '',
  ].join('');
}

/** The email's last words: why it came, and where an admin changes that. */
function whyText({ why, publicUrl }: Recipient): string {
  return `${why} Your department's admins can change that in the Tellus console: ${consoleLink(publicUrl, '/subscriptions')}`;
}

function whyHtml({ why, publicUrl }: Recipient): string {
  const link = consoleLink(publicUrl, '/subscriptions');
  return `<p style="color:#484949;border-top:1px solid #b1b4b6;padding-top:8px">${escapeHtml(why)} Your department's admins can change that in <a href="${escapeHtml(link)}">the Tellus console</a>.</p>`;
}

/** One story, as an `each` email subscription receives it. */
export function storyEmail(context: StoryContext, recipient: Recipient): Email {
  const { feedback, service } = context;
  const subject = `${feedback.severity === 'urgent' ? 'URGENT: ' : ''}${service.name}: rated ${ratingText(feedback.rating)}`;
  const replyTo = recipient.replyTo?.get(feedback.id);
  const reply = replyOffer(replyTo, true, subject);
  return build(
    recipient.from,
    recipient.to,
    subject,
    `${storyText(context, recipient.publicUrl, reply)}\n\n${whyText(recipient)}`,
    page(subject, storyHtml(context, recipient.publicUrl, reply) + whyHtml(recipient)),
    { replyTo },
  );
}

/** A day's stories for a `daily` email subscription, grouped by service; `day` as people read it. */
export function digestEmail(stories: StoryContext[], recipient: Recipient, day: string): Email {
  const byService = new Map<string, StoryContext[]>();
  for (const story of stories) {
    byService.set(story.service.name, [...(byService.get(story.service.name) ?? []), story]);
  }
  const count = `${stories.length} ${stories.length === 1 ? 'story' : 'stories'}`;
  const subject = `Tellus daily digest for ${day}: ${count}`;
  const text: string[] = [`${count} since the last digest.`];
  const html: string[] = [`<h1 style="font-size:1.5em">${escapeHtml(subject)}</h1>`];
  for (const [service, items] of byService) {
    text.push('', `== ${service} (${items.length}) ==`);
    html.push(`<h2 style="font-size:1.2em">${escapeHtml(service)} (${items.length})</h2>`);
    for (const item of items) {
      const reply = replyOffer(recipient.replyTo?.get(item.feedback.id), false, `${service}: a story`);
      text.push('', storyText(item, recipient.publicUrl, reply));
      html.push(
        `<div style="border-top:1px solid #b1b4b6;padding-top:8px">${storyHtml(item, recipient.publicUrl, reply)}</div>`,
      );
    }
  }
  text.push('', whyText(recipient));
  html.push(whyHtml(recipient));
  return build(recipient.from, recipient.to, subject, text.join('\n'), page(subject, html.join('')));
}

/** Tells a department that Tellus stopped delivering to one of its subscriptions, and why. */
export function subscriptionDisabledEmail(
  subscription: { id: string; kind: SubscriptionKind; target: string },
  reason: string,
  to: string,
  from: string,
): Email {
  // A Teams or Slack URL is a secret, and an email can be forwarded: it is named masked.
  const target = maskedTarget(subscription.kind, subscription.target);
  const kind = isChatKind(subscription.kind) ? SUBSCRIPTION_KIND_NAMES[subscription.kind] : subscription.kind;
  const subject = `Tellus stopped delivering to ${target}`;
  const text = [
    `Tellus has disabled your ${kind} subscription ${subscription.id} (${target}).`,
    '',
    `Why: ${reason}`,
    '',
    'Stories are still stored and their deliveries are kept. Once the receiver is fixed, send a test',
    'from Subscriptions in the Tellus console: when a test is received, you can resume the subscription',
    'there (or ask your Tellus operator to enable it), and the waiting deliveries can then be replayed.',
  ].join('\n');
  const html = `<p>Tellus has disabled your ${escapeHtml(kind)} subscription <code>${escapeHtml(subscription.id)}</code> (${escapeHtml(target)}).</p><p><strong>Why:</strong> ${escapeHtml(reason)}</p><p>Stories are still stored and their deliveries are kept. Once the receiver is fixed, send a test from Subscriptions in the Tellus console: when a test is received, you can resume the subscription there (or ask your Tellus operator to enable it), and the waiting deliveries can then be replayed.</p>`;
  return build(from, to, subject, text, page(subject, html));
}

/** A test message for an email subscription. */
export function testEmail(to: string, from: string): Email {
  const subject = 'Tellus test message';
  const text = 'This is a test message from Tellus. Stories for your service will arrive like this.';
  return build(from, to, subject, text, page(subject, `<p>${escapeHtml(text)}</p>`));
}

/** Names in a sentence: `A`, `A and B`, `A, B and C`. */
const inWords = (names: string[]) =>
  names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');

/**
 * The console's sign-in email: who asked (someone, at the sign-in page, for this address), a link
 * for each department the address may sign in to, and what to do if it was not them.
 */
export function signInEmail(to: string, from: string, links: { department: string; url: string }[]): Email {
  const subject = 'Sign in to the Tellus console';
  const asked = `Someone asked for a link to sign in to the Tellus console as ${to}, on its sign-in page, for ${inWords(links.map((link) => link.department))}.`;
  const use = 'Use this link to sign in. It works once, within 15 minutes.';
  const ignore = 'If it was not you, you can ignore this email: nobody can sign in without the link.';
  const text = [
    asked,
    '',
    use,
    '',
    ...links.flatMap((link) => [`${link.department}:`, link.url, '']),
    ignore,
  ].join('\n');
  const html = page(
    subject,
    `<p>${escapeHtml(asked)}</p><p>${escapeHtml(use)}</p>${links
      .map((link) => `<p><a href="${escapeHtml(link.url)}">Sign in to ${escapeHtml(link.department)}</a></p>`)
      .join('')}<p>${escapeHtml(ignore)}</p>`,
  );
  return build(from, to, subject, text, html);
}

export interface Invitation {
  /** The admin who invited them. */
  inviter: string;
  department: string;
  role: keyof typeof ROLE_WORDS;
  /** Their sign-in link, which works once within 7 days. */
  url: string;
  /** Where to ask for a new link. */
  signInPage: string;
}

const ROLE_WORDS = {
  admin:
    'as an admin: you can read and answer its stories, and set up its services, subscriptions, team and API keys',
  member: 'as a member: you can read, answer, publish and export its stories',
};

/** The email inviting someone to a department's console: who invited them, what Tellus is, their link. */
export function invitationEmail(to: string, from: string, invitation: Invitation): Email {
  const { inviter, department, role, url, signInPage } = invitation;
  const subject = `You are invited to the Tellus console of ${department}`;
  const lines = [
    `${inviter} invited you to the Tellus console of ${department}, ${ROLE_WORDS[role]}.`,
    'Tellus brings the feedback people leave on public service pages to the team that runs the service, to read and answer.',
  ];
  const expiry = `The link works once, within 7 days. If it has expired, ask for a new one at ${signInPage} with this address.`;
  const ignore = `If you did not expect this, you can ignore this email, or ask ${inviter} about it.`;
  const text = [...lines, '', 'Sign in with this link:', url, '', expiry, '', ignore].join('\n');
  const html = page(
    subject,
    `${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}<p><a href="${escapeHtml(url)}">Sign in to ${escapeHtml(department)}</a></p><p>${escapeHtml(expiry)}</p><p>${escapeHtml(ignore)}</p>`,
  );
  return build(from, to, subject, text, html);
}
