/** The worker's entry points: HTTP, the retry queue, and the cron triggers. */
import { app } from './app';
import type { RetryMessage } from './delivery/deliver';
import { consumeRetries, onSchedule } from './delivery/handlers';

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeRetries(batch, env),
  scheduled: (controller, env) => onSchedule(controller, env),
} satisfies ExportedHandler<Env, RetryMessage>;
