// Answering a story by replying to its alert, in workerd with the real D1: the email() handler
// takes replies as Outlook, Gmail and Apple Mail send them, and refuses every other kind whole.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import PostalMime from 'postal-mime';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { answersTo, statusChangesOf } from '../db/department';
import { deliveries, feedback, members } from '../db/schema';
import { newId } from '../ids';
import worker from '../index';
import { MEMBER, READER, sent, setUpConsole } from '../test/console';
import { TEST_TELLUS_SECRET } from '../test/constants';
import { replyMime, routedMessage, type TransferEncoding } from '../test/reply-mail';
import { addEmail, addWebhook, eventually, insertStory, received, submitStory } from '../test/seed';
import { ALERT_HTML, ALERT_TEXT, lines, quoted } from './fixtures/alert';
import { APPLE_MAIL_TEXT, IPHONE_BELOW_TEXT, IPHONE_WELSH_TEXT } from './fixtures/apple';
import { GMAIL_HTML, GMAIL_TEXT } from './fixtures/gmail';
import { OUTLOOK_DESKTOP_HTML, OUTLOOK_DESKTOP_TEXT, OUTLOOK_WEB_HTML } from './fixtures/outlook';
import { readReply } from './reply-text';
import { replyAddress } from './reply-token';

let db: Db;
let story: string;
let to: string;
let box: string;
beforeEach(async () => {
  db = await setUpConsole();
  box = `reply-${crypto.randomUUID()}`;
  await addWebhook(db, box);
  story = await insertStory(db, { story: 'The bin on Heol y Felin was missed twice this month.' });
  to = await replyAddress(TEST_TELLUS_SECRET, story, env.REPLY_DOMAIN);
});

/** Hands a raw message to the worker's email() handler as Email Routing would; returns its rejections. */
async function deliver(raw: string, envelope: { from?: string; to?: string } = {}) {
  const routed = routedMessage(raw, { from: envelope.from ?? MEMBER, to: envelope.to ?? to });
  const ctx = createExecutionContext();
  await worker.email(routed.message, env, ctx);
  await waitOnExecutionContext(ctx);
  return routed.rejected;
}

const reply = (text: string, more: Partial<Parameters<typeof replyMime>[0]> = {}) =>
  replyMime({ from: MEMBER, to, text, ...more });

async function statusOf(id: string) {
  return (await db.select({ status: feedback.status }).from(feedback).where(eq(feedback.id, id)).get())
    ?.status;
}

async function emailsSent() {
  return Promise.all(sent.map((raw) => PostalMime.parse(raw)));
}

