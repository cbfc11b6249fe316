/** The sentence an email ends with: which subscription, and which of its filters, sent it. */
import type { Subscription } from '../db/schema';

export type SubscriptionFilter = Pick<Subscription, 'services' | 'minSeverity' | 'maxRating' | 'mode'>;

/** "A", "A and B", "A, B and C". */
function listed(names: string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * "You get this because your subscription sends urgent stories of Report a missed bin collection
 * rated 2 or lower as they arrive." `serviceNames` names the services by id; an id it lacks is shown
 * as it is.
 */
export function whySent(filter: SubscriptionFilter, serviceNames: ReadonlyMap<string, string>): string {
  const stories = filter.minSeverity === 'urgent' ? 'urgent stories' : 'stories';
  const of = filter.services
    ? listed(filter.services.map((id) => serviceNames.get(id) ?? id))
    : 'all services';
  const rated = filter.maxRating === null ? '' : ` rated ${filter.maxRating} or lower`;
  // Urgent stories never wait for a digest, so a daily subscription gets those at once.
  const when =
    filter.mode === 'daily' && filter.minSeverity !== 'urgent'
      ? 'in a daily digest, and urgent ones as they arrive'
      : 'as they arrive';
  return `You get this because your subscription sends ${stories} of ${of}${rated} ${when}.`;
}
