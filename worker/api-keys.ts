/** A department's new API key: `tk_` and 256 random bits, shown once; only its SHA-256 is kept. */
import { newId } from './ids';
import { randomCode, sha256Hex } from './spam/keys';

export async function newApiKey() {
  const key = `tk_${randomCode()}${randomCode()}`;
  return { id: `key_${newId().replaceAll('-', '')}`, key, hash: await sha256Hex(key) };
}
