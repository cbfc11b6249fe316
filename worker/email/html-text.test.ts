// HTML read as text without a DOM: lines where blocks end, entities read, quotes and scripts gone.
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from './html-text';

describe('htmlToText', () => {
  it('ends a line at each block and <br>, and leaves a blank line after a paragraph', () => {
    expect(htmlToText('<p>One</p><p>Two<br>and a half</p><h2>Three</h2>Four')).toBe(
      'One\n\nTwo\nand a half\n\nThree\nFour',
    );
  });

  it('makes one line of nested blocks, and a blank line of Gmail’s <div><br></div>', () => {
    expect(htmlToText('<div dir="ltr"><div><div>One</div></div><div><br></div><div>Two</div></div>')).toBe(
      'One\n\nTwo',
    );
  });

  it('reads Word’s paragraphs as lines, and its empty ones as blank lines', () => {
    const word =
      '<p class=MsoNormal>One<o:p></o:p></p>\n<p class=MsoNormal>Two</p>\n<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n<p class=MsoNormal>Three</p>';
    expect(htmlToText(word)).toBe('One\nTwo\n\nThree');
  });

  it('collapses white space as a browser does, and keeps words of inline elements together', () => {
    expect(htmlToText('<div>\n    <b>From:</b>   Tellus\n  feedback&nbsp;&nbsp;team </div>')).toBe(
      'From: Tellus feedback team',
    );
  });

  it('lists items and separates table cells', () => {
    expect(
      htmlToText('<ul><li>Bins</li><li>Boxes</li></ul><table><tr><td>A</td><td>B</td></tr></table>'),
    ).toBe('- Bins\n- Boxes\nA B');
  });

  it('drops blockquotes, nested ones too, and keeps what follows them', () => {
    expect(htmlToText('Above<blockquote>q<blockquote>qq</blockquote>still q</blockquote>Below')).toBe(
      'Above\nBelow',
    );
    expect(htmlToText('Above<blockquote type="cite">never closed<div>q</div>')).toBe('Above');
  });

  it('stops at Gmail’s gmail_quote and Outlook’s appendonsend and divRplyFwdMsg', () => {
    for (const start of [
      '<div class="gmail_quote gmail_quote_container">',
      '<div class=gmail_quote>',
      '<div id="appendonsend"></div>',
      "<div id='divRplyFwdMsg' dir=ltr>",
    ]) {
      expect(htmlToText(`<div>Mine</div>${start}<div>Theirs</div></div><div>After</div>`), start).toBe(
        'Mine',
      );
    }
    expect(htmlToText('<div class="not_gmail_quote">Mine</div>')).toBe('Mine');
  });

  it('drops the signatures Gmail and Thunderbird mark, with what they hold', () => {
    const gmail =
      '<div dir="ltr">Done.<br clear="all"><div><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr">Rhys<div>Waste</div></div></div></div></div>';
    expect(htmlToText(gmail)).toBe('Done.');
    expect(htmlToText('<p>Done.</p><div class="moz-signature">-- <br>Rhys</div><p>P.S.</p>')).toBe(
      'Done.\n\nP.S.',
    );
  });

  it('drops scripts, styles and titles with what they hold, tags inside them too', () => {
    const html =
      '<html><head><title>Re: Bins</title><style>p { color: red }</style></head><body>A<script>if (a < b) document.write("<p>x</p>")</script>B<SCRIPT type="module">c</SCRIPT >C</body></html>';
    expect(htmlToText(html)).toBe('ABC');
    expect(htmlToText('A<script>never closed <b>x</b>')).toBe('A');
  });

  it('drops comments, Outlook’s conditional comments, doctypes and CDATA (a comment in HTML)', () => {
    const html =
      '<!doctype html><!--[if gte mso 9]><xml><o:OfficeDocumentSettings>x</o:OfficeDocumentSettings></xml><![endif]-->A<!-- a -- comment -->B<![CDATA[c]]>C<!---->D<!-- never closed';
    expect(htmlToText(html)).toBe('ABCD');
  });

  it('keeps a < that starts no tag, and a > inside a quoted attribute', () => {
    expect(htmlToText('<div>a < b, <3 and 2<3</div>')).toBe('a < b, <3 and 2<3');
    expect(htmlToText('<a title="x > y" href=\'/a>b\'>link</a> text')).toBe('link text');
  });

  it('reads tags in any case, and self-closed ones', () => {
    expect(htmlToText('<DIV>One<BR/>Two</DIV><P>Three</P><br />Four')).toBe('One\nTwo\n\nThree\n\n\nFour');
  });

  it('reads 300 KB of stray < in linear time', () => {
    // Reading the text back at each tag took over 10 s for a third of this.
    const started = Date.now();
    expect(htmlToText('<a '.repeat(100_000))).toHaveLength(100_000 * 3 - 1);
    expect(htmlToText(`<a "${'<b '.repeat(100_000)}`)).toHaveLength(4 + 100_000 * 3 - 1);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('decodeEntities', () => {
  it('reads named, decimal and hexadecimal references once', () => {
    expect(decodeEntities('&amp;lt; &lt;&gt;&quot;&apos; &#8217;&#x2019;&#X1F44D; &pound;5 &euro;')).toBe(
      '&lt; <>"\' ’’👍 £5 €',
    );
  });

  it('reads the accented letters of Welsh and other names', () => {
    expect(
      decodeEntities(
        '&wcirc;&ycirc;&Wcirc;&Ycirc;&acirc;&ecirc;&icirc;&ocirc;&ucirc; &eacute;&agrave;&euml;&iuml;',
      ),
    ).toBe('ŵŷŴŶâêîôû éàëï');
  });

  it('leaves unknown names as they are and replaces impossible code points', () => {
    expect(decodeEntities('&bogus; &xcirc; &amp &#0; &#xD800; &#x110000; &#1114111;')).toBe(
      '&bogus; &xcirc; &amp \uFFFD \uFFFD \uFFFD \u{10FFFF}',
    );
  });
});
