import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('makes a version 7 UUID with the RFC 9562 variant', () => {
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('puts the time first, so later ids sort after earlier ones', () => {
    const earlier = newId(Date.UTC(2026, 0, 1));
    const later = newId(Date.UTC(2026, 0, 1) + 1);
    expect(earlier < later).toBe(true);
    expect(newId(0x0123456789ab).slice(0, 13)).toBe('01234567-89ab');
  });
});
