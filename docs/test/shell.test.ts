import { describe, expect, it } from 'vitest';
import {
  checkTellus,
  checkWrangler,
  commandsOf,
  curlRequest,
  npmScript,
  parseCliHelp,
  tellusArgs,
} from './shell.ts';

const HELP = `Usage: npm run tellus -- <command> [options]

  keys add --department ID --scope read|answer [--label TEXT]   prints the key once
  services add --id ID [WORDING]
  services update --id ID [WORDING]
      WORDING: [--hint TEXT] [--signposting TEXT]
  subscriptions enable ID | subscriptions disable ID
  reply [--text ANSWER]

Environment: TELLUS_URL (default http://localhost:8787).`;

describe('reading shell blocks', () => {
  it('splits pipelines, lists and command substitutions, joins continuations, drops assignments', () => {
    const block = [
      'KEY=$(npm run -s tellus -- keys add --department x \\',
      '  --scope read | node -pe "1")   # the key',
      'sleep 2 && curl -H "Authorization: Bearer $KEY" http://localhost:8787/v1/feedback?limit=5',
    ].join('\n');
    expect(commandsOf(block)).toEqual([
      ['npm', 'run', '-s', 'tellus', '--', 'keys', 'add', '--department', 'x', '--scope', 'read'],
      ['node', '-pe', '1'],
      ['sleep', '2'],
      ['curl', '-H', 'Authorization: Bearer $KEY', 'http://localhost:8787/v1/feedback?limit=5'],
    ]);
  });

  it('knows the CLI by its help: a command, and the flags its group takes', () => {
    const help = parseCliHelp(HELP);
    const check = (line: string) => checkTellus(tellusArgs(commandsOf(line)[0] ?? []) ?? [], help);
    expect(check('npm run tellus -- keys add --department d --scope read --label x')).toEqual([]);
    expect(check('npm run tellus -- services update --id s --signposting "No"')).toEqual([]);
    expect(check('npm run tellus -- subscriptions disable ID')).toEqual([]);
    expect(check('npm run tellus -- reply --text hi')).toEqual([]);
    expect(check('npm run tellus -- keys remove ID')).toEqual(['no command "keys remove"']);
    expect(check('npm run tellus -- keys add --scopes read')).toEqual(['"keys add" takes no --scopes']);
  });

  it('names the npm script a command runs', () => {
    expect(npmScript(['npm', 'run', '-s', 'feedback:list', '--', '--limit', '5'])).toBe('feedback:list');
    expect(npmScript(['npm', 'test'])).toBeUndefined();
  });

  it('reads the request a curl makes', () => {
    const [patch] = commandsOf(
      `curl -H "Authorization: Bearer $KEY" -X PATCH -H 'Content-Type: application/json' -d '{"status":"closed"}' http://localhost:8787/v1/feedback/STORY_ID`,
    );
    expect(curlRequest(patch ?? [])).toEqual({
      method: 'PATCH',
      path: '/v1/feedback/STORY_ID',
      query: [],
      body: '{"status":"closed"}',
    });
    const [get] = commandsOf(`curl -s -o out.csv "$TELLUS_URL/v1/feedback.csv?since=2026-11-01&q=bin"`);
    expect(curlRequest(get ?? [])).toMatchObject({
      method: 'GET',
      path: '/v1/feedback.csv',
      query: ['since', 'q'],
    });
    expect(curlRequest(['curl', 'https://example.org/'])).toBeUndefined();
  });

  it("checks a wrangler command by the usage line of wrangler's own help", () => {
    const help = [
      'wrangler d1 time-travel restore <database>',
      '',
      'OPTIONS',
      '      --timestamp  when  [string]',
      '      --json       as JSON  [boolean] [default: false]',
    ].join('\n');
    expect(checkWrangler(['d1', 'time-travel', 'restore', 'tellus', '--timestamp=1'], help)).toEqual([]);
    expect(
      checkWrangler(['d1', 'time-travel', 'restore', '--timestamp', '1', 'tellus', '--json'], help),
    ).toEqual([]);
    expect(checkWrangler(['d1', 'time-travel', 'restore', '--json', 'tellus', 'more'], help)).toHaveLength(1);
    expect(checkWrangler(['d1', 'time-travel', 'restore', 'tellus', '--bookmark=1'], help)).toEqual([
      'wrangler d1 time-travel restore takes no --bookmark',
    ]);
    // Wrangler answers an unknown subcommand's --help with its parent's usage.
    expect(checkWrangler(['d1', 'nosuch'], 'wrangler d1\n\nManage D1')).toHaveLength(1);
  });
});
