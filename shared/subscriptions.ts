/** The kinds of subscription, and how a subscription's target is shown once it may hold a secret. */

/** Where a subscription sends stories: a signed webhook, email, a Microsoft Teams or a Slack channel. */
export const SUBSCRIPTION_KINDS = ['webhook', 'email', 'teams', 'slack'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** Each kind's name in a sentence or a table: "Slack https://hooks.slack.com/services/T0AB…". */
export const SUBSCRIPTION_KIND_NAMES: Record<SubscriptionKind, string> = {
  webhook: 'Webhook',
  email: 'Email',
  teams: 'Microsoft Teams',
  slack: 'Slack',
};

/** The kinds that post a message to a chat channel through the channel's own incoming-webhook URL. */
export const CHAT_KINDS = ['teams', 'slack'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

/** Whether a kind posts to a chat channel (whose URL is a secret: anyone holding it can post there). */
export const isChatKind = (kind: string): kind is ChatKind =>
  (CHAT_KINDS as readonly string[]).includes(kind);

// The scheme and host (without any user:password@), the first path segment, and at most four
// characters of the second; never a query or a fragment.
const SHOWN_PART = /^([a-z][a-z\d+.-]*:\/\/)(?:[^/?#@]*@)?([^/?#]*)(\/[^/?#]*)?(\/[^/?#]{0,4})?/i;

/**
 * A subscription's target as Tellus shows it after the subscription is created. A Teams or Slack
 * URL is a secret, so only its host, its first path segment and four characters more are shown,
 * then `…`: `https://hooks.slack.com/services/T0AB…` (Slack's workspace id, not its token),
 * `https://prod-12.westeurope.logic.azure.com:443/workflows/8f3c…` (never the `sig` of the query).
 * A webhook's URL (its requests are signed with a secret of Tellus's own) and an email address are
 * shown as they are.
 */
export function maskedTarget(kind: string, target: string): string {
  if (!isChatKind(kind)) return target;
  const shown = SHOWN_PART.exec(target);
  if (!shown) return '…';
  const [, scheme = '', host = '', first = '', second = ''] = shown;
  return `${scheme}${host}${first}${second}…`;
}
