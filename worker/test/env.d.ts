// Types for the tests: the test-only migrations binding that vitest.config.ts adds, and the
// worker's own exports, which `exports.default.fetch()` calls.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
  interface GlobalProps {
    mainModule: typeof import('../index');
  }
}
