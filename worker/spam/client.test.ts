// The burst limit counts an IPv6 client by its /64, so one network cannot mint endless buckets.
import { describe, expect, it } from 'vitest';
import { clientKey, clientNetwork } from './client';

describe('clientNetwork', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientNetwork('192.0.2.10')).toBe('192.0.2.10');
    expect(clientNetwork(undefined)).toBe('unknown');
  });

  it('counts every address of one IPv6 /64 as one client, however it is written', () => {
    const one = [
      '2001:db8:85a3:12::1',
      '2001:0db8:85a3:0012:ffff:ffff:ffff:ffff',
      '2001:DB8:85A3:12:abcd::9',
      '2001:db8:85a3:12:1:2:3:4',
      '2001:db8:85a3:12::192.0.2.1',
      '2001:db8:85a3:12::77%eth0',
    ];
    for (const address of one) expect(clientNetwork(address)).toBe('2001:db8:85a3:12::/64');
  });

  it('tells neighbouring /64s apart', () => {
    expect(clientNetwork('2001:db8:85a3:13::1')).toBe('2001:db8:85a3:13::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(clientNetwork('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('keeps anything it cannot read as it is, so it is still counted', () => {
    expect(clientNetwork('not:an:address:at:all::x')).toBe('not:an:address:at:all::x');
  });
});

describe('clientKey', () => {
  it('is a keyed hash: the same for one /64, different under another secret', async () => {
    const a = await clientKey('secret', '2001:db8:1:2::1');
    expect(await clientKey('secret', '2001:db8:1:2:ffff::2')).toBe(a);
    expect(await clientKey('other', '2001:db8:1:2::1')).not.toBe(a);
    expect(a).not.toContain('2001');
  });
});
