// Reads the docs as GitHub renders them: their fenced blocks, their links and their headings' anchors.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';

/** The repository's root. */
export const ROOT = resolve(import.meta.dirname, '../..');

const markdown = new MarkdownIt({ html: true });

/** Every Markdown file a reader meets: the root's, the docs folder's and the package's, from the root. */
export function markdownFiles(): string[] {
  const inFolder = (folder: string) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => name.endsWith('.md'))
      .map((name) => (folder === '.' ? name : `${folder}/${name}`));
  return [...inFolder('.'), ...inFolder('docs'), 'widget/PACKAGE.md'].sort();
}

export const readDoc = (file: string) => readFileSync(join(ROOT, file), 'utf8');

export interface Fence {
  /** The block's language: `sh`, `json`, `ts`… */
  lang: string;
  /** Marked for the commands test to run: the info string `sh runnable`. */
  runnable: boolean;
  content: string;
  /** Its first line in the file, counting from 1. */
  line: number;
}

/** The fenced code blocks of a Markdown text, in order. */
export function fencesOf(text: string): Fence[] {
  return markdown
    .parse(text, {})
    .filter((token) => token.type === 'fence')
    .map((token) => {
      const [lang = '', ...flags] = token.info.trim().split(/\s+/);
      return {
        lang,
        runnable: flags.includes('runnable'),
        content: token.content,
        line: (token.map?.[0] ?? 0) + 1,
      };
    });
}

/** Every link target in a Markdown text: Markdown links and images, and HTML `href`s and `src`s. */
export function linksOf(text: string): string[] {
  const links: string[] = [];
  const fromHtml = (html: string) => {
    for (const match of html.matchAll(/\b(?:href|src)="([^"]*)"/g)) links.push(match[1] ?? '');
  };
  for (const token of markdown.parse(text, {})) {
    if (token.type === 'html_block') fromHtml(token.content);
    for (const child of token.children ?? []) {
      if (child.type === 'link_open') links.push(String(child.attrGet('href') ?? ''));
      if (child.type === 'image') links.push(String(child.attrGet('src') ?? ''));
      if (child.type === 'html_inline') fromHtml(child.content);
    }
  }
  return links;
}

/** The anchors GitHub gives a Markdown text's headings (`## Keys and scopes` → `keys-and-scopes`). */
export function anchorsOf(text: string): Set<string> {
  const slugger = new GithubSlugger();
  const tokens = markdown.parse(text, {});
  const anchors = new Set<string>();
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const inline = tokens[index + 1];
    const words = (inline?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    anchors.add(slugger.slug(words));
  });
  return anchors;
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The relative links of `file` (relative to the root) that lead nowhere: a file that does not exist,
 * or an anchor that no heading of its Markdown file has. External links are not followed.
 */
export function brokenLinks(file: string, text = readDoc(file)): string[] {
  const broken: string[] = [];
  for (const link of linksOf(text)) {
    if (EXTERNAL.test(link) || link.startsWith('//')) continue;
    const [path = '', anchor] = link.split('#', 2);
    if (path === '') {
      if (!anchorsOf(text).has(decodeURIComponent(anchor ?? ''))) broken.push(`${link}: no heading ${link}`);
      continue;
    }
    const target = resolve(ROOT, dirname(file), decodeURI(path));
    if (!target.startsWith(ROOT) || !existsSync(target)) {
      broken.push(`${link}: no file ${relative(ROOT, target)}`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (statSync(target).isDirectory() || !target.endsWith('.md')) {
      // GitHub's line anchors (#L10) are the only ones other files have.
      if (!/^L\d+(-L\d+)?$/.test(anchor)) broken.push(`${link}: ${relative(ROOT, target)} has no headings`);
      continue;
    }
    if (!anchorsOf(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor)))
      broken.push(`${link}: no heading #${anchor}`);
  }
  return broken;
}
