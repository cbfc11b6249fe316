// Secrets the worker reads: `wrangler secret put` in production, `.dev.vars` locally.
interface TellusSecrets {
  /** The bearer token for the operator API under /v1/admin. */
  OPERATOR_TOKEN?: string;
}
interface Env extends TellusSecrets {}
declare namespace Cloudflare {
  interface Env extends TellusSecrets {}
}
