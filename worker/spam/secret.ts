/** The worker's own secret, without which it will not take stories (it could not sign or hash). */

export function tellusSecret(env: Env): string {
  if (!env.TELLUS_SECRET)
    throw new Error('TELLUS_SECRET is not set: run `wrangler secret put TELLUS_SECRET`');
  return env.TELLUS_SECRET;
}