describe('an answer by email', () => {
  it('answers the story from the alert the worker sent: marked answered, feedback.answered sent, history and confirmation', async () => {
    await addEmail(db, 'waste-team@anytown.example.gov.uk');
    const alerted = await submitStory('Nobody collected the green bin on Heol y Felin.');
    const [alert] = await emailsSent();
    const replyTo = alert?.replyTo?.[0];
    expect(replyTo && 'address' in replyTo && replyTo.address).toMatch(
      /^reply\+[0-9a-f]{56}@feedback\.example\.gov\.uk$/,
    );
    const address = replyTo && 'address' in replyTo ? (replyTo.address ?? '') : '';
    const answer = 'Sorry, we have sent a crew today.';
    const text = lines(
      answer,
      '',
      'Changed: The crew now checks the whole street.',
      '',
      `On Mon, 30 Nov 2026 at 09:16, Tellus feedback <${env.EMAIL_FROM}> wrote:`,
      quoted(alert?.text ?? ''),
    );
    const html = `<div>${answer}</div><div><br></div><div>Changed: The crew now checks the whole street.</div><blockquote class="gmail_quote">${alert?.html ?? ''}</blockquote>`;
    sent.length = 0;

    expect(
      await deliver(replyMime({ from: `Officer <${MEMBER}>`, to: address, text, html }), { to: address }),
    ).toEqual([]);

    expect(await statusOf(alerted)).toBe('answered');
    expect(await answersTo(db, alerted)).toEqual([
      expect.objectContaining({
        text: answer,
        changed: true,
        change: 'The crew now checks the whole street.',
      }),
    ]);
    expect(await statusChangesOf(db, alerted)).toEqual([
      expect.objectContaining({ from: 'new', to: 'answered', by: `${MEMBER}, by email` }),
    ]);
    const events = await eventually(async () => {
      const got = (await received(box)).filter(
        (hook) => (hook.body as { type: string }).type === 'feedback.answered',
      );
      return got.length ? got : undefined;
    });
    expect(events?.[0]).toMatchObject({
      verified: true,
      body: { data: { id: alerted, answer: { text: answer } } },
    });
    const [confirmation] = await emailsSent();
    expect(confirmation?.to?.[0]).toMatchObject({ address: MEMBER });
    expect(confirmation?.subject).toBe('Your answer is published: Report a missed bin collection');
    expect(confirmation?.text).toContain(answer);
    expect(confirmation?.text).toContain(`/console/stories/${alerted}`);
    expect(confirmation?.inReplyTo).toBeTruthy();
  });

  const shapes: [string, { text?: string; html?: string; encoding: TransferEncoding }][] = [
    [
      'Outlook, text and HTML, quoted-printable',
      { text: OUTLOOK_DESKTOP_TEXT, html: OUTLOOK_DESKTOP_HTML, encoding: 'quoted-printable' },
    ],
    ['Outlook on the web, HTML only, base64', { html: OUTLOOK_WEB_HTML, encoding: 'base64' }],
    ['Gmail, text and HTML, base64', { text: GMAIL_TEXT, html: GMAIL_HTML, encoding: 'base64' }],
    ['Gmail, HTML only, quoted-printable', { html: GMAIL_HTML, encoding: 'quoted-printable' }],
    ['Apple Mail, text only, quoted-printable', { text: APPLE_MAIL_TEXT, encoding: 'quoted-printable' }],
    ['an iPhone, written below the quote, 8bit', { text: IPHONE_BELOW_TEXT, encoding: '8bit' }],
    ['an iPhone in Welsh, base64', { text: IPHONE_WELSH_TEXT, encoding: 'base64' }],
  ];
  it.each(shapes)(
    'reads a reply from %s, through its transfer encoding, as its words were written',
    async (_, parts) => {
      expect(await deliver(replyMime({ from: MEMBER, to, ...parts }))).toEqual([]);
      const written = readReply({ text: parts.text, html: parts.html });
      expect(written.answer.length).toBeGreaterThan(10);
      const [stored] = await answersTo(db, story);
      expect(stored).toMatchObject({
        text: written.answer,
        changed: written.changed !== undefined,
        change: written.changed ?? null,
      });
      expect(stored?.text).not.toMatch(/Rating: 2\/5|wrote:|ysgrifennodd|Sent from|Anfonwyd/);
      expect(await statusOf(story)).toBe('answered');
    },
  );

  it('ignores an attachment and reads the words beside it', async () => {
    expect(await deliver(reply('The photo shows the bin emptied.', { attachmentBytes: 20_000 }))).toEqual([]);
    expect((await answersTo(db, story)).map((a) => a.text)).toEqual(['The photo shows the bin emptied.']);
  });

  it('takes a reply from a member who is not an admin, and from the contact address, in any letter case', async () => {
    expect(await deliver(reply('First.', { from: READER.toUpperCase() }), { from: READER })).toEqual([]);
    const contact = 'Waste@Anytown.example.gov.uk';
    expect(await deliver(reply('Second.', { from: contact }), { from: contact })).toEqual([]);
    expect((await answersTo(db, story)).map((a) => a.text)).toEqual(['First.', 'Second.']);
  });

  it('stores one answer and sends one confirmation for the same message delivered twice, even at once', async () => {
    const raw = reply('Once only.', { messageId: '<same@mail.anytown.example.gov.uk>' });
    expect(await deliver(raw)).toEqual([]);
    expect(await deliver(raw)).toEqual([]);
    const again = reply('Twice at once.', { messageId: '<race@mail.anytown.example.gov.uk>' });
    expect(await Promise.all([deliver(again), deliver(again)])).toEqual([[], []]);
    expect((await answersTo(db, story)).map((a) => a.text)).toEqual(['Once only.', 'Twice at once.']);
    expect(
      (await emailsSent()).filter((e) => e.subject?.startsWith('Your answer is published')),
    ).toHaveLength(2);
  });
});

