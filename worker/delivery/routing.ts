/** Which of a department's subscriptions a story goes to, and whether now or in the daily digest. */
import { meetsSeverity, type Severity } from '../../shared';
import type { Subscription } from '../db/schema';

export interface RoutableStory {
  serviceId: string;
  rating: number;
  severity: Severity;
}

export type RoutableSubscription = Pick<
  Subscription,
  'id' | 'state' | 'services' | 'minSeverity' | 'maxRating' | 'mode'
>;

export interface Route {
  subscriptionId: string;
  /** `each`: deliver at once; `digest`: wait for the subscription's daily digest. */
  kind: 'each' | 'digest';
}

/** True when the subscription's filter lets the story through. */
export function subscriptionWants(subscription: RoutableSubscription, story: RoutableStory): boolean {
  return (
    subscription.state === 'active' &&
    (subscription.services === null || subscription.services.includes(story.serviceId)) &&
    meetsSeverity(story.severity, subscription.minSeverity) &&
    (subscription.maxRating === null || story.rating <= subscription.maxRating)
  );
}

/** How a subscription in `mode` takes a story of `severity`. Urgent stories never wait for a digest. */
export function routeKind(mode: RoutableSubscription['mode'], severity: Severity): Route['kind'] {
  return mode === 'daily' && severity !== 'urgent' ? 'digest' : 'each';
}

/** The routes for a story. */
export function subscriptionsFor(story: RoutableStory, subscriptions: RoutableSubscription[]): Route[] {
  return subscriptions
    .filter((subscription) => subscriptionWants(subscription, story))
    .map((subscription) => ({
      subscriptionId: subscription.id,
      kind: routeKind(subscription.mode, story.severity),
    }));
}
