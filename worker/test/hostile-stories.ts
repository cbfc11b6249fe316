// Stories written to break a chat message: markup, mentions, templates, escaping expansion, long and empty ones.
import { STORY_MAX_LENGTH } from '../../shared';
import type { ChatStory } from '../delivery/chat-story';

/** A story for a chat message, with what a test does not care about filled in. */
export const chatStory = (overrides: Partial<ChatStory> = {}): ChatStory => ({
  serviceName: 'Bins and recycling',
  rating: 2,
  severity: 'normal',
  story: 'The bin was not collected on Tuesday.',
  createdAt: '2026-11-30T14:05:00.000Z',
  consoleUrl: 'https://tellus.example.gov.uk/console/stories/fb_01JH8Z3Q4N',
  ...overrides,
});

/** Non-empty stories that must reach the channel as written, by name. */
export const HOSTILE_STORIES: Record<string, string> = {
  script: '<script>alert("hi")</script> and <img src=x onerror=alert(1)>',
  'Slack broadcast': '<!channel> <!here|here> <!everyone> look at this',
  'Slack link and user': '<https://evil.example/phish|Click to renew> and <@U024BE7LH> and <#C024BE7LR>',
  '@here': '@here @channel @everyone please read',
  bold: '*bold* **strong** __under__ _italic_ ~strike~ ~~gone~~',
  code: '`code` and ```\nfenced\n```',
  'Markdown link': '[link](https://evil.example) ![image](https://evil.example/x.png) <https://evil.example>',
  // Teams replaces {{DATE()}} and {{TIME()}}; Adaptive Card templating would read ${…}.
  template: `{{template}} {{DATE(2017-02-14T06:00:00Z, SHORT)}} at {{TIME(2017-02-14T06:00:00Z)}} \${$root.secret}`,
  entities: '&amp; &lt;b&gt; &#42; &copy; &',
  'block markup': '# Heading\n> quoted\n- item\n+ item\n1. first\n2) second\n---\n===\n    indented code',
  backslashes: 'C:\\Users\\me \\* \\_ \\\\',
  'emoji and Welsh': 'Diolch yn fawr 🙏🏽 👨‍👩‍👧 — roedd y gŵr yn hŷn, a’r ŵyn ar y ffordd. Ŵ Ŷ ẁ ŷ',
  'line breaks': 'First line\r\nsecond line\rthird line\n\n\n\nafter blank lines\u2028and a separator',
  controls: 'bell\u0007 null\u0000 escape\u001b[31m red',
};

/** The longest story, all characters that escaping makes longer. */
export const EXPANDING_STORY = '&<>'.repeat(Math.ceil(STORY_MAX_LENGTH / 3)).slice(0, STORY_MAX_LENGTH);

/** The longest story, of the characters whose escape is longest in each of Teams and Slack. */
export const WORST_CASE_STORIES: Record<string, string> = {
  '&<>': EXPANDING_STORY,
  '*_~`': '*_~`'.repeat(STORY_MAX_LENGTH / 4),
  'escaped lines': '*\n'.repeat(STORY_MAX_LENGTH / 2),
  emoji: '🙏'.repeat(STORY_MAX_LENGTH / 2),
  'lone surrogates': '\ud83d'.repeat(STORY_MAX_LENGTH),
  'over the limit': 'x'.repeat(100_000),
};

/** Stories that carry no words: the message says so instead. */
export const EMPTY_STORIES = { null: null, empty: '', spaces: '  \n\t \r\n ' } as const;
