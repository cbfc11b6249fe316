// The demo department's inbox: receives Tellus webhooks, verifies each with the official
// standardwebhooks library, and prints the story. `npm start` runs it on 127.0.0.1:8788.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface InboxStory {
  webhookId: string;
  type: string;
  data: Record<string, unknown>;
}

/** A webhook request's body and its three Standard Webhooks headers, as a verifier wants them. */
export function readWebhookRequest(req: IncomingMessage) {
  return new Promise<{
    body: string;
    headers: Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;
  }>((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const header = (name: string) => String(req.headers[name] ?? '');
      resolve({
        body,
        headers: {
          'webhook-id': header('webhook-id'),
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        },
      });
    });
  });
}

/** Starts the inbox; `onStory` sees every verified event. Unverified requests get 401. */
export async function startInbox({
  port = 8788,
  secret,
  onStory = printStory,
}: {
  port?: number;
  secret: string;
  onStory?: (story: InboxStory) => void;
}) {
  const verifier = new Webhook(secret);
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    readWebhookRequest(req).then(({ body, headers }) => {
      let event: { type: string; data: Record<string, unknown> };
      try {
        event = verifier.verify(body, headers) as typeof event;
      } catch (err) {
        console.error(`[inbox] rejected a request that failed verification: ${String(err)}`);
        res.writeHead(401).end();
        return;
      }
      res.writeHead(204).end();
      onStory({ webhookId: headers['webhook-id'], type: event.type, data: event.data });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/tellus`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Text safe to print: a citizen's story must not drive the terminal with escape sequences. */
const printable = (text: unknown) =>
  Array.from(String(text), (c) => {
    const code = c.charCodeAt(0);
    return code === 10 || (code >= 32 && code !== 127 && (code < 128 || code > 159)) ? c : '';
  }).join('');

function printStory({ type, data, webhookId }: InboxStory) {
  if (type === 'feedback.answered') {
    const answer = data.answer as { text: string; change: string | null };
    const lines = [
      `[inbox] Story ${printable(data.id)} answered, verified (${printable(webhookId)})`,
      `[inbox]   "${printable(answer.text)}"`,
      ...(answer.change ? [`[inbox]   What changed: "${printable(answer.change)}"`] : []),
    ];
    console.log(lines.join('\n'));
    return;
  }
  if (type !== 'feedback.created') {
    console.log(`[inbox] ${printable(type)} (${printable(webhookId)}), verified`);
    return;
  }
  const service = data.service as { name: string };
  const lines = [
    `[inbox] New story for ${printable(service.name)}, verified (${printable(webhookId)})`,
    `[inbox]   rating ${printable(data.rating)}/5${data.severity === 'urgent' ? ', URGENT' : ''}, page ${printable(data.page ?? '-')}`,
    `[inbox]   "${printable(data.story ?? '(no story)')}"`,
  ];
  console.log(lines.join('\n'));
}
