// The docs cannot rot: every relative link and anchor resolves, every guide is one click from the
// README, every CLI command and npm script they name exists, and the API guide names every error.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../shared/problems.ts';
import { hostCsp, scriptTag } from '../worker/console/embed-code.ts';
import { brokenLinks, fencesOf, linksOf, markdownFiles, ROOT, readDoc } from './test/markdown.ts';
import { checkTellus, commandsOf, npmScript, parseCliHelp, tellusArgs } from './test/shell.ts';

/** The guides, one per reader, that the README's table leads to. */
const GUIDES = [
  'docs/embed.md',
  'docs/departments.md',
  'docs/api.md',
  'docs/operators.md',
  'docs/privacy.md',
  'docs/security.md',
  'docs/PERFORMANCE.md',
  'docs/SCALING.md',
];

const files = markdownFiles();
const shellBlocks = files.flatMap((file) =>
  fencesOf(readDoc(file))
    .filter((fence) => fence.lang === 'sh')
    .map((fence) => ({ at: `${file}:${fence.line}`, commands: commandsOf(fence.content) })),
);

describe('the docs', () => {
  it('are the README, the changelog, the security policy, the guides and the package README', () => {
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'CHANGELOG.md', 'SECURITY.md', 'CONTRIBUTING.md', ...GUIDES]),
    );
  });

  it.each(files)('%s: every relative link and anchor resolves', (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it('keep the README short: what it is, try it, test it, where to read on', () => {
    expect(readDoc('README.md').split('\n').length).toBeLessThanOrEqual(150);
  });

  it('lead from the README to each guide in one click', () => {
    const links = new Set(linksOf(readDoc('README.md')).map((link) => link.split('#')[0]));
    expect(GUIDES.filter((guide) => !links.has(guide))).toEqual([]);
    expect(linksOf(readDoc('SECURITY.md'))).toContain('docs/security.md');
  });

  it.each(GUIDES.slice(0, 6))('%s: says first who it is for', (guide) => {
    const [title, opening = ''] = readDoc(guide).split(/\n\s*\n/);
    expect(title).toMatch(/^# \S/);
    expect(opening).toMatch(/\bfor\b/i);
  });

  it('name every problem code in the API guide, each in a table row', () => {
    const rows = readDoc('docs/api.md')
      .split('\n')
      .filter((line) => line.startsWith('|'));
    expect(PROBLEM_CODES.filter((code) => !rows.some((row) => row.includes(`\`${code}\``)))).toEqual([]);
  });
});

describe('the embed guide', () => {
  const TELLUS = 'https://feedback.example.gov.uk';
  const blocks = fencesOf(readDoc('docs/embed.md')).map((fence) => fence.content.trim());

  it("shows the tag the console's embed page gives", () => {
    expect(blocks).toContain(scriptTag(TELLUS, undefined, 'missed-bin-collection', 'inline'));
  });

  it("shows the Content-Security-Policy directives the console's embed page gives, with and without Turnstile", () => {
    expect(blocks).toContain(hostCsp(TELLUS));
    expect(blocks).toContain(hostCsp(TELLUS, 'https://challenges.cloudflare.com'));
  });
});

describe('the changelog', () => {
  const headings = readDoc('CHANGELOG.md')
    .split('\n')
    .filter((line) => line.startsWith('## '));

  it('keeps a changelog: Unreleased first, then versions, newest first, each with its date', () => {
    expect(headings[0]).toBe('## [Unreleased]');
    const versions = headings
      .slice(1)
      .map((heading) => /^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/.exec(heading)?.[1]);
    expect(versions).not.toContain(undefined);
    const order = (version = '') => version.split('.').reduce((sum, part) => sum * 1000 + Number(part), 0);
    expect(versions.map(order)).toEqual(versions.map(order).sort((a, b) => b - a));
  });

  it("has the package's version as its newest release", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(headings[1]).toMatch(`## [${version}] - `);
  });
});

describe('the commands in the docs', () => {
  const help = parseCliHelp(
    execFileSync(process.execPath, ['scripts/tellus.ts', '--help'], { cwd: ROOT, encoding: 'utf8' }),
  );
  const scripts = Object.keys(
    (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts,
  );

  it('name only operator CLI commands and flags that its own help lists', () => {
    const uses = shellBlocks.flatMap(({ at, commands }) =>
      commands.flatMap((command) => {
        const args = tellusArgs(command);
        return args ? [{ at, args }] : [];
      }),
    );
    expect(uses.length).toBeGreaterThan(20);
    expect(
      uses.flatMap(({ at, args }) => checkTellus(args, help).map((problem) => `${at}: ${problem}`)),
    ).toEqual([]);
  });

  it('name only npm scripts that package.json has', () => {
    const missing = shellBlocks.flatMap(({ at, commands }) =>
      commands
        .map(npmScript)
        .filter((script) => script !== undefined && !scripts.includes(script))
        .map((script) => `${at}: npm run ${script}`),
    );
    expect(missing).toEqual([]);
  });
});
