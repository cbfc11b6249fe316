// A department's webhook receiver, run in Node beside the workerd tests (Vitest global setup).
// It verifies every request with the official standardwebhooks library and behaves as each URL
// says: POST /hook/<box>/<script>, where the script lists what to do on each attempt in turn
// ("500,200", "302", "410", "drop,drop,200", "hang"); the last step repeats. POST /teams/<box>/<script>
// and /slack/<box>/<script> are a channel's incoming webhook, which checks each message against its
// platform's documented shape and answers 400 to one that is wrong. GET /received/<box> tells the
// tests what arrived.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Webhook } from 'standardwebhooks';
import type { TestProject } from 'vitest/node';
import { readWebhookRequest } from '../../scripts/inbox.ts';
import { slackMessageProblems, teamsMessageProblems } from './chat-shapes.ts';
import { type ReceivedWebhook, TEST_WEBHOOK_SECRET, TURNSTILE_TEST_SECRETS } from './constants';

export default async function startReceiver({ provide }: TestProject) {
  const received = new Map<string, ReceivedWebhook[]>();
  const verifier = new Webhook(TEST_WEBHOOK_SECRET);

  const server = createServer((req, res) => {
    const [, route, box = '', script = '200'] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    if (req.method === 'GET' && route === 'received') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(received.get(box) ?? []));
      return;
    }
    if (req.method === 'POST' && route === 'turnstile') {
      answerTurnstile(req, res);
      return;
    }
    if (req.method === 'POST' && (route === 'teams' || route === 'slack')) {
      answerChat(route, req, res, received, box, script);
      return;
    }
    if (req.method !== 'POST' || route !== 'hook') {
      res.writeHead(404).end();
      return;
    }
    readWebhookRequest(req).then(({ body, headers }) => {
      const log = received.get(box) ?? [];
      received.set(box, log);
      const steps = script.split(',');
      const step = steps[Math.min(log.length, steps.length - 1)] ?? '200';
      let verified = false;
      let payload: unknown = body;
      try {
        payload = verifier.verify(body, headers);
        verified = true;
      } catch {
        // Recorded as unverified; the tests decide whether that is a failure.
      }
      if (step === 'hang') return; // Never answers; the worker's timeout must end the attempt.
      const status = step === 'drop' ? 'dropped' : Number(step);
      log.push({
        id: headers['webhook-id'] || null,
        timestamp: headers['webhook-timestamp'] || null,
        signature: headers['webhook-signature'] || null,
        verified,
        status,
        body: payload,
        raw: body,
      });
      if (status === 'dropped') {
        // As a receiver that is down: the connection closes without an HTTP answer.
        res.socket?.resetAndDestroy();
        return;
      }
      const location = status >= 300 && status < 400 ? { Location: `/hook/${box}-redirected/200` } : {};
      res.writeHead(status, location).end();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  provide('receiverOrigin', `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Turnstile's siteverify, as Cloudflare documents it for its test secret keys: the pass key accepts
 * any token, the fail key refuses with invalid-input-response, the spent key with
 * timeout-or-duplicate. One more, not Cloudflare's, never answers.
 */
function answerTurnstile(req: IncomingMessage, res: ServerResponse) {
  const request = new Request('http://stub/', {
    method: 'POST',
    headers: { 'Content-Type': req.headers['content-type'] ?? '' },
    body: Readable.toWeb(req) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  request.formData().then((form) => {
    const secret = form.get('secret');
    const token = form.get('response');
    if (secret === TURNSTILE_TEST_SECRETS.hang) return;
    const outcome = !token
      ? { success: false, 'error-codes': ['missing-input-response'] }
      : secret === TURNSTILE_TEST_SECRETS.pass
        ? { success: true, 'error-codes': [] }
        : secret === TURNSTILE_TEST_SECRETS.spent
          ? { success: false, 'error-codes': ['timeout-or-duplicate'] }
          : secret === TURNSTILE_TEST_SECRETS.fail
            ? { success: false, 'error-codes': ['invalid-input-response'] }
            : { success: false, 'error-codes': ['invalid-input-secret'] };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(outcome));
  });
}

/**
 * A Teams Workflows or Slack incoming webhook: no signature to check, but a message of the wrong
 * shape is refused with 400 (as Slack answers `invalid_blocks`), whatever the script says.
 */
function answerChat(
  platform: 'teams' | 'slack',
  req: IncomingMessage,
  res: ServerResponse,
  received: Map<string, ReceivedWebhook[]>,
  box: string,
  script: string,
) {
  readWebhookRequest(req).then(({ body, headers }) => {
    const log = received.get(box) ?? [];
    received.set(box, log);
    const steps = script.split(',');
    const step = steps[Math.min(log.length, steps.length - 1)] ?? '200';
    let payload: unknown;
    let problems: string[];
    try {
      payload = JSON.parse(body);
      problems = platform === 'teams' ? teamsMessageProblems(payload) : slackMessageProblems(payload);
    } catch (err) {
      problems = [`not JSON: ${String(err)}`];
    }
    const status = problems.length ? 400 : Number(step);
    log.push({
      id: headers['webhook-id'] || null,
      timestamp: headers['webhook-timestamp'] || null,
      signature: headers['webhook-signature'] || null,
      verified: false,
      status,
      body: payload,
      raw: body,
      problems,
    });
    res
      .writeHead(status)
      .end(status === 410 ? 'channel_is_archived' : problems.length ? 'invalid_blocks' : 'ok');
  });
}
