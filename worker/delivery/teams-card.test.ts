// The Teams Workflows message: its shape, checked two ways, and the citizen's words shown as written.
import * as AdaptiveCards from 'adaptivecards';
import { formatText } from 'adaptivecards/lib/text-formatters';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import markdownIt, { type MarkdownIt } from 'markdown-it';
import { describe, expect, it } from 'vitest';
import schema from '../../fixtures/teams-workflows-card.schema.json';
import { STORY_MAX_LENGTH } from '../../shared';
import { chatStory, EMPTY_STORIES, HOSTILE_STORIES, WORST_CASE_STORIES } from '../test/hostile-stories';
import type { ChatStory } from './chat-story';
import { type AdaptiveCard, escapeTextBlockLine, TEAMS_MESSAGE_MAX_BYTES, teamsMessage } from './teams-card';

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const matchesDocumentedShape = ajv.compile(schema);

const cardOf = (story: ChatStory) => teamsMessage(story).attachments[0]?.content as AdaptiveCard;
const texts = (card: AdaptiveCard) =>
  card.body.flatMap((element) => ('text' in element ? [element.text] : []));
/** The story's TextBlock: the last of the body. */
const storyText = (card: AdaptiveCard) => texts(card).at(-1) ?? '';

const ALL_STORIES: [string, string | null][] = [
  ...Object.entries(HOSTILE_STORIES),
  ...Object.entries(WORST_CASE_STORIES),
  ...Object.entries(EMPTY_STORIES),
];
const EVERY_CASE = ALL_STORIES.flatMap(([name, story]) =>
  (['normal', 'urgent'] as const).map((severity) => ({ name: `${name}, ${severity}`, story, severity })),
);

/** Every path to a value (`body.1.weight`), to see what a round trip kept. */
function paths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([key, child]) => paths(child, prefix ? `${prefix}.${key}` : key));
}

/** What Microsoft's own Adaptive Cards SDK says of a card, read as version 1.4. */
function readBySdk(content: AdaptiveCard) {
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_4);
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse(content, context);
  const parsing = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  const validation = card.validateProperties().validationEvents.map((event) => event.message);
  const written = card.toJSON(new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_4));
  return {
    problems: [...parsing, ...validation],
    dropped: paths(content).filter((p) => !paths(written).includes(p)),
  };
}

/**
 * How a CommonMark reader (markdown-it, which the Adaptive Cards SDK's renderer takes for Markdown)
 * sees a TextBlock: the kinds of block and inline token, and each paragraph's text.
 */
function readAsMarkdown(markdown: string, reader: MarkdownIt) {
  const tokens = reader.parse(markdown, {});
  const inline = tokens.filter((token) => token.type === 'inline');
  return {
    blocks: [...new Set(tokens.map((token) => token.type))].sort(),
    inlines: [...new Set(inline.flatMap((token) => token.children ?? []).map((child) => child.type))],
    paragraphs: inline.map((token) => (token.children ?? []).map((child) => child.content).join('')),
  };
}

/** The story's lines as a reader should see them: trimmed, blank ones left out. */
const linesOf = (story: string) =>
  story
    .split(/\r\n?|\n|\u2028/)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the card leaves controls out
    .map((line) => line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim())
    .filter((line) => line !== '');

