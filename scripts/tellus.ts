// The operator CLI, over the operator API: `npm run tellus -- <command> [options]`.
// It talks to TELLUS_URL (default http://localhost:8787) with TELLUS_OPERATOR_TOKEN (default: the
// OPERATOR_TOKEN in .dev.vars, which npm start creates).
import { parseArgs } from 'node:util';
import { readDevVars } from './dev-vars.ts';
import { sendReply } from './reply.ts';
import { DEMO_MEMBER } from './seed.ts';

const USAGE = `Usage: npm run tellus -- <command> [options]

  departments list
  departments add --id ID --name NAME --email CONTACT [--retention-days N]
  services list
  services add --id ID --department ID --name NAME [--origin https://… ...] [WORDING]
  services update --id ID [--name NAME] [WORDING]
      WORDING: the service's own lines in its widget, replacing the defaults (an update replaces
      all of them): [--hint TEXT] [--signposting TEXT] [--hint-cy TEXT] [--signposting-cy TEXT]
  services update --id ID --turnstile-sitekey KEY --turnstile-secret SECRET   turn Turnstile on
  services update --id ID --turnstile-off
  services update --id ID --publishing on|off       may the department publish stories?
  services add|update … --privacy-url https://…      the service's privacy notice, which the widget
                                                    links to as "How we use your feedback"
  services update --id ID --privacy-off             no privacy link
  keys add --department ID --scope read|answer [--scope …] [--label TEXT]   prints the key once
  keys list [--department ID]
  keys revoke ID
  members add --department ID --email ADDRESS [--role admin|member]
                                                    who may sign in to the console (the first
                                                    member of a department is its admin unless told)
  members list --department ID
  members remove ID                                 and end their console sessions
  subscriptions list [--department ID]
  subscriptions add --department ID --kind webhook|email|teams|slack --target URL|ADDRESS
                    [--service ID ...] [--min-severity normal|urgent] [--max-rating N] [--mode each|daily]
      teams: the URL of a Teams Workflows flow "Post to a channel when a webhook request is received";
      slack: a Slack incoming webhook URL (https://hooks.slack.com/services/…). Both are secrets:
      printed in full only by add, masked everywhere after. --mode daily is for email only.
  subscriptions rotate-secret ID
  subscriptions test ID
  subscriptions enable ID | subscriptions disable ID
  subscriptions replay ID          replay every waiting delivery of a subscription
  deliveries failed [--subscription ID]
  deliveries attempts ID
  deliveries replay ID
  reply [--text ANSWER] [--changed TEXT] [--from ADDRESS] [--eml FILE]
                                   answer the newest alert email (wrangler dev's .eml files) by
                                   replying to it, as ADDRESS (default: the demo member)

Environment: TELLUS_URL (default http://localhost:8787), TELLUS_OPERATOR_TOKEN (default from .dev.vars).`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    id: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    'retention-days': { type: 'string' },
    department: { type: 'string' },
    origin: { type: 'string', multiple: true },
    kind: { type: 'string' },
    target: { type: 'string' },
    service: { type: 'string', multiple: true },
    'min-severity': { type: 'string' },
    'max-rating': { type: 'string' },
    mode: { type: 'string' },
    subscription: { type: 'string' },
    scope: { type: 'string', multiple: true },
    label: { type: 'string' },
    role: { type: 'string' },
    'privacy-url': { type: 'string' },
    'privacy-off': { type: 'boolean' },
    hint: { type: 'string' },
    signposting: { type: 'string' },
    'hint-cy': { type: 'string' },
    'signposting-cy': { type: 'string' },
    'turnstile-sitekey': { type: 'string' },
    'turnstile-secret': { type: 'string' },
    'turnstile-off': { type: 'boolean' },
    publishing: { type: 'string' },
    text: { type: 'string' },
    changed: { type: 'string' },
    from: { type: 'string' },
    eml: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const base = (process.env.TELLUS_URL ?? 'http://localhost:8787').replace(/\/+$/, '');
const token = process.env.TELLUS_OPERATOR_TOKEN ?? readDevVars().OPERATOR_TOKEN;

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** The service wording given on the command line, per language; undefined when none was. */
function wording() {
  const lines = (storyHint?: string, signposting?: string) =>
    storyHint || signposting ? { storyHint, signposting } : undefined;
  const en = lines(values.hint, values.signposting);
  const cy = lines(values['hint-cy'], values['signposting-cy']);
  return en || cy ? { en, cy } : undefined;
}

