// The widget's idempotency keys: each one new, each one the worker takes.

import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { IdempotencyKey } from '../shared';
import { newIdempotencyKey } from './api';

describe('newIdempotencyKey', () => {
  it('makes keys the worker accepts, never the same twice', () => {
    const keys = Array.from({ length: 2000 }, newIdempotencyKey);
    for (const key of keys) expect(v.is(IdempotencyKey, key)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
