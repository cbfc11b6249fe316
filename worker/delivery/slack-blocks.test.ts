// The Slack message: within Block Kit's limits, and the citizen's words shown as written, never parsed.
import type { ActionsBlock, Button, HeaderBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { STORY_MAX_LENGTH } from '../../shared';
import { chatStory, EMPTY_STORIES, HOSTILE_STORIES, WORST_CASE_STORIES } from '../test/hostile-stories';
import type { ChatStory } from './chat-story';
import { escapeMrkdwn, SLACK_LIMITS, type SlackMessage, slackMessage } from './slack-blocks';

const ZWSP = '\u200b';

const ALL_STORIES: [string, string | null][] = [
  ...Object.entries(HOSTILE_STORIES),
  ...Object.entries(WORST_CASE_STORIES),
  ...Object.entries(EMPTY_STORIES),
];
const EVERY_CASE = ALL_STORIES.flatMap(([name, story]) =>
  (['normal', 'urgent'] as const).map((severity) => ({ name: `${name}, ${severity}`, story, severity })),
);

const blocksOf = (message: SlackMessage) => ({
  headers: message.blocks.filter((block): block is HeaderBlock => block.type === 'header'),
  sections: message.blocks.filter((block): block is SectionBlock => block.type === 'section'),
  buttons: message.blocks
    .filter((block): block is ActionsBlock => block.type === 'actions')
    .flatMap((block) => block.elements)
    .filter((element): element is Button => element.type === 'button'),
});

/** The story's section: the last one. */
const storySection = (story: ChatStory) => blocksOf(slackMessage(story)).sections.at(-1);
const storyText = (story: ChatStory) => storySection(story)?.text?.text ?? '';

/** What Slack shows for escaped mrkdwn: the three entities decoded, the zero-width spaces unseen. */
const shown = (mrkdwn: string) =>
  mrkdwn.replaceAll(ZWSP, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** The story as it should be shown: line breaks made `\n`, controls out, at most one blank line at a time. */
const expected = (story: string) =>
  story
    .replace(/\r\n?|\u2028/g, '\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the message leaves controls out
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim()
    .replace(/\n{3,}/g, '\n\n');

describe('slackMessage', () => {
  it.each(EVERY_CASE)('keeps within Block Kit’s limits: $name', ({ story, severity }) => {
    const message = slackMessage(chatStory({ story, severity, serviceName: 'S&'.repeat(100) }));
    const { headers, sections, buttons } = blocksOf(message);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(message.text.length).toBeGreaterThan(0);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    for (const { text } of headers) {
      expect(text.type).toBe('plain_text');
      expect(text.text.length).toBeGreaterThan(0);
      expect(text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    }
    for (const { text, fields = [] } of sections) {
      expect((text?.text ?? 'fields').length).toBeGreaterThan(0);
      expect(text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(fields.length).toBeLessThanOrEqual(10);
      for (const field of fields) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
    expect(buttons).toHaveLength(1);
    for (const button of buttons) {
      expect(button.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
      expect(button.url?.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonUrl);
    }
  });

  it('shows the service, the rating in words, the time in the UK and a button to the console', () => {
    const message = slackMessage(chatStory({ rating: 5, createdAt: '2026-07-01T11:30:00Z' }));
    expect(message.text).toBe('Bins and recycling: rated 5/5 (Very good)');
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Bins and recycling' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Rating*\n5/5 (Very good)' },
          { type: 'mrkdwn', text: '*Received*\nWednesday 1 July 2026 at 12:30pm' },
        ],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'The bin was not collected on Tuesday.', verbatim: true },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'tellus-open-story',
            text: { type: 'plain_text', text: 'Read and answer in the Tellus console' },
            url: 'https://tellus.example.gov.uk/console/stories/fb_01JH8Z3Q4N',
          },
        ],
      },
    ]);
  });

  it('marks an urgent story in the notification and with a warning under the header', () => {
    const urgent = slackMessage(chatStory({ severity: 'urgent' }));
    const normal = slackMessage(chatStory({ severity: 'normal' }));
    expect(urgent.text).toBe('Urgent: Bins and recycling: rated 2/5 (Poor)');
    expect(urgent.blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ':rotating_light: *Urgent: the story mentions a risk to someone’s safety.*',
        verbatim: true,
      },
    });
    expect(JSON.stringify(normal)).not.toMatch(/urgent|rotating_light/i);
    expect([urgent.blocks[0], ...urgent.blocks.slice(2)]).toEqual(normal.blocks);
  });

  it.each(Object.entries(EMPTY_STORIES))('says there is no story when it is %s', (_, story) => {
    expect(storyText(chatStory({ story }))).toBe('_No story, only a rating._');
  });

  it.each(Object.entries(HOSTILE_STORIES))('shows the %s story as written', (_, story) => {
    const section = storySection(chatStory({ story }));
    expect(section?.text).toMatchObject({ type: 'mrkdwn', verbatim: true });
    const text = section?.text?.text ?? '';
    expect(shown(text)).toBe(expected(story));
    // Nothing left for Slack to parse: no bracket, no bare ampersand, no formatting character beside a letter.
    expect(text).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
    expect(text.replace(/\u200b[*_~`]\u200b/g, '')).not.toMatch(/[*_~`]/);
  });

  it('makes Slack’s own mentions and links inert: <!channel>, <!here>, <@user>, <url|text>', () => {
    expect(storyText(chatStory({ story: HOSTILE_STORIES['Slack broadcast'] }))).toBe(
      '&lt;!channel&gt; &lt;!here|here&gt; &lt;!everyone&gt; look at this',
    );
    expect(storyText(chatStory({ story: HOSTILE_STORIES['Slack link and user'] }))).toBe(
      '&lt;https://evil.example/phish|Click to renew&gt; and &lt;@U024BE7LH&gt; and &lt;#C024BE7LR&gt;',
    );
  });

  it('keeps Welsh letters and emoji, whole', () => {
    expect(storyText(chatStory({ story: HOSTILE_STORIES['emoji and Welsh'] }))).toBe(
      HOSTILE_STORIES['emoji and Welsh'],
    );
  });

  it('cuts the longest story of & < > at 3,000 characters, between escapes, with an ellipsis', () => {
    const text = storyText(chatStory({ story: WORST_CASE_STORIES['&<>'] }));
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(text.length).toBeGreaterThan(SLACK_LIMITS.sectionText - '&amp;…'.length);
    expect(text).toMatch(/(&amp;|&lt;|&gt;)…$/);
    const kept = shown(text.slice(0, -1));
    expect(WORST_CASE_STORIES['&<>']?.startsWith(kept)).toBe(true);
    expect(kept.length).toBeLessThan(STORY_MAX_LENGTH);
  });

  it('cuts a header of a long service name at 150 characters, and never half an emoji', () => {
    const [header] = blocksOf(slackMessage(chatStory({ serviceName: `A${'🙏'.repeat(100)}` }))).headers;
    expect(header?.text.text).toBe(`A${'🙏'.repeat(74)}…`);
  });

  it('escapes the service name in the notification text, where Slack reads mrkdwn', () => {
    const message = slackMessage(chatStory({ serviceName: '<!channel> *Bins* & recycling' }));
    expect(message.text).toBe(
      `&lt;!channel&gt; ${ZWSP}*${ZWSP}Bins${ZWSP}*${ZWSP} &amp; recycling: rated 2/5 (Poor)`,
    );
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '<!channel> *Bins* & recycling' },
    });
  });
});

describe('escapeMrkdwn', () => {
  it('escapes &, < and > as Slack asks, and wraps formatting characters in zero-width spaces', () => {
    expect(escapeMrkdwn('a & b < c > d *e* _f_ ~g~ `h`', 3000)).toBe(
      `a &amp; b &lt; c &gt; d ${ZWSP}*${ZWSP}e${ZWSP}*${ZWSP} ${ZWSP}_${ZWSP}f${ZWSP}_${ZWSP} ${ZWSP}~${ZWSP}g${ZWSP}~${ZWSP} ${ZWSP}\`${ZWSP}h${ZWSP}\`${ZWSP}`,
    );
  });

  it('leaves a text that fits as it is, and cuts one that does not by whole escapes', () => {
    expect(escapeMrkdwn('abc', 3)).toBe('abc');
    expect(escapeMrkdwn('abcd', 3)).toBe('ab…');
    expect(escapeMrkdwn('a&b', 7)).toBe('a&amp;b');
    expect(escapeMrkdwn('a&b', 6)).toBe('a…');
    expect(escapeMrkdwn('a&bc', 7)).toBe('a&amp;…');
  });
});
