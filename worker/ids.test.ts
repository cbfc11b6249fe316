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

describe('newId, many in one millisecond', () => {
  const time = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

  it('sorts them in the order they were made, each a valid UUIDv7 of that millisecond', () => {
    const now = Date.UTC(2026, 10, 26, 9);
    const ids = Array.from({ length: 1000 }, () => newId(now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(time(id)).toBe(now);
    }
  });

  it('still carries its own time when asked for an earlier millisecond than the last', () => {
    const later = newId(Date.UTC(2026, 10, 26, 9));
    const earlier = newId(Date.UTC(2026, 10, 26, 8));
    expect(time(earlier)).toBe(Date.UTC(2026, 10, 26, 8));
    expect(earlier < later).toBe(true);
  });
});
