// What Teams and Slack would say of a posted message: its problems against their documented shapes, none if it is right.
import { readFileSync } from 'node:fs';
import type { ActionsBlock, Button, HeaderBlock, SectionBlock } from '@slack/types';
import * as AdaptiveCards from 'adaptivecards';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const schema = JSON.parse(
  readFileSync(new URL('../../fixtures/teams-workflows-card.schema.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const matchesTeamsShape = ajv.compile(schema);

/** Every path to a value (`body.1.weight`), to see what the SDK's round trip kept. */
function paths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([key, child]) => paths(child, prefix ? `${prefix}.${key}` : key));
}

/**
 * A Teams Workflows message's problems: against the documented message shape (JSON Schema), then
 * its card as Microsoft's Adaptive Cards SDK reads it as version 1.4, and what the SDK dropped.
 */
export function teamsMessageProblems(body: unknown): string[] {
  if (!matchesTeamsShape(body)) return [`schema: ${ajv.errorsText(matchesTeamsShape.errors)}`];
  const content = (body as { attachments: { content: object }[] }).attachments[0]?.content ?? {};
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_4);
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse(content, context);
  const parsing = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  const validation = card.validateProperties().validationEvents.map((event) => event.message);
  const written = paths(card.toJSON(new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_4)));
  const dropped = paths(content)
    .filter((path) => !written.includes(path))
    .map((path) => `dropped ${path}`);
  return [...parsing, ...validation, ...dropped].map((problem) => `Adaptive Cards SDK: ${problem}`);
}

/** Block Kit's limits, in characters (https://docs.slack.dev/reference/block-kit/blocks). */
const LIMITS = {
  blocks: 50,
  text: 40_000,
  header: 150,
  section: 3000,
  field: 2000,
  fields: 10,
  button: 75,
  url: 3000,
};

type Block = HeaderBlock | SectionBlock | ActionsBlock;

function blockProblems(block: Block, at: string): string[] {
  const problems: string[] = [];
  const over = (what: string, text: string | undefined, limit: number) => {
    if (typeof text !== 'string' || text.length === 0) problems.push(`${at}: ${what} is missing`);
    else if (text.length > limit) problems.push(`${at}: ${what} is over ${limit} characters`);
  };
  if (block.type === 'header') {
    if (block.text.type !== 'plain_text') problems.push(`${at}: a header's text must be plain_text`);
    over('header text', block.text.text, LIMITS.header);
  } else if (block.type === 'section') {
    if (!block.text && !block.fields) problems.push(`${at}: a section needs text or fields`);
    if (block.text) over('section text', block.text.text, LIMITS.section);
    if ((block.fields?.length ?? 0) > LIMITS.fields)
      problems.push(`${at}: more than ${LIMITS.fields} fields`);
    for (const field of block.fields ?? []) over('field', field.text, LIMITS.field);
  } else if (block.type === 'actions') {
    for (const element of block.elements as Button[]) {
      if (element.type !== 'button') problems.push(`${at}: unexpected element ${element.type}`);
      over('button text', element.text.text, LIMITS.button);
      over('button url', element.url, LIMITS.url);
    }
  } else {
    problems.push(`${at}: a block of a type Tellus does not send: ${(block as { type: string }).type}`);
  }
  return problems;
}

/**
 * A Slack incoming-webhook message's problems, as @slack/types shapes it and Block Kit limits it:
 * a fallback `text`, at most 50 blocks, and each block's texts within their limits.
 */
export function slackMessageProblems(body: unknown): string[] {
  const message = body as { text?: unknown; blocks?: unknown };
  const problems: string[] = [];
  if (typeof message.text !== 'string' || message.text === '') problems.push('no fallback text');
  else if (message.text.length > LIMITS.text) problems.push(`text is over ${LIMITS.text} characters`);
  if (!Array.isArray(message.blocks)) return [...problems, 'no blocks'];
  if (message.blocks.length > LIMITS.blocks) problems.push(`more than ${LIMITS.blocks} blocks`);
  message.blocks.forEach((block: Block, i) => {
    problems.push(...blockProblems(block, `blocks[${i}]`));
  });
  return problems;
}
