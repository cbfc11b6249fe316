/**
 * The banner a page shows after one of its forms did something: fixed words chosen by a code in
 * the URL (`?done=…`), never text taken from the URL itself.
 */
import { Banner } from './layout';

export interface DoneMessage {
  text: string;
  success: boolean;
}

/** The message named by `code`, if `messages` has it as its own; any other code shows nothing. */
export function DoneBanner({
  messages,
  code,
}: {
  messages: Record<string, DoneMessage>;
  code: string | undefined;
}) {
  // An own key only: `?done=constructor` must not find Object.prototype's.
  const message = code !== undefined && Object.hasOwn(messages, code) ? messages[code] : undefined;
  if (!message) return null;
  return (
    <Banner title={message.success ? 'Done' : 'Important'} success={message.success}>
      <p class="govuk-notification-banner__heading">{message.text}</p>
    </Banner>
  );
}
