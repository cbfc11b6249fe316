// `npm run tellus -- reply`: answers the newest alert email that `wrangler dev` wrote (an .eml file)
// as an officer's mail client would, by replying to it, and hands the reply to the worker's email()
// handler at /cdn-cgi/handler/email, which is where Email Routing delivers replies once deployed.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { emlPathOf, ROOT } from './wrangler.ts';

export interface ReplyOptions {
  /** Where the worker runs. */
  base: string;
  /** The alert to answer; the newest alert under .wrangler/tmp when not given. */
  eml?: string;
  /** Who replies: a member of the story's department. */
  from: string;
  text: string;
  /** What changed, written as the `Changed:` line officers use. */
  changed?: string;
}

/** Every .eml file under `dir`, however deep. */
function emlFiles(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return emlFiles(path);
    return entry.name.endsWith('.eml') ? [path] : [];
  });
}

/** The newest email wrangler dev wrote that can be answered by replying (it has a reply address). */
export function newestAlert(dir = join(ROOT, '.wrangler', 'tmp')): string | undefined {
  return emlFiles(dir)
    .map((path) => ({ path, at: statSync(path).mtimeMs }))
    .sort((a, b) => b.at - a.at)
    .find(({ path }) => isAlert(readFileSync(path, 'utf8')))?.path;
}

/** Whether an email is an alert that can be answered by replying to it. */
export const isAlert = (raw: string) => /^Reply-To:.*reply\+/im.test(raw);

/** A plain-text reply to `alert`, quoting it under an attribution as Gmail and Thunderbird do. */
export async function replyTo(alertRaw: string, { from, text, changed }: ReplyOptions) {
  const alert = await PostalMime.parse(alertRaw);
  const first = alert.replyTo?.[0];
  const to = first && 'address' in first ? first.address : undefined;
  if (!to) throw new Error('This email has no reply address: it is not an alert about one story');
  const sender = alert.from && 'address' in alert.from ? alert.from.address : 'Tellus';
  const quote = (alert.text ?? '')
    .split(/\r?\n/)
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\r\n');
  const body = [
    text,
    ...(changed ? ['', `Changed: ${changed}`] : []),
    '',
    `On ${new Date().toUTCString()}, Tellus feedback <${sender}> wrote:`,
    quote,
  ].join('\r\n');
  const headers = [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: Re: ${alert.subject ?? ''}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomUUID()}@tellus-reply.localhost>`,
    ...(alert.messageId ? [`In-Reply-To: ${alert.messageId}`, `References: ${alert.messageId}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return { to, raw: `${headers.join('\r\n')}\r\n\r\n${body}\r\n` };
}

/** Replies to the alert and posts the reply to the local email() handler; the handler's verdict. */
export async function sendReply(options: ReplyOptions): Promise<{ ok: boolean; message: string }> {
  const file = options.eml ?? newestAlert();
  if (!file) {
    return {
      ok: false,
      message:
        'No alert email yet: send a story on the demo page (http://localhost:8787/) first, then run this again.',
    };
  }
  let alert: string;
  try {
    alert = readFileSync(file, 'utf8');
  } catch {
    return { ok: false, message: `Could not read ${file}: give the .eml file of an alert email.` };
  }
  let reply: Awaited<ReturnType<typeof replyTo>>;
  try {
    reply = await replyTo(alert, options);
  } catch (err) {
    return { ok: false, message: `${file}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const { to, raw } = reply;
  const url = new URL('/cdn-cgi/handler/email', options.base);
  url.searchParams.set('from', options.from);
  url.searchParams.set('to', to);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body: raw });
  } catch {
    return { ok: false, message: `Could not reach ${options.base}. Is the worker running (npm start)?` };
  }
  const said = (await res.text()).replace(/^Worker rejected email with the following reason: /, '');
  return res.ok
    ? {
        ok: true,
        message: `Replied to ${file} as ${options.from}: the story is answered. The citizen's receipt shows the answer, and the demo inbox prints feedback.answered.`,
      }
    : { ok: false, message: `The reply was refused: ${said}` };
}

/** After wrangler's line about an email it wrote, says how to answer it if it is an alert. */
export function printReplyHint(line: string, print: (text: string) => void = console.log) {
  const file = emlPathOf(line);
  if (!file) return;
  try {
    if (isAlert(readFileSync(file, 'utf8'))) {
      print(`[reply] Answer this alert by replying to it: npm run tellus -- reply --text 'Your answer'`);
    }
  } catch {
    // Not ours to read: the sign-in watcher says so.
  }
}
