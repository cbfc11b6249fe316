import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { measureSizes } from './size.ts';

const dist = mkdtempSync(join(tmpdir(), 'tellus-size-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));
mkdirSync(join(dist, 'v1'));
const file = (name: string, text: string) => writeFileSync(join(dist, 'v1', name), text);
const script = (seed: string) => Array.from({ length: 200 }, (_, i) => `var ${seed}${i}=${i * 7};`).join('');
file('widget.js', script('w'));
file('widget.abc.js', script('w'));

it('reports widget.js alone while widget.json names no parts', () => {
  file('widget.json', JSON.stringify({ src: '/v1/widget.abc.js', integrity: 'sha384-x' }));
  const size = measureSizes(dist);
  expect(size.parts).toEqual([]);
  expect(size.allPartsGzip).toBe(size.widget.gzip);
});

it('reports every part widget.json names, and the total of first paint and parts', () => {
  file('cy.0123456789ab.js', script('c'));
  file('outbox.ba9876543210.js', script('o'));
  file(
    'widget.json',
    JSON.stringify({
      src: '/v1/widget.abc.js',
      integrity: 'sha384-x',
      parts: {
        cy: { src: '/v1/cy.0123456789ab.js', integrity: 'sha384-c' },
        outbox: { src: '/v1/outbox.ba9876543210.js', integrity: 'sha384-o' },
      },
    }),
  );
  const size = measureSizes(dist);
  expect(size.parts.map((part) => [part.name, part.file])).toEqual([
    ['cy', '/v1/cy.0123456789ab.js'],
    ['outbox', '/v1/outbox.ba9876543210.js'],
  ]);
  const [cy, outbox] = size.parts;
  expect(size.allPartsGzip).toBe(size.widget.gzip + (cy?.gzip ?? 0) + (outbox?.gzip ?? 0));
});
