/**
 * A citizen's receipt code. It is derived from the story's idempotency key under our secret, so a
 * retried submission gets the same receipt again, while D1 keeps only the code's SHA-256.
 */
import { keyedHash } from './keys';

/** The receipt code for the story sent with `idempotencyKey` (22 base64url characters, 132 bits). */
export async function receiptCode(secret: string, idempotencyKey: string): Promise<string> {
  return (await keyedHash(secret, `receipt:${idempotencyKey}`)).slice(0, 22);
}