async function api(method: string, path: string, body?: unknown) {
  if (!token)
    fail('No operator token: set TELLUS_OPERATOR_TOKEN, or run npm start once to create .dev.vars.');
  let res: Response;
  try {
    res = await fetch(`${base}/v1/admin${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    fail(`Could not reach ${base}. Is the worker running (npm start)?`);
  }
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const errors = (answer.errors as { field: string; detail: string }[] | undefined) ?? [];
    fail(
      [
        `${res.status} ${answer.title ?? ''}: ${answer.detail ?? ''}`,
        ...errors.map((e) => `  ${e.field}: ${e.detail}`),
      ].join('\n'),
    );
  }
  return answer;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function need(name: keyof typeof values) {
  const value = values[name];
  if (value === undefined) fail(`Missing --${name}\n\n${USAGE}`);
  return value as string;
}

const [noun, verb, arg] = positionals;
const id = () => encodeURIComponent(arg ?? '');
const commands: Record<string, () => Promise<unknown>> = {
  'departments list': () => api('GET', '/departments'),
  'departments add': () =>
    api('POST', '/departments', {
      id: need('id'),
      name: need('name'),
      contact_email: need('email'),
      retention_days: number(values['retention-days']),
    }),
  'services list': () => api('GET', '/services'),
  'services add': () =>
    api('POST', '/services', {
      id: need('id'),
      department_id: need('department'),
      name: need('name'),
      origins: values.origin ?? [],
      wording: wording(),
      privacy_url: values['privacy-url'],
    }),
  'services update': () =>
    api('PATCH', `/services/${encodeURIComponent(need('id'))}`, {
      name: values.name,
      wording: wording(),
      publishing: values.publishing === undefined ? undefined : values.publishing === 'on',
      privacy_url: values['privacy-off'] ? null : values['privacy-url'],
      turnstile: values['turnstile-off']
        ? null
        : values['turnstile-sitekey'] || values['turnstile-secret']
          ? { sitekey: values['turnstile-sitekey'], secret: values['turnstile-secret'] }
          : undefined,
    }),
  'keys add': () =>
    api('POST', `/departments/${encodeURIComponent(need('department'))}/keys`, {
      scopes: values.scope ?? [],
      label: values.label,
    }),
  'keys list': () =>
    api('GET', `/keys${values.department ? `?department=${encodeURIComponent(values.department)}` : ''}`),
  'keys revoke': () => api('POST', `/keys/${id()}/revoke`),
  'members add': () =>
    api('POST', `/departments/${encodeURIComponent(need('department'))}/members`, {
      email: need('email'),
      ...(values.role ? { role: values.role } : {}),
    }),
  'members list': () => api('GET', `/departments/${encodeURIComponent(need('department'))}/members`),
  'members remove': () => api('DELETE', `/members/${id()}`),
  'subscriptions list': () =>
    api(
      'GET',
      `/subscriptions${values.department ? `?department=${encodeURIComponent(values.department)}` : ''}`,
    ),
  'subscriptions add': () =>
    api('POST', '/subscriptions', {
      department_id: need('department'),
      kind: need('kind'),
      target: need('target'),
      services: values.service ?? null,
      min_severity: values['min-severity'],
      max_rating: number(values['max-rating']) ?? null,
      mode: values.mode,
    }),
  'subscriptions rotate-secret': () => api('POST', `/subscriptions/${id()}/rotate-secret`),
  'subscriptions test': () => api('POST', `/subscriptions/${id()}/test`),
  'subscriptions enable': () => api('POST', `/subscriptions/${id()}/enable`),
  'subscriptions disable': () => api('POST', `/subscriptions/${id()}/disable`),
  'subscriptions replay': () => api('POST', `/subscriptions/${id()}/replay`),
  'deliveries failed': () =>
    api(
      'GET',
      `/deliveries/failed${values.subscription ? `?subscription=${encodeURIComponent(values.subscription)}` : ''}`,
    ),
  'deliveries attempts': () => api('GET', `/deliveries/${id()}/attempts`),
  'deliveries replay': () => api('POST', `/deliveries/${id()}/replay`),
};

if (noun === 'reply') {
  const { ok, message } = await sendReply({
    base,
    eml: values.eml,
    from: values.from ?? DEMO_MEMBER,
    text: values.text ?? 'Thank you for telling us. We have asked the crew to come back today.',
    changed: values.changed,
  });
  console.log(message);
  process.exit(ok ? 0 : 1);
}

const command = commands[`${noun} ${verb}`];
if (values.help || !command) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
const needsId = ['rotate-secret', 'test', 'enable', 'disable', 'replay', 'attempts', 'revoke'].includes(
  verb ?? '',
);
if (needsId && !arg) fail(`Give the id: npm run tellus -- ${noun} ${verb} ID`);
console.log(JSON.stringify(await command(), null, 2));
