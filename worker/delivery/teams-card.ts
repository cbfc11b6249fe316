/** A story as a Microsoft Teams Workflows webhook receives it: an Adaptive Card, the citizen's words shown literally. */
import { STORY_MAX_LENGTH } from '../../shared';
import {
  type ChatStory,
  CONSOLE_LINK_TEXT,
  cutText,
  NO_STORY_TEXT,
  plainText,
  ratingInWords,
  URGENT_TEXT,
} from './chat-story';
import { ukDateTime } from './uk-time';

/**
 * Teams refuses a message larger than about 28 KB. The card holds at most {@link STORY_MAX_LENGTH}
 * UTF-16 units of story (a longer one is cut, controls are left out), and no unit takes more than
 * 4 bytes of JSON once escaped: `&` is `\&`, written `\\&`; a line break is `\n\n`, written
 * `\\n\\n`; a letter outside ASCII is 3 bytes of UTF-8, an emoji 4 for its 2 units. So the whole
 * message stays under 10 KB whatever the story holds.
 */
export const TEAMS_MESSAGE_MAX_BYTES = 28 * 1024;

/** Adaptive Cards 1.4, below the 1.5 that Teams renders; everything this card uses is in 1.2 already. */
export const ADAPTIVE_CARD_VERSION = '1.4';

/** The longest service name the card shows (the console allows 200 characters). */
const SERVICE_NAME_MAX_LENGTH = 200;

type TextBlock = {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  weight?: 'lighter' | 'default' | 'bolder';
  color?: 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
  isSubtle?: boolean;
  spacing?: 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';
};
type FactSet = { type: 'FactSet'; facts: { title: string; value: string }[] };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: (TextBlock | FactSet)[];
  actions: { type: 'Action.OpenUrl'; title: string; url: string }[];
}

/** The body that a "When a Teams webhook request is received" flow posts to its chat or channel. */
export interface TeamsMessage {
  type: 'message';
  attachments: {
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: AdaptiveCard;
  }[];
}

// Characters that start Markdown (CommonMark, as TextBlocks read it) anywhere in a line: emphasis,
// code, links and images, raw HTML and autolinks, entities (`&amp;`), and `{` of the DATE()/TIME()
// functions (`{{DATE(…)}}`), which are replaced before Markdown is read, so `\{\{` never matches.
const INLINE_MARKUP = /[\\`*_~[\]<>&{}]/g;
// What starts a block only at the start of a line: lists (`-`, `+`, `1.`, `1)`) and headings (`#`).
const LINE_START_MARKUP = /^([-+#]|\d+(?=[.)]))/;

/**
 * One line of untrusted text as a TextBlock shows it literally: every character that Markdown
 * could read as markup is escaped with a backslash, which CommonMark shows as the character.
 */
export function escapeTextBlockLine(line: string): string {
  const escaped = line.replace(INLINE_MARKUP, '\\$&');
  // `1.` becomes `1\.`, `-` becomes `\-`: the marker no longer starts a list or a heading.
  return escaped.replace(LINE_START_MARKUP, (marker) => (/^\d/.test(marker) ? `${marker}\\` : `\\${marker}`));
}

/**
 * Untrusted text for a TextBlock: each line trimmed and escaped, and lines parted by a blank line,
 * since Markdown joins lines parted by one line break (and reads indented lines as code).
 */
export function escapeTextBlock(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map(escapeTextBlockLine)
    .join('\n\n');
}

const textBlock = (text: string, style: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...style,
});

function storyBlock(story: string | null): TextBlock {
  const plain = plainText(story);
  if (plain === '') return textBlock(NO_STORY_TEXT, { isSubtle: true, spacing: 'medium' });
  return textBlock(escapeTextBlock(cutText(plain, STORY_MAX_LENGTH)), { spacing: 'medium' });
}

/** The Adaptive Card for one story: its service, the urgent warning, rating, time, words and a link to answer it. */
export function storyCard(story: ChatStory): AdaptiveCard {
  const serviceName = plainText(story.serviceName).replace(/\s+/g, ' ');
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body: [
      ...(story.severity === 'urgent'
        ? [textBlock(URGENT_TEXT, { color: 'attention', weight: 'bolder' })]
        : []),
      textBlock(escapeTextBlockLine(cutText(serviceName, SERVICE_NAME_MAX_LENGTH)), {
        size: 'large',
        weight: 'bolder',
      }),
      {
        type: 'FactSet',
        facts: [
          { title: 'Rating', value: ratingInWords(story.rating) },
          { title: 'Received', value: ukDateTime(story.createdAt) },
        ],
      },
      storyBlock(story.story),
    ],
    actions: [{ type: 'Action.OpenUrl', title: CONSOLE_LINK_TEXT, url: story.consoleUrl }],
  };
}

/** The JSON body to POST to a Teams Workflows webhook URL for one story. */
export function teamsMessage(story: ChatStory): TeamsMessage {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: storyCard(story),
      },
    ],
  };
}
