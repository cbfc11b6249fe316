// The widget's byte budget: every page that embeds it pays for each byte, on every visit.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const WIDGET = new URL('../dist/v1/widget.js', import.meta.url);
const BUDGET_GZIP_BYTES = 10 * 1024;

describe('the built widget', () => {
  const source = readFileSync(WIDGET);

  it(`is at most ${BUDGET_GZIP_BYTES} bytes gzipped`, () => {
    const gzipped = gzipSync(source, { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('is one self-contained script: no imports, no other chunks', () => {
    const text = source.toString('utf8');
    expect(text).not.toMatch(/\bimport\s*\(|^import\s|\bimport\s+[\w{*]/m);
    expect(text).not.toMatch(/\bfrom\s*["']/);
    expect(text).toMatch(/^var Tellus=/);
  });
});

describe('the stories mode, a file of its own', () => {
  const stories = readFileSync(new URL('../dist/v1/stories.js', import.meta.url));

  it(`is at most ${BUDGET_GZIP_BYTES} bytes gzipped too`, () => {
    expect(gzipSync(stories, { level: 9 }).length).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('is self-contained, and adds no global', () => {
    const text = stories.toString('utf8');
    expect(text).not.toMatch(/\bimport\s*\(|^import\s|\bfrom\s*["']/m);
    expect(text).not.toMatch(/^var /);
  });
});

describe('the widget stylesheet', () => {
  it('has no motion to reduce: no transitions or animations', async () => {
    const { css } = await import('./styles');
    expect(css).not.toMatch(/transition|animation|@keyframes|scroll-behavior/);
  });
});
