// Values the workerd tests and the Node-side webhook receiver both know.

/** The signing secret of every test webhook subscription; the receiver verifies with it. */
export const TEST_WEBHOOK_SECRET = 'whsec_dGVsbHVzLXRlc3Qtc2VjcmV0LW9mLTMyLWJ5dGVzISE=';

/** The operator token the tests' worker accepts. */
export const TEST_OPERATOR_TOKEN = 'test-operator-token-not-for-production';

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
}

declare module 'vitest' {
  interface ProvidedContext {
    receiverOrigin: string;
  }
}
