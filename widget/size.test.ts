// The widget's byte budgets: every page that embeds it pays for each byte of the first paint, on
// every visit; each part is paid for only where and when it is needed.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PART_NAMES } from './part-names';

const dist = (file: string) => readFileSync(new URL(`../dist/v1/${file}`, import.meta.url));
const gzipped = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

/** widget.js, the first paint of the common case. */
const FIRST_PAINT_GZIP_BYTES = 8 * 1024;
/** Each part, loaded on demand. */
const PART_GZIP_BYTES = 4 * 1024;

const manifest = JSON.parse(dist('widget.json').toString('utf8')) as {
  parts: Record<string, { src: string; integrity: string }>;
};

describe('the first paint, widget.js', () => {
  const source = dist('widget.js');

  it(`is at most ${FIRST_PAINT_GZIP_BYTES} bytes gzipped`, () => {
    expect(gzipped(source)).toBeLessThanOrEqual(FIRST_PAINT_GZIP_BYTES);
  });

  it('is one classic script: no imports, no module syntax', () => {
    const text = source.toString('utf8');
    expect(text).not.toMatch(/\bimport\s*\(|^import\s|\bimport\s+[\w{*]/m);
    expect(text).not.toMatch(/\bfrom\s*["']/);
    expect(text).toMatch(/^var Tellus=/);
  });

  it('carries every part by file name and sha384, so pinning it pins them all', () => {
    const text = source.toString('utf8');
    expect(Object.keys(manifest.parts).sort()).toEqual([...PART_NAMES].sort());
    for (const { src, integrity } of Object.values(manifest.parts)) {
      expect(text).toContain(src.replace('/v1/', ''));
      expect(text).toContain(integrity);
    }
  });
});

describe('the parts', () => {
  const sizes = Object.fromEntries(
    Object.entries(manifest.parts).map(([name, { src }]) => [name, gzipped(dist(src.replace('/v1/', '')))]),
  );

  it.each(PART_NAMES)(`%s is at most ${PART_GZIP_BYTES} bytes gzipped`, (name) => {
    expect(sizes[name]).toBeLessThanOrEqual(PART_GZIP_BYTES);
  });

  it('are classic scripts that add nothing to the page but their own place under Tellus.parts', () => {
    for (const [name, { src }] of Object.entries(manifest.parts)) {
      const text = dist(src.replace('/v1/', '')).toString('utf8');
      expect(text).not.toMatch(/\bimport\s*\(|^import\s|\bfrom\s*["']/m);
      expect(text).not.toMatch(/^var /m);
      expect(text).toContain(`this.Tellus.parts.${name}`);
    }
  });

  it('add up to a total the report states', () => {
    const first = gzipped(dist('widget.js'));
    const total = first + Object.values(sizes).reduce((sum, size) => sum + size, 0);
    console.info(
      `widget.js ${first} B gzipped; parts: ${Object.entries(sizes)
        .map(([name, size]) => `${name} ${size}`)
        .join(', ')}; all together ${total} B`,
    );
    expect(total).toBeGreaterThan(first);
  });
});

describe('the widget stylesheet', () => {
  it('has no motion to reduce: no transitions or animations', async () => {
    const { css } = await import('./styles');
    const stories = readFileSync(new URL('./parts/stories.tsx', import.meta.url), 'utf8');
    expect(css + stories).not.toMatch(/transition|animation|@keyframes|scroll-behavior/);
  });
});
