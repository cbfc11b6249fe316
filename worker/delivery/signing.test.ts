import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import vector from '../../fixtures/standard-webhooks-vector.json';
import { isWebhookSecret, newWebhookSecret, signWebhook, webhookHeaders, webhookMessageId } from './signing';

describe('signWebhook', () => {
  it('reproduces the Standard Webhooks known-answer vector byte for byte', async () => {
    expect(await signWebhook(vector.secret, vector.id, vector.timestamp, vector.body)).toBe(vector.signature);
  });

  it('signs in a way the official standardwebhooks library accepts', async () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'feedback.created', data: { story: 'Größe "quoted" ✓' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = await webhookHeaders([secret], 'msg_abc', timestamp, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs with both secrets during a rotation, so receivers on either one verify', async () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    const body = '{"type":"feedback.created"}';
    const headers = await webhookHeaders(
      [newSecret, oldSecret],
      'msg_1',
      Math.floor(Date.now() / 1000),
      body,
    );
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('is refused by the library when the body was tampered with', async () => {
    const secret = newWebhookSecret();
    const headers = await webhookHeaders([secret], 'msg_1', Math.floor(Date.now() / 1000), '{"rating":1}');
    expect(() => new Webhook(secret).verify('{"rating":5}', headers)).toThrow();
  });
});

describe('secrets and ids', () => {
  it('makes whsec_ secrets of 32 random bytes, each different', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(isWebhookSecret(a)).toBe(true);
    expect(isWebhookSecret('whsec_short')).toBe(false);
    expect(isWebhookSecret('not-a-secret')).toBe(false);
  });

  it('derives a stable webhook-id from the delivery', () => {
    expect(webhookMessageId('0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe(
      'msg_0196a1b2c3d47e5f8a9b0c1d2e3f4a5b',
    );
  });
});
