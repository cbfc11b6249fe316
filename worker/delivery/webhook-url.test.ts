import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from './webhook-url';

describe('webhookUrlProblem', () => {
  it('accepts a public https URL', () => {
    expect(webhookUrlProblem('https://hooks.anytown.gov.uk/tellus?team=waste')).toBeUndefined();
  });

  it.each([
    ['http://hooks.anytown.gov.uk/tellus', 'must use https'],
    ['https://user:pass@hooks.anytown.gov.uk/', 'must not contain credentials'],
    ['https://203.0.113.7/hook', 'must use a host name, not an IP address'],
    ['https://[2001:db8::1]/hook', 'must use a host name, not an IP address'],
    ['https://localhost/hook', 'must be a public host name'],
    ['https://127.0.0.1/hook', 'must use a host name, not an IP address'],
    ['https://printer.local/hook', 'must be a public host name'],
    ['https://intranet/hook', 'must be a public host name'],
    ['https://localhost./hook', 'must be a public host name'],
    ['https://printer.local./hook', 'must be a public host name'],
    ['https://metadata.google.internal./x', 'must be a public host name'],
    ['not a url', 'must be an absolute URL'],
  ])('refuses %s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });

  it('admits localhost and 127.0.0.1 over http only when local development allows it', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8788/inbox', { allowLocal: true })).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:8788/inbox', { allowLocal: true })).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:8788/inbox')).toBe('must use https');
    expect(webhookUrlProblem('http://10.0.0.5/inbox', { allowLocal: true })).toBe('must use https');
    expect(webhookUrlProblem('http://[::1]:8788/inbox', { allowLocal: true })).toBe('must use https');
  });
});
