// Secrets the worker reads: `wrangler secret put` in production, `.dev.vars` locally.
interface TellusSecrets {
  /** The bearer token for the operator API under /v1/admin. */
  OPERATOR_TOKEN?: string;
  /** Signs form tokens and keys the hashes kept instead of client addresses. */
  TELLUS_SECRET?: string;
}
interface Env extends TellusSecrets {}
declare namespace Cloudflare {
  interface Env extends TellusSecrets {}
}
