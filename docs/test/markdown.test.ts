import { describe, expect, it } from 'vitest';
import { anchorsOf, brokenLinks, fencesOf, linksOf } from './markdown.ts';

describe('reading the docs', () => {
  it('gives headings the anchors GitHub gives them, a repeated one numbered', () => {
    const text = "# Tellus\n## Keys and scopes\n## What's `q`?\n## Keys and scopes\n";
    expect([...anchorsOf(text)]).toEqual(['tellus', 'keys-and-scopes', 'whats-q', 'keys-and-scopes-1']);
  });

  it('finds Markdown and HTML links, and no link inside a code block', () => {
    const text = '[a](docs/api.md#errors) <a href="SECURITY.md">b</a>\n\n```md\n[c](nowhere.md)\n```\n';
    expect(linksOf(text)).toEqual(['docs/api.md#errors', 'SECURITY.md']);
  });

  it('reports a missing file and a missing anchor, and passes a good one and an external one', () => {
    const text = [
      '# Top',
      '[ok](docs/SCALING.md) [self](#top) [web](https://example.org/x#y)',
      '[gone](docs/nothing.md) [no heading](README.md#no-such-heading) [no self](#elsewhere)',
    ].join('\n');
    expect(brokenLinks('CONTRIBUTING.md', text)).toEqual([
      'docs/nothing.md: no file docs/nothing.md',
      'README.md#no-such-heading: no heading #no-such-heading',
      '#elsewhere: no heading #elsewhere',
    ]);
  });

  it('marks a block runnable by its info string', () => {
    const text = '```sh runnable\nnpm run tellus -- --help\n```\n\n```sh\ncurl x\n```\n';
    expect(fencesOf(text).map(({ lang, runnable, line }) => ({ lang, runnable, line }))).toEqual([
      { lang: 'sh', runnable: true, line: 1 },
      { lang: 'sh', runnable: false, line: 5 },
    ]);
  });
});