describe('teamsMessage', () => {
  it('is what a "When a Teams webhook request is received" flow takes: one Adaptive Card, contentUrl null', () => {
    const message = teamsMessage(chatStory());
    expect(message).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }],
    });
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]?.content).toMatchObject({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.4',
    });
  });

  it.each(EVERY_CASE)('matches the documented shape: $name', ({ story, severity }) => {
    const message = teamsMessage(chatStory({ story, severity }));
    expect(matchesDocumentedShape(message), ajv.errorsText(matchesDocumentedShape.errors)).toBe(true);
  });

  it.each(EVERY_CASE)(
    'is a 1.4 card to the Adaptive Cards SDK, nothing unknown or dropped: $name',
    ({ story, severity }) => {
      expect(readBySdk(cardOf(chatStory({ story, severity })))).toEqual({ problems: [], dropped: [] });
    },
  );

  it('would fail both checks on a property or value that Adaptive Cards 1.4 does not have', () => {
    const card = structuredClone(cardOf(chatStory()));
    Object.assign(card.body[0] as object, { color: 'red', style: 'heading' });
    const message = {
      ...teamsMessage(chatStory()),
      attachments: [{ ...teamsMessage(chatStory()).attachments[0], content: card }],
    };
    expect(matchesDocumentedShape(message)).toBe(false);
    expect(readBySdk(card).problems).toHaveLength(2);
  });

  it('shows the service, the rating in words, the time in the UK and a button to the console', () => {
    const card = cardOf(chatStory({ rating: 1, createdAt: '2026-07-01T11:30:00Z' }));
    expect(card.body).toContainEqual(
      expect.objectContaining({ text: 'Bins and recycling', weight: 'bolder' }),
    );
    expect(card.body).toContainEqual({
      type: 'FactSet',
      facts: [
        { title: 'Rating', value: '1/5 (Very poor)' },
        { title: 'Received', value: 'Wednesday 1 July 2026 at 12:30pm' },
      ],
    });
    expect(storyText(card)).toBe('The bin was not collected on Tuesday.');
    expect(card.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Read and answer in the Tellus console',
        url: 'https://tellus.example.gov.uk/console/stories/fb_01JH8Z3Q4N',
      },
    ]);
    const ratings = [1, 2, 3, 4, 5].map((rating) => JSON.stringify(cardOf(chatStory({ rating }))));
    for (const words of ['Very poor', 'Poor', 'Neither good nor poor', 'Good', 'Very good']) {
      expect(ratings.filter((card) => card.includes(`(${words})`))).toHaveLength(1);
    }
  });

  it('opens an urgent story with an attention-coloured warning, and a normal one without it', () => {
    const urgent = cardOf(chatStory({ severity: 'urgent' }));
    expect(urgent.body[0]).toEqual({
      type: 'TextBlock',
      text: 'Urgent: the story mentions a risk to someone’s safety.',
      wrap: true,
      color: 'attention',
      weight: 'bolder',
    });
    const normal = cardOf(chatStory({ severity: 'normal' }));
    expect(JSON.stringify(normal)).not.toMatch(/attention|Urgent/);
    expect(urgent.body.slice(1)).toEqual(normal.body);
  });

  it.each(Object.entries(EMPTY_STORIES))('says there is no story when it is %s', (_, story) => {
    expect(cardOf(chatStory({ story })).body.at(-1)).toEqual({
      type: 'TextBlock',
      text: 'No story, only a rating.',
      wrap: true,
      isSubtle: true,
      spacing: 'medium',
    });
  });

  const readers = { commonmark: markdownIt('commonmark'), 'markdown-it default': markdownIt() };
  describe.each(Object.entries(readers))('read as Markdown by %s', (_, reader) => {
    it.each(Object.entries(HOSTILE_STORIES))('shows the %s story as written, line by line', (_, story) => {
      expect(readAsMarkdown(storyText(cardOf(chatStory({ story }))), reader)).toEqual({
        blocks: ['inline', 'paragraph_close', 'paragraph_open'],
        inlines: ['text'],
        paragraphs: linesOf(story),
      });
    });

    it('shows a hostile service name as written', () => {
      const serviceName = '*Bins* & [recycling](https://evil.example) <b>{{DATE(2017-02-14T06:00:00Z)}}</b>';
      const [, name] = texts(cardOf(chatStory({ serviceName, severity: 'urgent' })));
      expect(readAsMarkdown(name ?? '', reader).paragraphs).toEqual([serviceName]);
    });
  });

  it('leaves no {{DATE()}} or {{TIME()}} for Teams to replace with a date', () => {
    const story = HOSTILE_STORIES.template ?? '';
    expect(formatText('en-GB', story)).not.toBe(story);
    const text = storyText(cardOf(chatStory({ story })));
    expect(formatText('en-GB', text)).toBe(text);
  });

  it('cuts a story longer than Tellus takes at 2,000 characters, with an ellipsis', () => {
    const text = storyText(cardOf(chatStory({ story: WORST_CASE_STORIES['over the limit'] ?? '' })));
    expect(text).toBe(`${'x'.repeat(STORY_MAX_LENGTH - 1)}…`);
    const emoji = storyText(cardOf(chatStory({ story: `x${'🙏'.repeat(STORY_MAX_LENGTH)}` })));
    expect(emoji).toBe(`x${'🙏'.repeat(STORY_MAX_LENGTH / 2 - 1)}…`);
  });

  it.each(Object.entries(WORST_CASE_STORIES))(
    'stays under 10 KB, far below Teams’s 28 KB, with the story of %s',
    (_, story) => {
      const serviceName = '&'.repeat(200);
      const bytes = new TextEncoder().encode(
        JSON.stringify(teamsMessage(chatStory({ story, serviceName, severity: 'urgent' }))),
      ).length;
      expect(bytes).toBeLessThan(10 * 1024);
      expect(bytes).toBeLessThan(TEAMS_MESSAGE_MAX_BYTES);
    },
  );
});

describe('escapeTextBlockLine', () => {
  it('escapes what would start a list or a heading only at the start of a line', () => {
    expect(escapeTextBlockLine('1. first')).toBe('1\\. first');
    expect(escapeTextBlockLine('12) twelfth')).toBe('12\\) twelfth');
    expect(escapeTextBlockLine('- item')).toBe('\\- item');
    expect(escapeTextBlockLine('+ item')).toBe('\\+ item');
    expect(escapeTextBlockLine('# heading')).toBe('\\# heading');
    expect(escapeTextBlockLine('e-mail me at 3.30 on 2) #1')).toBe('e-mail me at 3.30 on 2) #1');
  });

  it('escapes emphasis, code, links, HTML, entities and template braces anywhere', () => {
    expect(escapeTextBlockLine('*a* _b_ ~c~ `d` [e](f) <g> &h; {{i}} \\')).toBe(
      '\\*a\\* \\_b\\_ \\~c\\~ \\`d\\` \\[e\\](f) \\<g\\> \\&h; \\{\\{i\\}\\} \\\\',
    );
  });

  it('leaves plain words, Welsh and emoji alone', () => {
    const line = 'Roedd y gŵr yn hŷn 🙏🏽 – thank you, it’s fine (mostly)!';
    expect(escapeTextBlockLine(line)).toBe(line);
  });
});
