import { describe, expect, it } from 'vitest';
import { actionText, actorText, changedFields } from './audit-words';

const event = (
  action: string,
  subject: string,
  before: object | null = null,
  after: object | null = null,
) => ({
  actor: 'officer@anytown.example.gov.uk',
  action,
  subject,
  before: before as Record<string, unknown> | null,
  after: after as Record<string, unknown> | null,
});

describe('actionText', () => {
  it('says what was done to services, origins, members and keys', () => {
    expect(actionText(event('service.created', 'missed-bin-collection'))).toBe(
      'Created service missed-bin-collection',
    );
    expect(actionText(event('service.updated', 'bulky-waste'))).toBe('Changed service bulky-waste');
    expect(
      actionText(event('origin.added', 'bulky-waste', null, { origin: 'https://www.anytown.gov.uk' })),
    ).toBe('Added origin https://www.anytown.gov.uk to bulky-waste');
    expect(actionText(event('origin.removed', 'bulky-waste', { origin: 'https://old.example' }))).toBe(
      'Removed origin https://old.example from bulky-waste',
    );
    expect(actionText(event('origin.added', 'bulky-waste'))).toBe('Added an origin to bulky-waste');
    expect(
      actionText(event('member.role-changed', 'x@y.gov.uk', { role: 'member' }, { role: 'admin' })),
    ).toBe('Changed the role of x@y.gov.uk from member to admin');
    expect(actionText(event('member.invited', 'x@y.gov.uk'))).toBe('Invited x@y.gov.uk to the team');
    expect(actionText(event('member.added', 'x@y.gov.uk'))).toBe('Added x@y.gov.uk to the team');
    expect(actionText(event('member.removed', 'x@y.gov.uk'))).toBe('Removed x@y.gov.uk from the team');
    expect(actionText(event('key.created', 'key_1', null, { label: 'Case system' }))).toBe(
      'Created API key “Case system” (key_1)',
    );
    expect(actionText(event('key.revoked', 'key_1'))).toBe('Revoked API key key_1');
  });

  it('says what was done to a subscription, naming where it sends', () => {
    const to = { target: 'https://hooks.example.gov.uk/tellus' };
    expect(actionText(event('subscription.created', 'sub_1', null, to))).toBe(
      'Created subscription sub_1 to https://hooks.example.gov.uk/tellus',
    );
    expect(actionText(event('subscription.paused', 'sub_1', to, to))).toBe(
      'Paused subscription sub_1 to https://hooks.example.gov.uk/tellus',
    );
    expect(actionText(event('subscription.resumed', 'sub_1'))).toBe('Resumed subscription sub_1');
    expect(actionText(event('subscription.enabled', 'sub_1'))).toBe('Enabled subscription sub_1');
    expect(actionText(event('subscription.disabled', 'sub_1'))).toBe('Disabled subscription sub_1');
    expect(actionText(event('subscription.secret-rotated', 'sub_1'))).toBe(
      'Rotated the signing secret of subscription sub_1',
    );
  });

  it('shows an action it does not know as it is, even one named like an object’s own property', () => {
    expect(actionText(event('widget.frobbed', 'thing-1'))).toBe('widget.frobbed thing-1');
    expect(actionText(event('constructor', 'x'))).toBe('constructor x');
  });
});

describe('actorText', () => {
  it('names the operator in words and a member by address', () => {
    expect(actorText('operator')).toBe('An operator');
    expect(actorText('officer@anytown.example.gov.uk')).toBe('officer@anytown.example.gov.uk');
  });
});

describe('changedFields', () => {
  it('lists only the fields a change made different, old → new', () => {
    expect(
      changedFields({
        before: { state: 'active', disabledBy: null, target: 'a@b.gov.uk' },
        after: { state: 'disabled', disabledBy: 'department', target: 'a@b.gov.uk' },
      }),
    ).toEqual(['state: active → disabled', 'stopped by: nobody → department']);
    expect(
      changedFields({ before: { name: 'Bins' }, after: { name: 'Bins', wording: { title: 'Hi' } } }),
    ).toEqual(['wording: none → {"title":"Hi"}']);
  });

  it('lists what a new object was made with, and what a removed one was', () => {
    expect(
      changedFields({
        before: null,
        after: { kind: 'email', services: null, minSeverity: 'urgent', maxRating: 2, mode: 'daily' },
      }),
    ).toEqual(['kind: email', 'services: all', 'severity: urgent only', 'rated at most: 2', 'mode: daily']);
    expect(
      changedFields({
        before: { role: 'admin', scopes: ['read', 'answer'], lastSignInAt: null },
        after: null,
      }),
    ).toEqual(['role: admin', 'scopes: read, answer', 'last sign in at: none']);
    expect(changedFields({ before: null, after: null })).toEqual([]);
  });
});
