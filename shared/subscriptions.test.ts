// Subscription targets as shown after creation: chat URLs cut before their secret, others whole.
import { describe, expect, it } from 'vitest';
import { maskedTarget } from './subscriptions';

const SLACK = 'https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/aBcDeFgHiJkLmNoPqRsTuVwX';
const TEAMS =
  'https://prod-12.westeurope.logic.azure.com:443/workflows/8f3c2b1a9d7e4f60a1b2c3d4e5f60718/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE';

describe('maskedTarget', () => {
  it('shows a Slack URL up to four characters of its workspace id, never its token', () => {
    expect(maskedTarget('slack', SLACK)).toBe('https://hooks.slack.com/services/T0AB…');
  });

  it('shows a Teams Workflows URL up to four characters of its workflow id, never its signature', () => {
    const shown = maskedTarget('teams', TEAMS);
    expect(shown).toBe('https://prod-12.westeurope.logic.azure.com:443/workflows/8f3c…');
    expect(shown).not.toContain('sig');
  });

  it('never shows a query, a fragment or credentials, however short the path', () => {
    expect(maskedTarget('teams', 'https://example.com/a?sig=secret')).toBe('https://example.com/a…');
    expect(maskedTarget('slack', 'https://example.com?sig=secret#x')).toBe('https://example.com…');
    expect(maskedTarget('slack', 'https://user:pass@example.com/p/q')).toBe('https://example.com/p/q…');
  });

  it('shows nothing of a target that is not a URL', () => {
    expect(maskedTarget('slack', 'not a url, maybe a token')).toBe('…');
  });

  it('shows a webhook URL and an email address as they are', () => {
    expect(maskedTarget('webhook', 'https://hooks.example.gov.uk/tellus?k=1')).toBe(
      'https://hooks.example.gov.uk/tellus?k=1',
    );
    expect(maskedTarget('email', 'team@example.gov.uk')).toBe('team@example.gov.uk');
  });
});
