// Secrets the worker reads: `wrangler secret put` in production, `.dev.vars` locally.
declare namespace Cloudflare {
  interface Env {
    /** The bearer token for the operator API under /v1/admin. */
    OPERATOR_TOKEN?: string;
  }
}
