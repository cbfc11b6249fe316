/** Sends an email through the send_email binding and notes it in the sent_emails log. */
import { EmailMessage } from 'cloudflare:email';
import type { Db } from '../db/client';
import { sentEmails } from '../db/schema';
import type { Email } from './email';

export async function sendEmail(
  env: Env,
  db: Db,
  email: Email,
  kind: string,
  about: string,
  now = Date.now(),
) {
  await env.EMAIL.send(new EmailMessage(email.from, email.to, email.raw));
  await db
    .insert(sentEmails)
    .values({ kind, to: email.to, subject: email.subject, about, sentAt: new Date(now).toISOString() });
}
