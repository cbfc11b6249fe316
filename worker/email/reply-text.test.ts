// What is left of a reply to an alert: the officer's words and the change they name, from each mail client.
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { storyEmail } from '../delivery/email';
import { ALERT_HTML, ALERT_TEXT, lines, quoted } from './fixtures/alert';
import { APPLE_MAIL_TEXT, IPHONE_BELOW_TEXT, IPHONE_TEXT, IPHONE_WELSH_TEXT } from './fixtures/apple';
import { GMAIL_HTML, GMAIL_TEXT, GMAIL_WELSH_TEXT } from './fixtures/gmail';
import {
  OUTLOOK_DESKTOP_HTML,
  OUTLOOK_DESKTOP_TEXT,
  OUTLOOK_WEB_HTML,
  OUTLOOK_WEB_TEXT,
  OUTLOOK_WELSH_TEXT,
} from './fixtures/outlook';
import { readReply } from './reply-text';

const ATTRIBUTION = 'On Thu, 26 Nov 2026 at 09:16, Tellus feedback <alerts@feedback.example> wrote:';

describe('readReply from Outlook', () => {
  const answer =
    'Thanks for letting us know. We have sent a crew to Heol y Felin today and the bin has been emptied.';
  // Outlook marks no signature: the officer's sign-off stays part of the answer.
  const signOff = 'Kind regards,\nSiân Evans\nWaste and Recycling, Anytown Council';
  const changed = 'Crews now check the whole of Heol y Felin before marking the round done.';

  it('keeps what is above the header block of Outlook on the desktop, in text', () => {
    expect(readReply({ text: OUTLOOK_DESKTOP_TEXT })).toEqual({ answer: `${answer}\n\n${signOff}`, changed });
  });

  it('reads Outlook’s Word HTML when there is no text part: its paragraphs are lines', () => {
    expect(readReply({ html: OUTLOOK_DESKTOP_HTML })).toEqual({ answer: `${answer}\n\n${signOff}`, changed });
    expect(readReply({ text: '  \n', html: OUTLOOK_DESKTOP_HTML })).toEqual(
      readReply({ html: OUTLOOK_DESKTOP_HTML }),
    );
  });

  it('stops at the line of underscores of Outlook on the web, and at its divRplyFwdMsg in HTML', () => {
    const expected = {
      answer: 'Thanks – we’ve added Heol y Felin to Thursday’s round.',
      changed: 'Heol y Felin is now on the Thursday round.',
    };
    expect(readReply({ text: OUTLOOK_WEB_TEXT })).toEqual(expected);
    expect(readReply({ html: OUTLOOK_WEB_HTML })).toEqual(expected);
  });

  it('stops at Outlook’s header block written in Welsh', () => {
    expect(readReply({ text: OUTLOOK_WELSH_TEXT })).toEqual({
      answer: 'Diolch. Mae’r criw wedi casglu’r bin heddiw.',
    });
  });

  it('stops at "-----Original Message-----", and at a header block on one line', () => {
    const original = lines('Done.', '', '-----Original Message-----', ...ALERT_TEXT.split('\n'));
    expect(readReply({ text: original })).toEqual({ answer: 'Done.' });
    const oneLine = lines(
      'Done.',
      'From: Tellus feedback <alerts@feedback.example> Sent: 26 November 2026 09:16 To: Waste Team Subject: Report',
      'Something quoted',
    );
    expect(readReply({ text: oneLine })).toEqual({ answer: 'Done.' });
  });
});

describe('readReply from Gmail', () => {
  const expected = {
    answer: 'Thanks, that’s sorted now. The crew went back this afternoon.',
    changed: 'The crew now photographs each bin on Heol y Felin.',
  };

  it('drops the signature, the attribution Gmail wraps over two lines and the quote', () => {
    expect(readReply({ text: GMAIL_TEXT })).toEqual(expected);
  });

  it('drops the gmail_quote and the signature after its "-- " in HTML', () => {
    expect(readReply({ html: GMAIL_HTML })).toEqual({
      ...expected,
      answer: expected.answer.replace('’', "'"),
    });
  });

  it('reads a Welsh reply: "Ar … ysgrifennodd:" and a change named with Newidiwyd over two lines', () => {
    expect(readReply({ text: GMAIL_WELSH_TEXT })).toEqual({
      answer: 'Diolch am roi gwybod i ni. Mae’r criw wedi casglu’r bin heddiw.',
      changed: 'Bydd y criw yn gwirio Heol y Felin i gyd\ncyn gorffen y rownd.',
    });
  });
});

