/** An email's HTML as the text a reader sees, without the quoted message it answers: no DOM, a small tokenizer. */

/** Elements that end a line of text. */
const BLOCKS = new Set(
  `address article aside dd div dl dt figure footer form h1 h2 h3 h4 h5 h6
  header hr li main nav ol p pre section table tr ul`.split(/\s+/),
);
/** Elements whose contents are not text at all; script and style hold raw text, not tags. */
const RAW = new Set(['script', 'style', 'title']);
/** Elements dropped with all they hold: the quoted message, and what a reader never sees as text. */
const DROPPED = new Set(['blockquote', 'template', 'noscript', 'svg', 'math', 'iframe', 'object']);
/** Where Gmail and Outlook start the message being answered: it, and all that follows, is theirs. */
const QUOTE_CLASSES = ['gmail_quote', 'yahoo_quoted'];
const QUOTE_IDS = ['divRplyFwdMsg', 'appendonsend'];
/** Signatures that Gmail and Thunderbird mark: dropped with what they hold. */
const SIGNATURE_CLASSES = ['gmail_signature', 'moz-signature'];

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  shy: '',
  zwnj: '',
  zwj: '',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  hellip: '…',
  bull: '•',
  middot: '·',
  pound: '£',
  euro: '€',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  times: '×',
};
// Welsh and the other accented letters of names: &acirc; &wcirc; &ycirc; &eacute; &agrave; &euml; …
const ACCENTS: Record<string, string> = { circ: '\u0302', acute: '\u0301', grave: '\u0300', uml: '\u0308' };

function named(name: string): string | undefined {
  if (name in NAMED) return NAMED[name];
  const accent = /^([a-zA-Z])(circ|acute|grave|uml)$/.exec(name);
  if (!accent?.[1] || !accent[2]) return undefined;
  const letter = `${accent[1]}${ACCENTS[accent[2]]}`.normalize('NFC');
  return letter.length === 1 ? letter : undefined;
}

function codePoint(code: number): string {
  const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return valid ? String.fromCodePoint(code) : '\uFFFD';
}

/** Text with its character references read: `&amp;`, `&#8217;`, `&#x2019;`; an unknown name stays as it is. */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g,
    (whole, dec, hex, name) => {
      if (dec) return codePoint(Number(dec));
      if (hex) return codePoint(Number.parseInt(hex, 16));
      return named(name) ?? whole;
    },
  );
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attributes: string;
  end: number;
}

