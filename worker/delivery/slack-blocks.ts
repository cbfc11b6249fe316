/** A story as a Slack incoming webhook receives it: Block Kit, the citizen's words escaped and inert. */
import type { ActionsBlock, HeaderBlock, SectionBlock } from '@slack/types';
import {
  type ChatStory,
  CONSOLE_LINK_TEXT,
  cutText,
  fitWithEllipsis,
  graphemes,
  NO_STORY_TEXT,
  plainText,
  ratingInWords,
  URGENT_TEXT,
} from './chat-story';
import { ukDateTime } from './uk-time';

/** Slack's limits, in characters (https://docs.slack.dev/reference/block-kit). */
export const SLACK_LIMITS = {
  /** Blocks in one message. */
  blocks: 50,
  /** A section's `text`. */
  sectionText: 3000,
  /** A header's `plain_text`. */
  headerText: 150,
  /** A button's text. */
  buttonText: 75,
  /** A button's URL. */
  buttonUrl: 3000,
  /** The top-level `text`, shown in notifications and where blocks cannot be. */
  fallbackText: 40_000,
} as const;

/** The body to POST to a Slack incoming webhook URL. */
export interface SlackMessage {
  text: string;
  blocks: (HeaderBlock | SectionBlock | ActionsBlock)[];
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ZERO_WIDTH_SPACE = '\u200b';

/**
 * One grapheme of untrusted text for `mrkdwn`. `&`, `<` and `>` become the entities Slack asks for,
 * so `<!channel>` or `<https://evil|here>` is shown, never parsed. Slack has no escape for its
 * formatting characters (a backslash shows as itself), so `*`, `_`, `~` and `` ` `` get a zero-width
 * space on each side: whether Slack takes that space for a space or a letter, the character can then
 * neither open nor close bold, italics, strikethrough or code.
 */
const escapeMrkdwnPiece = (piece: string) =>
  piece
    .replace(/[&<>]/g, (c) => ENTITIES[c] ?? c)
    .replace(/[*_~`]/g, (c) => `${ZERO_WIDTH_SPACE}${c}${ZERO_WIDTH_SPACE}`);

/** Untrusted text as `mrkdwn` that shows it literally, cut with an ellipsis to `limit` characters. */
export function escapeMrkdwn(text: string, limit: number): string {
  return fitWithEllipsis(graphemes(text).map(escapeMrkdwnPiece), limit);
}

const mrkdwnSection = (text: string): SectionBlock => ({
  type: 'section',
  // verbatim: Slack links no URL, channel name or @mention that the text happens to hold.
  text: { type: 'mrkdwn', text, verbatim: true },
});

function storySection(story: string | null): SectionBlock {
  const plain = plainText(story).replace(/\n{3,}/g, '\n\n');
  if (plain === '') return mrkdwnSection(`_${NO_STORY_TEXT}_`);
  return mrkdwnSection(escapeMrkdwn(plain, SLACK_LIMITS.sectionText));
}

/** The Slack message for one story: its service, the urgent warning, rating, time, words and a button to answer it. */
export function slackMessage(story: ChatStory): SlackMessage {
  const serviceName = plainText(story.serviceName).replace(/\s+/g, ' ') || 'Tellus';
  const urgent = story.severity === 'urgent';
  const rating = ratingInWords(story.rating);
  return {
    text: escapeMrkdwn(
      `${urgent ? 'Urgent: ' : ''}${serviceName}: rated ${rating}`,
      SLACK_LIMITS.fallbackText,
    ),
    blocks: [
      // plain_text has no markup to escape: it is shown as written.
      { type: 'header', text: { type: 'plain_text', text: cutText(serviceName, SLACK_LIMITS.headerText) } },
      ...(urgent ? [mrkdwnSection(`:rotating_light: *${URGENT_TEXT}*`)] : []),
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Rating*\n${rating}` },
          { type: 'mrkdwn', text: `*Received*\n${ukDateTime(story.createdAt)}` },
        ],
      },
      storySection(story.story),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'tellus-open-story',
            text: { type: 'plain_text', text: CONSOLE_LINK_TEXT },
            url: story.consoleUrl,
          },
        ],
      },
    ],
  };
}
