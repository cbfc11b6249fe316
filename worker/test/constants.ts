// Values the workerd tests and the Node-side webhook receiver both know.

/** The signing secret of every test webhook subscription; the receiver verifies with it. */
export const TEST_WEBHOOK_SECRET = 'whsec_dGVsbHVzLXRlc3Qtc2VjcmV0LW9mLTMyLWJ5dGVzISE=';

/** The operator token the tests' worker accepts. */
export const TEST_OPERATOR_TOKEN = 'test-operator-token-not-for-production';

/** The worker's own secret in the tests: signs form tokens, keys client hashes. */
export const TEST_TELLUS_SECRET = 'test-tellus-secret-not-for-production';

/** Turnstile's documented test secret keys: one always passes, one always fails, one is "already spent". */
export const TURNSTILE_TEST_SECRETS = {
  pass: '1x0000000000000000000000000000000AA',
  fail: '2x0000000000000000000000000000000AA',
  spent: '3x0000000000000000000000000000000AA',
  /** Not Cloudflare's: the local stub never answers it, to test the timeout. */
  hang: 'hang-forever',
} as const;

/** One request the receiver got, and whether the official library verified it. */
export interface ReceivedWebhook {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  verified: boolean;
  status: number | 'dropped';
  body: unknown;
  /** The body exactly as it arrived, to verify again with another secret. */
  raw: string;
  /** A Teams or Slack message's problems against its platform's documented shape: none if it is right. */
  problems?: string[];
}

declare module 'vitest' {
  interface ProvidedContext {
    receiverOrigin: string;
  }
}
