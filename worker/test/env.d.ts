// Types for the tests: the test-only bindings that vitest.config.ts adds.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
