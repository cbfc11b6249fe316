// Local secrets in .dev.vars (git-ignored): created once with random values, then reused.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './wrangler.ts';

export const DEV_VARS = join(ROOT, '.dev.vars');

/** The variables in .dev.vars. */
export function readDevVars(): Record<string, string> {
  if (!existsSync(DEV_VARS)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(DEV_VARS, 'utf8').split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*"?([^"]*)"?\s*$/.exec(line);
    if (match?.[1]) vars[match[1]] = match[2] ?? '';
  }
  return vars;
}

/** Makes sure .dev.vars holds an operator token, the worker's own secret and the demo inbox's webhook secret. */
export function ensureDevVars(): Record<string, string> {
  const vars = readDevVars();
  const wanted = {
    OPERATOR_TOKEN: () => randomBytes(24).toString('base64url'),
    DEMO_WEBHOOK_SECRET: () => `whsec_${randomBytes(32).toString('base64')}`,
    TELLUS_SECRET: () => randomBytes(32).toString('base64url'),
  };
  let changed = false;
  for (const [name, make] of Object.entries(wanted)) {
    if (!vars[name]) {
      vars[name] = make();
      changed = true;
    }
  }
  if (changed) {
    const lines = ['# Local development only; never commit. Created by npm start.'];
    for (const [name, value] of Object.entries(vars)) lines.push(`${name}="${value}"`);
    writeFileSync(DEV_VARS, `${lines.join('\n')}\n`, { mode: 0o600 });
  }
  return vars;
}