describe('readReply from Apple Mail and the iPhone', () => {
  it('drops the quote that starts "On <date>, at <time>, <name> wrote:"', () => {
    expect(readReply({ text: APPLE_MAIL_TEXT })).toEqual({
      answer: 'Thank you. We have spoken to the crew and they will collect it on Monday.\n\nSiân',
    });
  });

  it('drops "Sent from my iPhone" and "Anfonwyd o fy iPhone"', () => {
    expect(readReply({ text: IPHONE_TEXT })).toEqual({ answer: 'We’ll collect it tomorrow morning.' });
    expect(readReply({ text: IPHONE_WELSH_TEXT })).toEqual({ answer: 'Wedi’i gasglu bore ’ma.' });
  });

  it('keeps what is written under the quote, though "Sent from my iPhone" is above it', () => {
    expect(readReply({ text: IPHONE_BELOW_TEXT })).toEqual({ answer: 'Collected this morning.' });
  });
});

describe('readReply, wherever the words are', () => {
  it('keeps a reply written below the quote, and drops its signature', () => {
    const text = lines(ATTRIBUTION, quoted(ALERT_TEXT), '', 'Collected today.', '', '-- ', 'Rhys');
    expect(readReply({ text })).toEqual({ answer: 'Collected today.' });
  });

  it('keeps a Welsh reply written below the quote, under "Ar <date>, ysgrifennodd <name>:"', () => {
    const text = lines(
      'Ar 26/11/2026 09:16, ysgrifennodd Tellus feedback:',
      quoted(ALERT_TEXT),
      '',
      'Wedi’i gasglu heddiw.',
      'Newidiwyd: Rownd newydd.',
    );
    expect(readReply({ text })).toEqual({ answer: 'Wedi’i gasglu heddiw.', changed: 'Rownd newydd.' });
  });

  it('keeps each answer written between the parts of the quote', () => {
    const text = lines(
      ATTRIBUTION,
      '> Service: Report a missed bin collection',
      '> Rating: 2/5 (Poor)',
      '',
      'This is the third report for this street.',
      '',
      '> The bin on Heol y Felin was missed twice this month.',
      '',
      'Sorry about that. The crew will go back today.',
      'Changed: Heol y Felin is on the Thursday round now.',
    );
    expect(readReply({ text })).toEqual({
      answer: 'This is the third report for this street.\n\nSorry about that. The crew will go back today.',
      changed: 'Heol y Felin is on the Thursday round now.',
    });
  });

  it('keeps a reply written below a blockquote in HTML, as Thunderbird bottom-posts', () => {
    const html = `<html><body><div class="moz-cite-prefix">${ATTRIBUTION.replace('<', '&lt;').replace('>', '&gt;')}<br></div><blockquote type="cite"><blockquote>older</blockquote>${ALERT_HTML}</blockquote><p>Collected today.</p><p>Changed: New round.</p></body></html>`;
    expect(readReply({ html })).toEqual({ answer: 'Collected today.', changed: 'New round.' });
  });

  it('ends a Changed: paragraph where a quote starts, though no blank line does', () => {
    const text = lines('Changed: New round.', '> Rating: 2/5 (Poor)', 'Collected today.');
    expect(readReply({ text })).toEqual({ answer: 'Collected today.', changed: 'New round.' });
  });

  it('leaves an empty answer when the reply is only a signature', () => {
    const signature = lines('-- ', 'Rhys Morgan', 'Waste and Recycling', '', ATTRIBUTION, quoted(ALERT_TEXT));
    expect(readReply({ text: signature })).toEqual({ answer: '' });
    expect(readReply({ text: lines('Sent from my iPhone', '', quoted(ALERT_TEXT)) })).toEqual({ answer: '' });
    const outlookPhone = lines('Get Outlook for iOS', '________________________________', ALERT_TEXT);
    expect(readReply({ text: outlookPhone })).toEqual({ answer: '' });
    expect(readReply({})).toEqual({ answer: '' });
  });

  it('stops at the alert quoted without `>`, at its first line or at its footer', () => {
    expect(readReply({ text: lines('Collected.', '', ALERT_TEXT) })).toEqual({ answer: 'Collected.' });
    const footer = ALERT_TEXT.slice(ALERT_TEXT.indexOf('Read and answer'));
    expect(readReply({ text: lines('Collected.', footer) })).toEqual({ answer: 'Collected.' });
    const why = footer.slice(footer.indexOf('You get this'));
    expect(readReply({ text: lines('Collected.', '', why) })).toEqual({ answer: 'Collected.' });
  });

  it('stops at the alert exactly as storyEmail writes it, with its offer to take a reply, pasted in plain or in HTML', async () => {
    const alert = storyEmail(
      {
        feedback: {
          id: '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
          rating: 1,
          story: 'Missed again.',
          severity: 'urgent',
          page: null,
          locale: 'en',
          createdAt: '2026-11-26T09:15:00.000Z',
        },
        service: { id: 'missed-bin-collection', name: 'Report a missed bin collection' },
        department: { id: 'waste', name: 'Waste and Recycling' },
      },
      {
        to: 'waste@anytown.example.gov.uk',
        from: 'alerts@feedback.example',
        publicUrl: 'https://feedback.example',
        why: 'You get this because your subscription sends urgent stories of all services as they arrive.',
        replyTo: new Map([
          ['0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', `reply+${'0'.repeat(56)}@feedback.example`],
        ]),
      },
    );
    const { text, html } = await PostalMime.parse(alert.raw);
    expect(readReply({ text: `Collected.\n\n${text}` })).toEqual({ answer: 'Collected.' });
    const body = html?.slice(html.indexOf('<body'));
    expect(readReply({ html: `<div>Collected.</div><div>${body}` })).toEqual({ answer: 'Collected.' });
  });
});