// No `<` in a tag outside quotes: text full of `<` then costs a look to the next `<` each, not to the end.
const TAG = /<(\/?)([a-zA-Z][^\s/<>]*)((?:"[^"]*"|'[^']*'|[^'"<>])*)>/y;
const CLASS = /(?:^|\s)class\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const ID = /(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

function tagAt(html: string, at: number): Tag | undefined {
  TAG.lastIndex = at;
  const match = TAG.exec(html);
  if (!match) return undefined;
  const [whole, slash, name = '', attributes = ''] = match;
  return {
    name: name.toLowerCase(),
    closing: slash === '/',
    selfClosing: attributes.trimEnd().endsWith('/'),
    attributes,
    end: at + whole.length,
  };
}

function attribute(attributes: string, pattern: RegExp): string {
  const match = pattern.exec(attributes);
  return match ? decodeEntities(match[1] ?? match[2] ?? match[3] ?? '') : '';
}

function hasClass(tag: Tag, names: readonly string[]): boolean {
  const classes = attribute(tag.attributes, CLASS).split(/\s+/);
  return names.some((name) => classes.includes(name));
}

function startsQuote(tag: Tag): boolean {
  return hasClass(tag, QUOTE_CLASSES) || QUOTE_IDS.includes(attribute(tag.attributes, ID));
}

/** Where reading goes on after an element whose contents are not read: past its end tag, or at the end. */
function afterContents(html: string, tag: Tag): number {
  if (RAW.has(tag.name)) {
    // Raw text holds no tags: `<div>` in a script is text until `</script`.
    const close = new RegExp(`</${tag.name}[\\s/>]`, 'gi');
    close.lastIndex = tag.end;
    const found = close.exec(html);
    return found ? (tagAt(html, found.index)?.end ?? html.length) : html.length;
  }
  if (tag.selfClosing) return tag.end;
  let depth = 1;
  for (let at = html.indexOf('<', tag.end); at !== -1; at = html.indexOf('<', at + 1)) {
    const inner = tagAt(html, at);
    if (inner?.name !== tag.name || inner.selfClosing) continue;
    depth += inner.closing ? -1 : 1;
    if (depth === 0) return inner.end;
  }
  return html.length;
}

/** Where reading goes on after a comment, a doctype or a CDATA section at `at`; undefined if none is there. */
function afterMarkup(html: string, at: number): number | undefined {
  const end = html.startsWith('<!--', at) ? '-->' : /^<[!?]/.test(html.slice(at, at + 2)) ? '>' : undefined;
  if (!end) return undefined;
  const close = html.indexOf(end, at + 2);
  return close === -1 ? html.length : close + end.length;
}

/** The text written so far, and the line breaks that blocks make: never two for one boundary. */
class Lines {
  private parts: string[] = [];
  /** The last two characters written: reading the whole text back at each tag would take quadratic time. */
  private tail = '';
  write(text: string) {
    if (!text) return;
    this.parts.push(text);
    this.tail = (this.tail + text).slice(-2);
  }
  /** Adds words, their white space collapsed as a browser does; none at the start of a line. */
  words(source: string) {
    const collapsed = source.replace(/[ \t\n\r\f]+/g, ' ');
    this.write(decodeEntities(this.atLineStart() ? collapsed.trimStart() : collapsed));
  }
  atLineStart() {
    return this.tail === '' || this.tail.endsWith('\n');
  }
  endLine() {
    if (!this.atLineStart()) this.write('\n');
  }
  endParagraph() {
    this.endLine();
    if (this.tail !== '' && this.tail !== '\n\n') this.write('\n');
  }
  toString() {
    return this.parts.join('');
  }
}

/**
 * The text of `html` as a reader sees it: a block element or `<br>` ends a line, a paragraph is
 * followed by a blank line, entities are read and tags dropped. Scripts, styles and blockquotes go
 * with their contents; Gmail's and Outlook's quoted message goes with everything after it.
 */
export function htmlToText(html: string): string {
  // Word writes each line as a paragraph and a blank line as an empty one: its paragraphs are lines.
  const paragraphEnd = /class\s*=\s*["']?MsoNormal\b/i.test(html) ? 'endLine' : 'endParagraph';
  const out = new Lines();
  let at = 0;
  while (at < html.length) {
    const next = html.indexOf('<', at);
    out.words(html.slice(at, next === -1 ? html.length : next));
    if (next === -1) break;
    const markupEnd = afterMarkup(html, next);
    const tag = markupEnd === undefined ? tagAt(html, next) : undefined;
    at = markupEnd ?? tag?.end ?? next + 1;
    if (!tag) {
      // A `<` that starts no tag ("a < b", "<3") is text.
      if (markupEnd === undefined) out.words('<');
    } else if (tag.closing) {
      if (tag.name === 'p') out[paragraphEnd]();
      else if (BLOCKS.has(tag.name)) out.endLine();
      else if (tag.name === 'td' || tag.name === 'th') out.words(' ');
    } else if (startsQuote(tag)) {
      break;
    } else if (RAW.has(tag.name)) {
      at = afterContents(html, tag);
    } else if (DROPPED.has(tag.name) || hasClass(tag, SIGNATURE_CLASSES)) {
      out.endLine();
      at = afterContents(html, tag);
    } else if (tag.name === 'br') {
      out.write('\n');
    } else if (tag.name === 'p') {
      out[paragraphEnd]();
    } else if (tag.name === 'li') {
      out.endLine();
      out.write('- ');
    } else if (BLOCKS.has(tag.name)) {
      out.endLine();
    }
  }
  return out
    .toString()
    .split('\n')
    .map((line) => line.replace(/[ \u00a0]+/g, ' ').trim())
    .join('\n')
    .trim();
}