describe('the same message, and headers written back', () => {
  it('answers each story one message is sent to, though they share its Message-ID', async () => {
    const other = await insertStory(db, { story: 'The recycling was missed too.' });
    const otherAddress = await replyAddress(TEST_TELLUS_SECRET, other, env.REPLY_DOMAIN);
    const raw = reply('Both are sorted.', { messageId: '<both@mail.anytown.example.gov.uk>' });
    expect(await deliver(raw)).toEqual([]);
    expect(await deliver(raw, { to: otherAddress })).toEqual([]);
    expect((await answersTo(db, story)).map((a) => a.text)).toEqual(['Both are sorted.']);
    expect((await answersTo(db, other)).map((a) => a.text)).toEqual(['Both are sorted.']);
  });

  it('knows a message without a Message-ID again by its sender and words', async () => {
    const raw = reply('No id on this one.').replace(/^Message-ID: .*\r\n/m, '');
    expect(raw).not.toMatch(/Message-ID/i);
    expect(await deliver(raw)).toEqual([]);
    expect(await deliver(raw)).toEqual([]);
    expect((await answersTo(db, story)).map((a) => a.text)).toEqual(['No id on this one.']);
  });

  it('writes no header of the sender’s into the confirmation: a Message-ID carrying a line break is left out', async () => {
    // The encoded word decodes to a Message-ID, a line break and a Bcc header.
    const injected = `=?UTF-8?B?${btoa('<x@y>\r\nBcc: victim@elsewhere.example.org')}?=`;
    expect(await deliver(reply('Sorted.', { messageId: injected }))).toEqual([]);
    const [confirmation] = sent;
    expect(confirmation).toBeDefined();
    expect(confirmation).not.toMatch(/^Bcc:/im);
    expect(confirmation).not.toMatch(/^In-Reply-To:/im);
  });

  it('marks every alert as sent by a machine, so out-of-office replies are not sent to it', async () => {
    await addEmail(db, 'waste-team@anytown.example.gov.uk');
    await submitStory('Missed again.');
    const [alert] = await emailsSent();
    const header = (name: string) => alert?.headers.find((h) => h.key === name)?.value;
    expect(header('auto-submitted')).toBe('auto-generated');
    expect(header('x-auto-response-suppress')).toBe('OOF, AutoReply');
  });
});

