import { describe, expect, it } from 'vitest';
import { type RoutableSubscription, subscriptionsFor } from './routing';

const sub = (id: string, overrides: Partial<RoutableSubscription> = {}): RoutableSubscription => ({
  id,
  state: 'active',
  services: null,
  minSeverity: 'normal',
  maxRating: null,
  mode: 'each',
  ...overrides,
});

const story = { serviceId: 'missed-bin-collection', rating: 2, severity: 'normal' as const };

describe('subscriptionsFor', () => {
  it('sends a story to every active subscription that wants all services', () => {
    expect(subscriptionsFor(story, [sub('a'), sub('b')])).toEqual([
      { subscriptionId: 'a', kind: 'each' },
      { subscriptionId: 'b', kind: 'each' },
    ]);
  });

  it('skips disabled subscriptions', () => {
    expect(subscriptionsFor(story, [sub('a', { state: 'disabled' })])).toEqual([]);
  });

  it('honours a list of services', () => {
    const subs = [
      sub('bins', { services: ['missed-bin-collection'] }),
      sub('parking', { services: ['parking'] }),
    ];
    expect(subscriptionsFor(story, subs).map((r) => r.subscriptionId)).toEqual(['bins']);
  });

  it('honours a minimum severity', () => {
    const subs = [sub('urgent-only', { minSeverity: 'urgent' })];
    expect(subscriptionsFor(story, subs)).toEqual([]);
    expect(subscriptionsFor({ ...story, severity: 'urgent' }, subs)).toHaveLength(1);
  });

  it('honours "only ratings at or below N"', () => {
    const subs = [sub('poor', { maxRating: 2 })];
    expect(subscriptionsFor(story, subs)).toHaveLength(1);
    expect(subscriptionsFor({ ...story, rating: 3 }, subs)).toEqual([]);
  });

  it('holds normal stories for a daily subscription’s digest, but sends urgent ones at once', () => {
    const subs = [sub('daily', { mode: 'daily' })];
    expect(subscriptionsFor(story, subs)).toEqual([{ subscriptionId: 'daily', kind: 'digest' }]);
    expect(subscriptionsFor({ ...story, severity: 'urgent' }, subs)).toEqual([
      { subscriptionId: 'daily', kind: 'each' },
    ]);
  });
});
