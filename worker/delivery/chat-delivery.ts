/** A story, or a test, posted to a Teams or Slack channel: the message built, then one unsigned POST. */
import { type ChatKind, SUBSCRIPTION_KIND_NAMES } from '../../shared';
import type { ChatStory } from './chat-story';
import { consoleLink } from './email';
import type { StoryContext } from './events';
import { postJson, type SendResult } from './post-json';
import { slackMessage } from './slack-blocks';
import { teamsMessage } from './teams-card';

/** What a channel's message says of a stored story, with the link to read and answer it in the console. */
export function chatStoryOf({ feedback, service }: StoryContext, publicUrl: string): ChatStory {
  return {
    serviceName: service.name,
    rating: feedback.rating,
    severity: feedback.severity,
    story: feedback.story,
    createdAt: feedback.createdAt,
    consoleUrl: consoleLink(publicUrl, `/stories/${encodeURIComponent(feedback.id)}`),
  };
}

/** The test message's story: plainly a test, linking to the subscriptions page it was sent from. */
export function testChatStory(publicUrl: string, now: number): ChatStory {
  return {
    serviceName: 'Tellus test message',
    rating: 5,
    severity: 'normal',
    story:
      'This is a test message from Tellus. Stories for your services will arrive in this channel like this.',
    createdAt: new Date(now).toISOString(),
    consoleUrl: consoleLink(publicUrl, '/subscriptions'),
  };
}

/** The JSON body for the channel's kind: an Adaptive Card for Teams, Block Kit for Slack. */
export const chatBody = (kind: ChatKind, story: ChatStory) =>
  JSON.stringify(kind === 'teams' ? teamsMessage(story) : slackMessage(story));

/**
 * Posts the message to the channel's incoming-webhook URL under the webhooks' URL rules. No
 * Standard Webhooks signature: Teams and Slack verify none; their URL is itself the secret.
 */
export function postChatMessage(
  env: Env,
  kind: ChatKind,
  target: string,
  story: ChatStory,
): Promise<SendResult> {
  return postJson({
    target,
    name: SUBSCRIPTION_KIND_NAMES[kind],
    body: chatBody(kind, story),
    allowLocal: env.ALLOW_LOCAL_WEBHOOKS === 'true',
  });
}
