// The docs' shell commands against the real thing: `sh runnable` blocks run, in order, against
// `wrangler dev` with the demo's department and service; every curl is checked against the OpenAPI
// document the worker serves, and every `npx wrangler …` against the installed wrangler's help.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  OPERATOR_TOKEN,
  runTellus,
  sendStory,
  startWorker,
  type Worker,
  waitFor,
} from '../demo/test/harness.ts';
import { runWrangler } from '../scripts/wrangler.ts';
import { fencesOf, markdownFiles, ROOT, readDoc } from './test/markdown.ts';
import { checkWrangler, commandsOf, curlRequest, wranglerArgs } from './test/shell.ts';

/** Every `sh` block's commands, with where each block is. */
const blocks = markdownFiles().flatMap((file) =>
  fencesOf(readDoc(file))
    .filter((fence) => fence.lang === 'sh')
    .map((fence) => ({ file, ...fence, commands: commandsOf(fence.content) })),
);
const where = (block: { file: string; line: number }) => `${block.file}:${block.line}`;

/** The prelude of a guide's script: stop at the first failure, and let no HTTP error pass. */
const PRELUDE = `set -euo pipefail
curl() { command curl --silent --show-error --fail-with-body "$@"; }
`;

let worker: Worker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker?.stop();
});

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: object }> };
}

