// Reads the shell commands in the docs' `sh` blocks, and checks each against what it names: the
// operator CLI's own help, package.json's scripts, the OpenAPI document, wrangler's own help.
import { type ParseEntry, parse } from 'shell-quote';

/** One simple command: its words, with `$VAR`s left as written and leading `NAME=value`s dropped. */
export type Command = string[];

const SEPARATORS = new Set(['|', '||', '&&', ';', '&', '(', ')', '|&', ';;']);

/** The simple commands of a shell block: continuation lines joined, pipelines and `$( )` opened up. */
export function commandsOf(block: string): Command[] {
  const commands: Command[] = [];
  for (const line of block.replace(/\\\n/g, ' ').split('\n')) {
    let words: string[] = [];
    const end = () => {
      const command = words.slice(words.findIndex((word) => !/^[A-Za-z_]\w*=/.test(word)));
      if (words.length > 0 && command.length > 0 && !words.every((word) => /^[A-Za-z_]\w*=/.test(word)))
        commands.push(command);
      words = [];
    };
    for (const entry of parse(line, (name) => `$${name}`) as ParseEntry[]) {
      if (typeof entry === 'string') words.push(entry);
      else if ('comment' in entry) break;
      else if ('op' in entry && SEPARATORS.has(entry.op)) end();
      else if ('op' in entry && entry.op === 'glob') words.push(entry.pattern);
    }
    end();
  }
  return commands;
}

/** What `npm run tellus -- --help` allows: each `group action` and the flags each group takes. */
export interface CliHelp {
  commands: Set<string>;
  flags: Map<string, Set<string>>;
}

/** Reads the CLI's usage text: `  group action … --flag …` lines and their indented continuations. */
export function parseCliHelp(help: string): CliHelp {
  const commands = new Set<string>();
  const flags = new Map<string, Set<string>>();
  let groups: string[] = [];
  for (const line of help.split('\n')) {
    const entry = /^ {2}([a-z]+)(?: ([a-z|-]+))?/.exec(line);
    if (entry?.[1]) {
      const group = entry[1];
      groups = [group];
      const actions = entry[2]?.split('|') ?? [''];
      for (const action of actions) commands.add(action ? `${group} ${action}` : group);
      for (const more of line.matchAll(/\| ([a-z]+) ([a-z-]+)/g)) commands.add(`${more[1]} ${more[2]}`);
    } else if (!/^ {4,}/.test(line)) {
      groups = [];
    }
    for (const group of groups) {
      const known = flags.get(group) ?? new Set<string>();
      for (const flag of line.matchAll(/--[a-z][a-z-]*/g)) known.add(flag[0]);
      flags.set(group, known);
    }
  }
  return { commands, flags };
}

/** The arguments after `npm run [-s] tellus --`, or undefined when `command` is not the CLI. */
export function tellusArgs(command: Command): string[] | undefined {
  if (command[0] !== 'npm' || command[1] !== 'run') return undefined;
  const rest = command.slice(2).filter((word) => word !== '-s' && word !== '--silent');
  if (rest[0] !== 'tellus') return undefined;
  return rest[1] === '--' ? rest.slice(2) : [];
}

/** What is wrong with a CLI invocation by the CLI's own help: an unknown command or flag. */
export function checkTellus(args: string[], help: CliHelp): string[] {
  if (args[0] === '--help' || args[0] === '-h') return [];
  const [group = '', action] = args;
  const named = action && !action.startsWith('-') && help.commands.has(`${group} ${action}`);
  if (!named && !help.commands.has(group)) return [`no command "${args.slice(0, 2).join(' ')}"`];
  return args
    .filter((word) => word.startsWith('--'))
    .map((word) => word.split('=')[0] ?? word)
    .filter((flag) => flag !== '--help' && !help.flags.get(group)?.has(flag))
    .map((flag) => `"${group}${named ? ` ${action}` : ''}" takes no ${flag}`);
}

/** The `npm run <script>` a command names, if it names one. */
export function npmScript(command: Command): string | undefined {
  if (command[0] !== 'npm' || command[1] !== 'run') return undefined;
  return command.slice(2).find((word) => !word.startsWith('-'));
}

export interface CurlRequest {
  method: string;
  /** The path after the origin, query string dropped. */
  path: string;
  query: string[];
  body?: string;
}

const CURL_OPTIONS_WITH_VALUE = new Set([
  '-H',
  '--header',
  '-o',
  '--output',
  '-w',
  '--write-out',
  '-u',
  '--user',
  '-A',
  '--user-agent',
  '-e',
  '--referer',
  '-m',
  '--max-time',
  '-b',
  '--cookie',
  '-c',
  '--cookie-jar',
]);

/** The request a `curl` command makes, or undefined when it is not curl or names no Tellus route. */
export function curlRequest(command: Command): CurlRequest | undefined {
  if (command[0] !== 'curl') return undefined;
  let method: string | undefined;
  let body: string | undefined;
  let url: string | undefined;
  for (let i = 1; i < command.length; i++) {
    const word = command[i] ?? '';
    if (word === '-X' || word === '--request') method = command[++i];
    else if (['-d', '--data', '--data-raw', '--data-binary'].includes(word)) body = command[++i];
    else if (word === '-I' || word === '--head') method = 'HEAD';
    else if (CURL_OPTIONS_WITH_VALUE.has(word)) i++;
    else if (!word.startsWith('-')) url = word;
  }
  const at = url?.search(/\/(v1\/|healthz)/);
  if (url === undefined || at === undefined || at < 0) return undefined;
  const [path = '', search = ''] = url.slice(at).split('?', 2);
  const query = search
    .split('&')
    .filter(Boolean)
    .map((pair) => decodeURIComponent(pair.split('=')[0] ?? ''));
  return { method: method ?? (body === undefined ? 'GET' : 'POST'), path, query, body };
}

/** The wrangler subcommand words and flags of `npx wrangler …`, or undefined. */
export function wranglerArgs(command: Command): string[] | undefined {
  if (command[0] === 'npx' && command[1] === 'wrangler') return command.slice(2);
  if (command[0] === 'wrangler') return command.slice(1);
  return undefined;
}

/**
 * What is wrong with `wrangler <args>` by wrangler's own `--help` for it: the usage line must name
 * the words given as subcommands, with room for the rest as positionals, and list every flag used.
 * A flag that its help does not call `[boolean]` takes the next word as its value.
 */
export function checkWrangler(args: string[], helpText: string): string[] {
  const optionLine = (name: string) =>
    helpText.split('\n').find((line) => new RegExp(`^\\s+(-\\w, )?${name}\\b`).test(line));
  const problems: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (!word.startsWith('--')) {
      words.push(word);
      continue;
    }
    const [name = word, value] = word.split('=', 2);
    if (name === '--help') continue;
    const line = optionLine(name);
    if (!line) problems.push(`takes no ${name}`);
    else if (value === undefined && !line.includes('[boolean]')) i++;
  }
  const usage = helpText.trim().split('\n')[0] ?? '';
  const [, ...parts] = usage.trim().split(/\s+/);
  const subcommands = parts.filter((part) => /^[a-z][\w:-]*$/.test(part));
  const positionals = parts.length - subcommands.length;
  const command = `wrangler ${subcommands.join(' ')}`;
  if (subcommands.some((part, i) => words[i] !== part) || words.length - subcommands.length > positionals) {
    return [`wrangler has no command "${words.join(' ')}" (its help: "${usage}")`];
  }
  return problems.map((problem) => `${command} ${problem}`);
}
