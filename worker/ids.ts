/**
 * Identifiers for stored records: UUIDv7 (RFC 9562), so ids sort by creation time, and ids made
 * in one isolate sort in the order they were made, within one millisecond too.
 */

/** The 74 random bits of a UUIDv7: the low nibble of byte 6, byte 7, the low 6 bits of byte 8, bytes 9–15. */
const RANDOM_BITS: ReadonlyArray<readonly [index: number, mask: number]> = [
  [15, 0xff],
  [14, 0xff],
  [13, 0xff],
  [12, 0xff],
  [11, 0xff],
  [10, 0xff],
  [9, 0xff],
  [8, 0x3f],
  [7, 0xff],
  [6, 0x0f],
];

/** The last id made here, and its millisecond. */
let last: { ms: number; bytes: Uint8Array } | undefined;

/** Adds one to the random bits, as one 74-bit number; false when they were all ones. */
function increment(bytes: Uint8Array): boolean {
  for (const [index, mask] of RANDOM_BITS) {
    const bits = (bytes[index] ?? 0) & mask;
    const rest = (bytes[index] ?? 0) & ~mask;
    if (bits < mask) {
      bytes[index] = rest | (bits + 1);
      return true;
    }
    bytes[index] = rest;
  }
  return false;
}

function freshBytes(ms: number): Uint8Array {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rest = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  return bytes;
}

/**
 * A new UUIDv7 for `now`: 48 bits of Unix milliseconds, then random bits, version and variant set.
 * Another id for the same millisecond as the one before is that one plus one (RFC 9562's
 * monotonic random), so it sorts after it: the Workers clock stands still while code runs, so one
 * request's ids often share a millisecond. An id for an earlier time than the last is made afresh,
 * so an id always carries the time it was made for. Ids are lower case.
 */
export function newId(now: number = Date.now()): string {
  let bytes: Uint8Array;
  if (last?.ms === now) {
    bytes = last.bytes.slice();
    // Only random bits that were all ones (odds of 2^-74) run out: the next millisecond sorts after.
    if (!increment(bytes)) return newId(now + 1);
  } else {
    bytes = freshBytes(now);
  }
  last = { ms: now, bytes };
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