describe('readReply, tidying', () => {
  it('reads entities and drops scripts and styles with what they hold', () => {
    const html = `<div>Fixed &amp; checked &ndash; the crew said &quot;done&quot; &lt;today&gt;.&nbsp;Caf&eacute; &wcirc;&ycirc;&#8217;&#x1F44D;</div><script>document.write('<div>not this</div>')</script><style>div { color: red }</style><div>Second line &unknown; &#0;</div>`;
    expect(readReply({ html })).toEqual({
      answer: 'Fixed & checked – the crew said "done" <today>. Café ŵŷ’👍\nSecond line &unknown; \uFFFD',
    });
  });

  it('reads CRLF, and keeps no more than one blank line in a row', () => {
    const text = 'Thanks.\r\n\r\n\r\n\r\nSecond paragraph.  \r\n\r\n-- \r\nRhys\r\n\r\n> quoted\r\n';
    expect(readReply({ text })).toEqual({ answer: 'Thanks.\n\nSecond paragraph.' });
  });

  it('reads Changed: in any case, joins several, and leaves out one with nothing after it', () => {
    const text = lines(
      'CHANGED: one',
      'two',
      '',
      'Answer.',
      '',
      'changed :three',
      '',
      'Newidiwyd:',
      '',
      'End.',
    );
    expect(readReply({ text })).toEqual({ answer: 'Answer.\n\nEnd.', changed: 'one\ntwo\n\nthree' });
    expect(readReply({ text: 'Changed:\n\nNothing.' })).toEqual({ answer: 'Nothing.' });
  });

  it('keeps a line that only mentions a change, and a paragraph that ends in "wrote:"', () => {
    const text = lines('Nothing changed: the round is the same.', 'On Monday the crew wrote:', 'all done.');
    expect(readReply({ text })).toEqual({ answer: text });
  });
});
