/** The worker's entry points: HTTP, the retry queue, the cron triggers, and replies to alert emails. */
import { app } from './app';
import { benchInsert, isBenchInsert } from './bench-insert';
import type { RetryMessage } from './delivery/deliver';
import { consumeRetries, onSchedule } from './delivery/handlers';
import { receiveReply } from './email/receive-reply';

export default {
  fetch: (request: Request, env: Env, ctx?: ExecutionContext) =>
    isBenchInsert(request, env) ? benchInsert(env) : app.fetch(request, env, ctx),
  queue: (batch, env) => consumeRetries(batch, env),
  scheduled: (controller, env) => onSchedule(controller, env),
  email: async (message, env, ctx) => {
    await receiveReply(message, env, ctx);
  },
} satisfies ExportedHandler<Env, RetryMessage>;
