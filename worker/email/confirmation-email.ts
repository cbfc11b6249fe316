/** The email that tells an officer their reply to an alert was published as the story's answer. */
import { build, type Email, escapeHtml, page, storyLink } from '../delivery/email';

export interface Confirmation {
  to: string;
  from: string;
  publicUrl: string;
  storyId: string;
  serviceName: string;
  answer: string;
  changed?: string;
  /** The reply's own `Message-ID`, so the confirmation threads under it. */
  inReplyTo?: string;
}

/** "Your answer is published": what was published, where the citizen sees it, and the story's link. */
export function replyConfirmationEmail(confirmation: Confirmation): Email {
  const { to, from, publicUrl, storyId, serviceName, answer, changed, inReplyTo } = confirmation;
  const subject = `Your answer is published: ${serviceName}`;
  const link = storyLink(publicUrl, storyId);
  const published = `Tellus published your reply as the answer to a story about ${serviceName}. The person who wrote the story sees it on their receipt, and your department's webhooks were sent it.`;
  const change = changed ? `What changed: ${changed}` : undefined;
  const more = 'To read the story, or to answer it again, open it in the Tellus console:';
  const text = [published, '', 'Your answer:', answer, ...(change ? ['', change] : []), '', more, link].join(
    '\n',
  );
  const html = page(
    subject,
    `<p>${escapeHtml(published)}</p><p><strong>Your answer:</strong></p><blockquote style="white-space:pre-wrap;margin:0 0 1em;padding-left:10px;border-left:4px solid #b1b4b6">${escapeHtml(answer)}</blockquote>${
      change ? `<p>${escapeHtml(change)}</p>` : ''
    }<p><a href="${escapeHtml(link)}">Open the story in the Tellus console</a></p>`,
  );
  return build(from, to, subject, text, html, { inReplyTo });
}
