// The test-only binding that vitest.config.ts adds: the migrations, read from disk in Node.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
