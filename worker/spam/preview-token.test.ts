// The preview token on its own: good for its service for an hour, and for nothing else.
import { describe, expect, it } from 'vitest';
import { checkPreviewToken, PREVIEW_TOKEN_MAX_AGE_MS, signPreviewToken } from './preview-token';

const SECRET = 'a-secret-for-preview-tokens';
const NOW = Date.UTC(2026, 10, 30, 9);

describe('preview tokens', () => {
  it('are good for their service until an hour after they were signed', async () => {
    const token = await signPreviewToken(SECRET, 'missed-bin-collection', NOW);
    expect(token).toMatch(/^\d{13}\.[\w-]{43}$/);
    expect(await checkPreviewToken(SECRET, 'missed-bin-collection', token, NOW)).toBe('ok');
    const last = NOW + PREVIEW_TOKEN_MAX_AGE_MS - 1;
    expect(await checkPreviewToken(SECRET, 'missed-bin-collection', token, last)).toBe('ok');
    expect(await checkPreviewToken(SECRET, 'missed-bin-collection', token, last + 1)).toBe('expired');
  });

  it('are refused for another service, under another secret, or changed in any part', async () => {
    const token = await signPreviewToken(SECRET, 'missed-bin-collection', NOW);
    const [expiry, signature] = token.split('.') as [string, string];
    expect(await checkPreviewToken(SECRET, 'bulky-waste', token, NOW)).toBe('invalid');
    expect(await checkPreviewToken('another-secret', 'missed-bin-collection', token, NOW)).toBe('invalid');
    const later = `${Number(expiry) + 3600_000}.${signature}`;
    for (const forged of [later, `${expiry}.${signature.slice(1)}x`, `${expiry}.`, `${token}.x`, '', 'x']) {
      expect(await checkPreviewToken(SECRET, 'missed-bin-collection', forged, NOW), forged).toBe('invalid');
    }
  });
});
