// The reply address on its own: it names its story, survives mail systems, and cannot be forged.
import { describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { readReplyAddress, replyAddress } from './reply-token';

const SECRET = 'a-secret-for-reply-addresses';
const STORY = '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const OTHER = '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';
const DOMAIN = 'reply.tellus.example';

/** The address with one character of its token swapped for another digit. */
function changedAt(address: string, index: number): string {
  const c = address[index] === '0' ? '1' : '0';
  return address.slice(0, index) + c + address.slice(index + 1);
}

describe('replyAddress', () => {
  it('names the story and reads back as it', async () => {
    const address = await replyAddress(SECRET, STORY, DOMAIN);
    expect(address).toMatch(/^reply\+0196a1b2c3d47e5f8a9b0c1d2e3f4a5b[0-9a-f]{24}@reply\.tellus\.example$/);
    expect(await readReplyAddress(SECRET, address)).toEqual({ storyId: STORY });
  });

  it('is the same address each time, and another for another story', async () => {
    const address = await replyAddress(SECRET, STORY, DOMAIN);
    expect(await replyAddress(SECRET, STORY, DOMAIN)).toBe(address);
    expect(await replyAddress(SECRET, OTHER, DOMAIN)).not.toBe(address);
  });

  it('keeps its local part to 64 characters of lower-case letters and digits after reply+', async () => {
    for (let i = 0; i < 20; i++) {
      const address = await replyAddress(SECRET, newId(), DOMAIN);
      const local = address.slice(0, address.indexOf('@'));
      expect(local.length).toBeLessThanOrEqual(64);
      expect(local).toMatch(/^reply\+[0-9a-z]+$/);
    }
  });

  it('reads a story id written in capitals as the same lower-case id', async () => {
    const address = await replyAddress(SECRET, STORY.toUpperCase(), DOMAIN);
    expect(address).toBe(await replyAddress(SECRET, STORY, DOMAIN));
  });

  it('refuses to make an address for an id that is not a UUID', async () => {
    await expect(replyAddress(SECRET, 'mem_0196a1b2', DOMAIN)).rejects.toThrow(RangeError);
    await expect(replyAddress(SECRET, '', DOMAIN)).rejects.toThrow(RangeError);
  });
});

describe('readReplyAddress', () => {
  it('reads an address whose letters a mail system turned to capitals', async () => {
    const address = await replyAddress(SECRET, STORY, DOMAIN);
    expect(await readReplyAddress(SECRET, address.toUpperCase())).toEqual({ storyId: STORY });
    const mixed = address.replace('reply+', 'Reply+').replace(/[a-f]/g, (c) => c.toUpperCase());
    expect(await readReplyAddress(SECRET, mixed)).toEqual({ storyId: STORY });
  });

  it('finds an address signed under another secret tampered', async () => {
    const address = await replyAddress('another-secret', STORY, DOMAIN);
    expect(await readReplyAddress(SECRET, address)).toEqual({ problem: 'tampered' });
  });

  it('finds an address with any one character of its token changed tampered', async () => {
    const address = await replyAddress(SECRET, STORY, DOMAIN);
    for (let i = 'reply+'.length; i < address.indexOf('@'); i++) {
      expect(await readReplyAddress(SECRET, changedAt(address, i)), `at ${i}`).toEqual({
        problem: 'tampered',
      });
    }
  });

  it('does not take one story’s signature for another story’s id', async () => {
    const mine = await replyAddress(SECRET, STORY, DOMAIN);
    const theirs = await replyAddress(SECRET, OTHER, DOMAIN);
    const spliced = `${theirs.slice(0, 6 + 32)}${mine.slice(6 + 32)}`;
    expect(await readReplyAddress(SECRET, spliced)).toEqual({ problem: 'tampered' });
  });

  it('finds a token cut short, made longer or written with other letters tampered', async () => {
    const address = await replyAddress(SECRET, STORY, DOMAIN);
    const at = address.indexOf('@');
    const forged = [
      `${address.slice(0, at - 1)}${address.slice(at)}`,
      `${address.slice(0, at)}0${address.slice(at)}`,
      `${address.slice(0, at - 1)}g${address.slice(at)}`,
      `reply+@${DOMAIN}`,
      `reply+${STORY}@${DOMAIN}`,
    ];
    for (const address of forged) {
      expect(await readReplyAddress(SECRET, address), address).toEqual({ problem: 'tampered' });
    }
  });

  it('finds addresses that are not reply addresses', async () => {
    const token = (await replyAddress(SECRET, STORY, DOMAIN)).slice('reply+'.length, -DOMAIN.length - 1);
    for (const address of [
      `waste@${DOMAIN}`,
      `${token}@${DOMAIN}`,
      `replies+${token}@${DOMAIN}`,
      `reply-${token}@${DOMAIN}`,
      `reply+${token}`,
      `reply+${token}@`,
      `@${DOMAIN}`,
      '',
    ]) {
      expect(await readReplyAddress(SECRET, address), address).toEqual({ problem: 'not-a-reply-address' });
    }
  });
});
