// `npm start`: the worker under `wrangler dev` on http://localhost:8787, and beside it the demo
// department's inbox, so a story sent on the demo page is printed here seconds later.

import { createInterface } from 'node:readline';
import { startCron } from './cron.ts';
import { readDevVars } from './dev-vars.ts';
import { startInbox } from './inbox.ts';
import { printReplyHint } from './reply.ts';
import { printSignInLinks } from './sign-in-links.ts';
import { startWrangler } from './wrangler.ts';

const secret = readDevVars().DEMO_WEBHOOK_SECRET;
if (!secret) {
  console.error('No DEMO_WEBHOOK_SECRET in .dev.vars: run npm run db:seed first (npm start does).');
  process.exit(1);
}
const inbox = await startInbox({ secret });
console.log(`[inbox] The demo department's inbox is listening on ${inbox.url}`);

// Local webhooks to 127.0.0.1 are allowed here only; deployed workers refuse them.
const worker = startWrangler(['dev', '--var', 'ALLOW_LOCAL_WEBHOOKS:true'], {
  stdio: ['inherit', 'pipe', 'inherit'],
});
// wrangler's own output, as it is, and after each email it writes, the console sign-in link in it.
if (worker.stdout) {
  createInterface({ input: worker.stdout }).on('line', (line) => {
    console.log(line);
    printSignInLinks(line);
    printReplyHint(line);
  });
}
console.log(
  '[console] The department console: http://localhost:8787/console (sign in as demo-team@example.org)',
);
console.log(
  "[reply] To answer a story by replying to its alert email, as the demo member: npm run tellus -- reply --text 'Your answer'",
);
console.log('[cron] The scheduled handler runs once a minute, as the cron trigger does when deployed');
const cron = startCron({ origin: 'http://localhost:8787' });
const stop = () => {
  cron.stop();
  worker.kill('SIGINT');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
worker.on('exit', async (code) => {
  await inbox.close();
  process.exit(code ?? 0);
});