describe('the curl commands in the docs', () => {
  const curls = blocks.flatMap((block) =>
    block.commands.flatMap((command) => {
      const request = curlRequest(command);
      return request ? [{ at: where(block), request }] : [];
    }),
  );

  it('are found', () => {
    expect(curls.length).toBeGreaterThan(10);
  });

  it('each name a route, method, query and body the OpenAPI document has', async () => {
    const doc = (await (await fetch(`${worker.origin}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    ajv.addSchema(doc, 'tellus', undefined, false);
    const templates = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
    const problems: string[] = [];
    for (const { at, request } of curls) {
      const said = `${at} ${request.method} ${request.path}`;
      // A literal segment wins over a parameter (`/v1/receipts/lookup` over `/v1/receipts/{code}`).
      const template = templates
        .filter(({ pattern }) => pattern.test(request.path))
        .sort((a, b) => a.template.split('{').length - b.template.split('{').length)[0]?.template;
      const operation = template ? doc.paths[template]?.[request.method.toLowerCase()] : undefined;
      if (!template || !operation) {
        problems.push(`${said}: not in the document`);
        continue;
      }
      const known = new Set(operation.parameters?.filter((p) => p.in === 'query').map((p) => p.name));
      for (const name of request.query.filter((name) => !known.has(name)))
        problems.push(`${said}: no query parameter "${name}"`);
      if (request.body === undefined || request.body.includes('$')) continue;
      const media = operation.requestBody?.content['application/json'];
      if (!media) {
        problems.push(`${said}: takes no JSON body`);
        continue;
      }
      const pointer = `/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/${request.method.toLowerCase()}/requestBody/content/application~1json/schema`;
      const validate = ajv.getSchema(`tellus#${pointer}`);
      if (validate && !validate(JSON.parse(request.body)))
        problems.push(`${said}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the wrangler commands in the docs', () => {
  const uses = blocks.flatMap((block) =>
    block.commands.flatMap((command) => {
      const args = wranglerArgs(command);
      return args ? [{ at: where(block), args }] : [];
    }),
  );

  it('each name a command and flags the installed wrangler knows', async () => {
    expect(uses.length).toBeGreaterThan(5);
    const helpOf = new Map<string, Promise<string>>();
    const problems: string[] = [];
    for (const { at, args } of uses) {
      // Flags' values among them: wrangler answers with the command's help all the same.
      const words = args.filter((word) => !word.startsWith('-'));
      const key = words.join(' ');
      if (!helpOf.has(key)) helpOf.set(key, runWrangler([...words, '--help']));
      const help = (await helpOf.get(key)) ?? '';
      problems.push(...checkWrangler(args, help).map((problem) => `${at}: ${problem}`));
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

/** The guides that hold runnable blocks, each with its blocks' text joined in order. */
const runnable = Object.entries(
  Object.groupBy(
    blocks.filter((block) => block.runnable),
    (block) => block.file,
  ),
).map(([file, fences = []]) => ({ file, fences }));

describe('the runnable commands in the docs', () => {
  it('are found in the guides', () => {
    expect(runnable.map(({ file }) => file)).toEqual(
      expect.arrayContaining(['docs/api.md', 'docs/operators.md', 'docs/privacy.md']),
    );
  });

  it.each(runnable)(
    'run, in order, against wrangler dev: $file',
    async ({ fences }) => {
      // A reader's Tellus is at localhost:8787, the demo page's origin; this one is on its own port.
      const script =
        PRELUDE +
        fences
          .map(
            (fence) =>
              `# ${where(fence)}\n${fence.content.replaceAll('http://localhost:8787', worker.origin)}`,
          )
          .join('\n');
      const env = {
        ...process.env,
        // Node 22 first, as npm scripts have it, and none of vitest's own settings.
        PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
        TELLUS_URL: worker.origin,
        TELLUS_OPERATOR_TOKEN: OPERATOR_TOKEN,
        NODE_OPTIONS: '',
        VITEST: undefined,
      };
      const run = await promisify(execFile)('bash', ['-c', script], { cwd: ROOT, env, timeout: 90_000 }).then(
        ({ stdout }) => ({ code: 0, out: stdout }),
        (err: { code: number; stdout: string; stderr: string }) => ({
          code: err.code,
          out: err.stdout + err.stderr,
        }),
      );
      expect(run.code, run.out).toBe(0);
    },
    120_000,
  );
});

describe("the departments guide's Node receiver", () => {
  let receiver: ChildProcess | undefined;
  let folder: string | undefined;
  afterAll(() => {
    receiver?.kill();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("verifies Tellus's own deliveries with standardwebhooks, and refuses a forged one", async () => {
    const text = readDoc('docs/departments.md');
    const node = text.slice(text.indexOf('#### Node'), text.indexOf('#### Python'));
    const code = fencesOf(node).find((fence) => fence.lang === 'js')?.content ?? '';
    expect(code).toContain("from 'standardwebhooks'");

    // The guide's receiver listens on 8080; this one on a free port, beside this repo's packages.
    const port = await freePort();
    folder = mkdtempSync(join(tmpdir(), 'tellus-receiver-'));
    symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'));
    writeFileSync(
      join(folder, 'receiver.mjs'),
      code.replace('.listen(8080)', `.listen(${port}, '127.0.0.1')`),
    );
    const target = `http://127.0.0.1:${port}/tellus`;
    const added = await runTellus(
      worker,
      ...['subscriptions', 'add', '--department', 'anytown-waste', '--kind', 'webhook', '--target', target],
    );
    const subscription = JSON.parse(added.out) as { id: string; secret: string };
    let out = '';
    receiver = spawn(process.execPath, ['receiver.mjs'], {
      cwd: folder,
      env: { ...process.env, TELLUS_WEBHOOK_SECRET: subscription.secret },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    receiver.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    await waitFor(() =>
      fetch(target, { method: 'POST' }).then(
        (response) => response.status === 401,
        () => false,
      ),
    );

    const tested = await runTellus(worker, 'subscriptions', 'test', subscription.id);
    expect(JSON.parse(tested.out)).toMatchObject({ ok: true, status: 204 });
    await waitFor(() => out.includes(`Test event for ${subscription.id}`));

    const sent = await sendStory(worker, { rating: 2, idempotency_key: 'docs-receiver-0001' });
    const { id } = (await sent.json()) as { id: string };
    await waitFor(() => out.includes(`New story ${id} for Report a missed bin collection: 2/5, normal`));

    const forged = await fetch(target, {
      method: 'POST',
      headers: {
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJlIGZyb20gdGVsbHVzIGF0IGFsbA==',
      },
      body: JSON.stringify({ type: 'feedback.created', data: {} }),
    });
    expect(forged.status).toBe(401);
  });
});