describe('a reply that cannot be taken is rejected with its reason, and nothing is stored', () => {
  /** Expects one rejection naming `reason`, and the story, its deliveries and the outbox untouched. */
  async function expectRefused(rejected: string[], reason: RegExp) {
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(reason);
    expect(rejected[0]).toMatch(/Nothing was published|takes only replies/);
    expect(await answersTo(db, story)).toEqual([]);
    expect(await statusOf(story)).toBe('new');
    expect(await db.select().from(deliveries).where(eq(deliveries.feedbackId, story))).toEqual([]);
    expect(sent).toEqual([]);
  }

  it('from someone who is not a member of the story’s department', async () => {
    const stranger = 'someone@elsewhere.example.org';
    await expectRefused(
      await deliver(reply('Hi', { from: stranger }), { from: stranger }),
      /someone@elsewhere\.example\.org is not a member of Waste and Recycling/,
    );
  });

  it('from a member of another department', async () => {
    const other = 'parking-officer@anytown.example.gov.uk';
    await db.insert(members).values({ id: newId(), departmentId: 'parking', email: other, role: 'admin' });
    await expectRefused(
      await deliver(reply('Hi', { from: other }), { from: other }),
      /is not a member of Waste and Recycling/,
    );
  });

  it('whose From is a member but whose envelope sender is someone else', async () => {
    await expectRefused(
      await deliver(reply('Hi'), { from: 'attacker@elsewhere.example.org' }),
      /could not tell who sent this reply/,
    );
  });

  it('to a reply address with a changed character, or another story’s signature', async () => {
    const changed = to.replace(/[0-9a-f](?=@)/, (c) => (c === '0' ? '1' : '0'));
    await expectRefused(
      await deliver(reply('Hi', { to: changed }), { to: changed }),
      /does not match a story Tellus sent/,
    );
    sent.length = 0;
    const other = await replyAddress(TEST_TELLUS_SECRET, await insertStory(db), env.REPLY_DOMAIN);
    const spliced = `${to.slice(0, 6 + 32)}${other.slice(6 + 32)}`;
    await expectRefused(
      await deliver(reply('Hi', { to: spliced }), { to: spliced }),
      /does not match a story Tellus sent/,
    );
  });

  it('to an address that is not a reply address', async () => {
    const hello = `hello@${env.REPLY_DOMAIN}`;
    await expectRefused(
      await deliver(reply('Hi', { to: hello }), { to: hello }),
      /takes only replies to Tellus alert emails/,
    );
  });

  it('about a story its citizen deleted', async () => {
    const deleted = await insertStory(db);
    const address = await replyAddress(TEST_TELLUS_SECRET, deleted, env.REPLY_DOMAIN);
    await db.delete(feedback).where(eq(feedback.id, deleted));
    await expectRefused(await deliver(reply('Hi', { to: address }), { to: address }), /no longer exists/);
  });

  it('that holds nothing but the quoted alert and a signature', async () => {
    const empty = lines(
      '',
      '-- ',
      'Siân Evans',
      '',
      'On Mon, 30 Nov 2026 at 09:16, Tellus <a@b.example> wrote:',
      quoted(ALERT_TEXT),
    );
    await expectRefused(
      await deliver(reply(empty, { html: `<blockquote>${ALERT_HTML}</blockquote>` })),
      /found no answer in this reply/,
    );
  });

  it('larger than 5 MB', async () => {
    await expectRefused(await deliver(reply('Hi', { attachmentBytes: 4 * 1024 * 1024 })), /larger than 5 MB/);
  });

  it('whose answer is longer than an answer may be', async () => {
    await expectRefused(await deliver(reply('a'.repeat(2001))), /longer than 2,000 characters/);
  });

  it('that is an automatic reply, such as an out-of-office message', async () => {
    const away = reply('I am out of the office until Monday.', {
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await expectRefused(await deliver(away), /automatic reply/);
    await expectRefused(
      await deliver(reply('Away.', { headers: { Precedence: 'auto_reply' } })),
      /automatic reply/,
    );
    for (const subject of [
      'Automatic reply: Report a missed bin collection',
      'Ateb Awtomatig: Adrodd am fin',
    ]) {
      await expectRefused(await deliver(reply('Away.', { subject })), /automatic reply/);
    }
    await expectRefused(
      await deliver(reply('Away.', { headers: { 'X-Auto-Response-Suppress': 'All' } })),
      /automatic reply/,
    );
  });

  it('about a closed story', async () => {
    await db.update(feedback).set({ status: 'closed' }).where(eq(feedback.id, story));
    const rejected = await deliver(reply('Hi'));
    expect(rejected).toEqual([expect.stringMatching(/could not publish this answer: This story is closed/)]);
    expect(await answersTo(db, story)).toEqual([]);
    expect(await statusOf(story)).toBe('closed');
  });
});
