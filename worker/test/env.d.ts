// Types for the tests: the test-only bindings that vitest.config.ts adds.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** The Node-side webhook receiver, http://127.0.0.1:<port> (worker/test/receiver.ts). */
    RECEIVER_ORIGIN: string;
  }
}
