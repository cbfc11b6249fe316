// Replies to alerts as mail systems send them (MIME, with the transfer encodings they use), and the
// message Email Routing hands the worker's email() handler, as miniflare builds it.
import { base64Lines } from '../delivery/email';

export type TransferEncoding = 'quoted-printable' | 'base64' | '8bit';

export interface ReplyParts {
  from: string;
  to: string;
  text?: string;
  html?: string;
  encoding?: TransferEncoding;
  messageId?: string;
  subject?: string;
  headers?: Record<string, string>;
  /** A file attached beside the text, of this many bytes. */
  attachmentBytes?: number;
}

/** UTF-8 text as quoted-printable (RFC 2045), in lines of at most 76 characters. */
export function quotedPrintable(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      let out = '';
      let width = 0;
      const bytes = new TextEncoder().encode(line);
      bytes.forEach((byte, i) => {
        const last = i === bytes.length - 1;
        const plain = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
        const piece = plain
          ? String.fromCharCode(byte)
          : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
        if (width + piece.length > 75) {
          out += '=\r\n';
          width = 0;
        }
        out += piece;
        width += piece.length;
      });
      return out;
    })
    .join('\r\n');
}

function part(type: string, body: string, encoding: TransferEncoding): string {
  const encoded =
    encoding === 'base64'
      ? base64Lines(body)
      : encoding === 'quoted-printable'
        ? quotedPrintable(body)
        : body.replace(/\r?\n/g, '\r\n');
  return `Content-Type: ${type}; charset="utf-8"\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${encoded}`;
}

/** A reply as raw MIME: text, HTML or both (multipart/alternative), and an attachment if asked. */
export function replyMime(parts: ReplyParts): string {
  const { from, to, text, html, encoding = 'quoted-printable', attachmentBytes } = parts;
  const headers = {
    From: from,
    To: to,
    Subject: parts.subject ?? 'Re: Report a missed bin collection: rated 2/5 (Poor)',
    Date: new Date().toUTCString(),
    'Message-ID': parts.messageId ?? `<${crypto.randomUUID()}@mail.anytown.example.gov.uk>`,
    'MIME-Version': '1.0',
    ...parts.headers,
  };
  const bodies = [
    ...(text !== undefined ? [part('text/plain', text, encoding)] : []),
    ...(html !== undefined ? [part('text/html', html, encoding)] : []),
  ];
  let body = bodies.length === 1 ? (bodies[0] ?? '') : multipart('alternative', 'alt-boundary', bodies);
  if (attachmentBytes !== undefined) {
    const file = `Content-Type: application/pdf; name="photo.pdf"\r\nContent-Disposition: attachment; filename="photo.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(new Uint8Array(attachmentBytes).fill(65))}`;
    body = multipart('mixed', 'mixed-boundary', [body, file]);
  }
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return `${head}\r\n${body}`;
}

function multipart(kind: string, boundary: string, parts: string[]): string {
  return `Content-Type: multipart/${kind}; boundary="${boundary}"\r\n\r\n${parts
    .map((p) => `--${boundary}\r\n${p}\r\n`)
    .join('')}--${boundary}--\r\n`;
}

/** The message the email() handler receives, with what it was rejected for, if it was. */
export function routedMessage(raw: string, envelope: { from: string; to: string }) {
  const bytes = new TextEncoder().encode(raw);
  const rejected: string[] = [];
  const message = {
    from: envelope.from,
    to: envelope.to,
    raw: new Response(bytes).body as ReadableStream<Uint8Array>,
    rawSize: bytes.byteLength,
    canBeForwarded: true,
    headers: new Headers(),
    setReject: (reason: string) => {
      rejected.push(reason);
    },
    forward: async () => ({ messageId: '' }),
    reply: async () => ({ messageId: '' }),
  } satisfies ForwardableEmailMessage;
  return { message, rejected };
}
