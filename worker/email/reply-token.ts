/** The reply address of a story's alert: `reply+<story id><signature>@domain`, so a reply names its story. */
import { keyedHash, sameString } from '../spam/keys';

const PREFIX = 'reply+';
/** A story id is a UUID, written in the token as its 32 hex digits. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 96 bits of the HMAC: `reply+`, 32 digits of id and 24 of signature make a local part of 62 characters. */
const SIGNATURE_DIGITS = 24;
const TOKEN = new RegExp(`^[0-9a-f]{${32 + SIGNATURE_DIGITS}}$`);

/** What an address to the reply domain turned out to be. */
export type ReplyAddressCheck = { storyId: string } | { problem: 'not-a-reply-address' | 'tampered' };

/** The first `SIGNATURE_DIGITS` hex digits of the keyed hash of the story's id, under its own purpose. */
async function signature(secret: string, storyId: string): Promise<string> {
  const base64 = (await keyedHash(secret, `reply:${storyId}`)).replaceAll('-', '+').replaceAll('_', '/');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).slice(0, SIGNATURE_DIGITS / 2);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The address an alert about `storyId` asks to be answered at. Only lower-case letters and digits
 * follow the `+`: mail systems may lower-case a local part, and `+` must stay its only separator.
 */
export async function replyAddress(secret: string, storyId: string, domain: string): Promise<string> {
  const id = storyId.toLowerCase();
  if (!UUID.test(id)) throw new RangeError(`A story id is a UUID, not ${JSON.stringify(storyId)}`);
  return `${PREFIX}${id.replaceAll('-', '')}${await signature(secret, id)}@${domain}`;
}

/**
 * The story a reply was sent about, read from the bare address it was sent to (`reply+…@domain`,
 * in any letter case); `tampered` when it looks like one of ours but was not signed for that story.
 */
export async function readReplyAddress(secret: string, address: string): Promise<ReplyAddressCheck> {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, Math.max(at, 0)).toLowerCase();
  if (at <= 0 || at === address.length - 1 || !local.startsWith(PREFIX)) {
    return { problem: 'not-a-reply-address' };
  }
  const token = local.slice(PREFIX.length);
  if (!TOKEN.test(token)) return { problem: 'tampered' };
  const hex = token.slice(0, 32);
  const storyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const signed = sameString(token.slice(32), await signature(secret, storyId));
  return signed ? { storyId } : { problem: 'tampered' };
}
