/** An audit event in words: a sentence for what was done, and each field it changed, old → new. */
import type { AuditEvent } from '../db/schema';

type Values = Record<string, unknown> | null;
type Event = Pick<AuditEvent, 'actor' | 'action' | 'subject' | 'before' | 'after'>;

/** Who did it: a member's address, or the operator. */
export const actorText = (actor: string) => (actor === 'operator' ? 'An operator' : actor);

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
/** A value of the object, after the change or else before it. */
const field = ({ before, after }: Event, name: string) => text(after?.[name]) ?? text(before?.[name]);

/** "subscription sub_1 to https://…", or the id alone when the entry does not name the target. */
function subscription(event: Event) {
  const target = field(event, 'target');
  return `subscription ${event.subject}${target ? ` to ${target}` : ''}`;
}

/** An origin's entry names its service as the subject and the origin in its values. */
function origin(event: Event) {
  const address = field(event, 'origin');
  return address ? `origin ${address}` : 'an origin';
}

function apiKey(event: Event) {
  const label = field(event, 'label');
  return `API key ${label ? `“${label}” (${event.subject})` : event.subject}`;
}

function roleChange({ subject, before, after }: Event) {
  const [from, to] = [text(before?.role), text(after?.role)];
  return `Changed the role of ${subject}${from && to ? ` from ${from} to ${to}` : ''}`;
}

const SENTENCES: Record<string, (event: Event) => string> = {
  'service.created': (e) => `Created service ${e.subject}`,
  'service.updated': (e) => `Changed service ${e.subject}`,
  'origin.added': (e) => `Added ${origin(e)} to ${e.subject}`,
  'origin.removed': (e) => `Removed ${origin(e)} from ${e.subject}`,
  'member.invited': (e) => `Invited ${e.subject} to the team`,
  'member.added': (e) => `Added ${e.subject} to the team`,
  'member.role-changed': roleChange,
  'member.removed': (e) => `Removed ${e.subject} from the team`,
  'key.created': (e) => `Created ${apiKey(e)}`,
  'key.revoked': (e) => `Revoked ${apiKey(e)}`,
  'subscription.created': (e) => `Created ${subscription(e)}`,
  'subscription.paused': (e) => `Paused ${subscription(e)}`,
  'subscription.resumed': (e) => `Resumed ${subscription(e)}`,
  'subscription.enabled': (e) => `Enabled ${subscription(e)}`,
  'subscription.disabled': (e) => `Disabled ${subscription(e)}`,
  'subscription.secret-rotated': (e) => `Rotated the signing secret of ${subscription(e)}`,
};

/** What was done, as a sentence; an action this console does not know is shown as it is. */
export function actionText(event: Event): string {
  const sentence = Object.hasOwn(SENTENCES, event.action) ? SENTENCES[event.action] : undefined;
  return sentence ? sentence(event) : `${event.action} ${event.subject}`;
}

const list = (value: unknown) => (Array.isArray(value) && value.length ? value.join(', ') : undefined);

/** Fields whose names or empty values need words of their own. */
const FIELDS: Record<string, [label: string, show?: (value: unknown) => string | undefined]> = {
  services: ['services', (v) => (v === null ? 'all' : list(v))],
  minSeverity: ['severity', (v) => (v === 'urgent' ? 'urgent only' : v === 'normal' ? 'all' : undefined)],
  maxRating: ['rated at most', (v) => (v === null ? 'any rating' : undefined)],
  disabledBy: ['stopped by', (v) => (v === null ? 'nobody' : undefined)],
  previousSecretUntil: ['old secret still signs until'],
};

/** `lastSignInAt` → "last sign in at". */
const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();

function show(name: string, value: unknown): string {
  const own = Object.hasOwn(FIELDS, name) ? FIELDS[name]?.[1]?.(value) : undefined;
  if (own !== undefined) return own;
  if (value === null || value === undefined || value === '') return 'none';
  if (Array.isArray(value)) return list(value) ?? 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const label = (name: string) => (Object.hasOwn(FIELDS, name) ? FIELDS[name]?.[0] : undefined) ?? words(name);

/**
 * The fields as lines: what a new object was made with, what a removed one was, or each field a
 * change made different, "name: old → new".
 */
export function changedFields({ before, after }: { before: Values; after: Values }): string[] {
  if (!before || !after) {
    return Object.entries(after ?? before ?? {}).map(
      ([name, value]) => `${label(name)}: ${show(name, value)}`,
    );
  }
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return names
    .filter((name) => JSON.stringify(before[name] ?? null) !== JSON.stringify(after[name] ?? null))
    .map((name) => `${label(name)}: ${show(name, before[name])} → ${show(name, after[name])}`);
}
