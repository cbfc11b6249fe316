// Seeds the local D1 with the demo department and service; safe to run again and again.
// Usage: node scripts/seed.ts [--persist-to DIR] [--origin URL ...]
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_RETENTION_DAYS } from '../shared/limits.ts';
import { ensureDevVars } from './dev-vars.ts';
import { runWrangler } from './wrangler.ts';

export const DEMO_SERVICE = 'missed-bin-collection';
export const DEV_ORIGINS = ['http://localhost:8787', 'http://127.0.0.1:8787'];
/** Where `npm start` runs the demo department's inbox (scripts/inbox.ts). */
export const DEMO_INBOX_URL = 'http://127.0.0.1:8788/webhooks/tellus';
export const DEMO_EMAIL = 'waste-team@anytown.example.gov.uk';

export interface DemoSubscriptions {
  /** The demo webhook subscription's target and signing secret. */
  webhook?: { url: string; secret: string };
  /** The demo email subscription's address. */
  email?: string;
}

/** The address that signs in to the demo department's console. */
export const DEMO_MEMBER = 'demo-team@example.org';

/** The demo service's own signposting line, shown in its widget instead of the default one. */
export const DEMO_WORDING = {
  en: {
    signposting:
      "This is not for emergencies or formal complaints. To complain, use the council's complaints form.",
  },
  cy: {
    signposting:
      'Nid yw hwn ar gyfer argyfyngau na chwynion ffurfiol. I gwyno, defnyddiwch ffurflen gwynion y cyngor.',
  },
};

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** SQL that creates or refreshes the demo rows without touching stored stories. */
export function seedSql(origins: string[], { webhook, email }: DemoSubscriptions = {}): string {
  return [
    `INSERT INTO departments (id, name, contact_email, retention_days) VALUES ('anytown-waste', 'Anytown Borough Council: Waste and Recycling', 'waste@anytown.example.gov.uk', ${DEFAULT_RETENTION_DAYS})
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, contact_email = excluded.contact_email;`,
    // The demo department may publish stories, so its citizens are told so and /stories/ can show them.
    `INSERT INTO services (id, department_id, name, wording, publishing) VALUES (${quote(DEMO_SERVICE)}, 'anytown-waste', 'Report a missed bin collection', ${quote(JSON.stringify(DEMO_WORDING))}, 1)
     ON CONFLICT(id) DO UPDATE SET department_id = excluded.department_id, name = excluded.name, wording = excluded.wording, publishing = 1;`,
    // The demo department's console member: sign in at /console with this address.
    `INSERT OR IGNORE INTO members (id, department_id, email, role) VALUES ('demo-team', 'anytown-waste', ${quote(DEMO_MEMBER)}, 'admin');`,
    `UPDATE members SET role = 'admin' WHERE department_id = 'anytown-waste' AND email = ${quote(DEMO_MEMBER)};`,
    ...origins.map(
      (origin) =>
        `INSERT OR IGNORE INTO service_origins (service_id, origin) VALUES (${quote(DEMO_SERVICE)}, ${quote(origin)});`,
    ),
    ...(webhook
      ? [
          `INSERT INTO subscriptions (id, department_id, kind, target, secret) VALUES ('demo-inbox', 'anytown-waste', 'webhook', ${quote(webhook.url)}, ${quote(webhook.secret)})
           ON CONFLICT(id) DO UPDATE SET target = excluded.target, secret = excluded.secret, state = 'active', failing_since = NULL;`,
        ]
      : []),
    ...(email
      ? [
          `INSERT INTO subscriptions (id, department_id, kind, target) VALUES ('demo-email', 'anytown-waste', 'email', ${quote(email)})
           ON CONFLICT(id) DO UPDATE SET target = excluded.target, state = 'active', failing_since = NULL;`,
        ]
      : []),
  ].join('\n');
}

/** Applies the migrations to the local D1 and seeds it. */
export async function seedLocalDatabase({
  persistTo,
  origins,
  subscriptions,
}: {
  persistTo?: string;
  origins: string[];
  subscriptions?: DemoSubscriptions;
}) {
  const persist = persistTo ? ['--persist-to', persistTo] : [];
  await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...persist]);
  const file = join(tmpdir(), `tellus-seed-${process.pid}.sql`);
  writeFileSync(file, seedSql(origins, subscriptions));
  await runWrangler(['d1', 'execute', 'DB', '--local', '--file', file, ...persist]);
}

if (fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { 'persist-to': { type: 'string' }, origin: { type: 'string', multiple: true } },
  });
  const origins = values.origin ?? DEV_ORIGINS;
  const vars = ensureDevVars();
  const subscriptions = {
    webhook: { url: DEMO_INBOX_URL, secret: vars.DEMO_WEBHOOK_SECRET ?? '' },
    email: DEMO_EMAIL,
  };
  await seedLocalDatabase({ persistTo: values['persist-to'], origins, subscriptions });
  console.log(`Seeded service ${DEMO_SERVICE}, allowed from ${origins.join(', ')}`);
  console.log(`Its stories go to the demo inbox (${DEMO_INBOX_URL}) and by email to ${DEMO_EMAIL}`);
}
