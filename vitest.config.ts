// One Vitest run, three projects: plain unit tests, worker tests inside workerd, browser tests in Chromium.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './scripts/summary-reporter.ts';
import { TEST_OPERATOR_TOKEN, TEST_TELLUS_SECRET } from './worker/test/constants.ts';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('worker/migrations');
  return {
    test: {
      reporters: ['default', new SummaryReporter()],
      projects: [
        {
          test: {
            name: 'unit',
            include: [
              'shared/**/*.test.ts',
              'widget/**/*.test.ts',
              'bench/stats.test.ts',
              'bench/attribution.test.ts',
              'bench/size.test.ts',
              'docs/docs.test.ts',
              'docs/test/*.test.ts',
            ],
            environment: 'node',
          },
        },
        {
          plugins: [
            cloudflareTest(({ inject }) => ({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  RECEIVER_ORIGIN: inject('receiverOrigin'),
                  ALLOW_LOCAL_WEBHOOKS: 'true',
                  OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
                  TELLUS_SECRET: TEST_TELLUS_SECRET,
                  TURNSTILE_VERIFY_URL: `${inject('receiverOrigin')}/turnstile/siteverify`,
                },
              },
            })),
          ],
          test: {
            name: 'worker',
            include: ['worker/**/*.test.ts'],
            // Two cores run workerd, D1 and the receivers: a busy machine must not fail a slow-but-right test.
            testTimeout: 15_000,
            globalSetup: ['worker/test/receiver.ts'],
            setupFiles: ['worker/test/apply-migrations.ts'],
          },
        },
        {
          test: {
            name: 'browser',
            include: ['demo/**/*.test.ts', 'bench/run.test.ts', 'docs/commands.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
