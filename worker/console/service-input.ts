/**
 * The console's service forms read into the operator API's schemas, so both keep the same rules:
 * what the form says, or the errors against its fields in words for people.
 */
import * as v from 'valibot';
import {
  NewService,
  readOriginLines,
  ServiceTurnstile,
  ServiceUpdate,
  type ServiceWording,
  WORDING_MAX_LENGTH,
} from '../../shared';
import type { Service } from '../db/schema';
import type { ServiceToCreate } from '../db/services';
import type { FieldError } from './layout';

/** The wording's fields: the form's name for each line of `ServiceWording`. */
export const WORDING_FIELDS = [
  ['story-hint-en', 'en', 'storyHint', 'Story hint in English'],
  ['signposting-en', 'en', 'signposting', 'Signposting line in English'],
  ['story-hint-cy', 'cy', 'storyHint', 'Story hint in Welsh'],
  ['signposting-cy', 'cy', 'signposting', 'Signposting line in Welsh'],
] as const;

/** What each field's error says, whatever the schema found wrong with it. */
const TEXTS: Record<string, string> = {
  id: 'Enter an id of lowercase letters and digits, with single hyphens between words (like missed-bin-collection), up to 64 characters',
  name: 'Enter the service’s name, up to 200 characters',
  'privacy-url':
    'Enter the privacy notice’s address, starting https://, like https://www.anytown.gov.uk/privacy',
  'turnstile-sitekey': 'Enter the Turnstile site key, up to 100 characters',
  'turnstile-secret': 'Enter the Turnstile secret key, up to 200 characters',
  ...Object.fromEntries(
    WORDING_FIELDS.map(([field, , , label]) => [
      field,
      `${label} must be ${WORDING_MAX_LENGTH} characters or fewer`,
    ]),
  ),
};

/** The form's field for a schema path such as `wording.en.storyHint` or `turnstile.secret`. */
function fieldOf(path: string): string {
  const wording = WORDING_FIELDS.find(([, lang, line]) => path === `wording.${lang}.${line}`);
  if (wording) return wording[0];
  if (path.startsWith('turnstile')) return path.endsWith('secret') ? 'turnstile-secret' : 'turnstile-sitekey';
  return path.replaceAll('_', '-') || 'name';
}

/** The schema's issues as the page's errors: the first of each field. */
function errorsOf(issues: readonly v.BaseIssue<unknown>[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const field = fieldOf(v.getDotPath(issue) ?? '');
    if (!errors.some((e) => e.field === field))
      errors.push({ field, text: TEXTS[field] ?? 'Check this answer' });
  }
  return errors;
}

/** The address of the new service form (`/console/services/new`), so no service of the console's may have it as its id. */
export const NEW = 'new';

/** The fields, in the order the forms show them, which is the order the error summary lists them in. */
const FIELD_ORDER = [
  'id',
  'name',
  'origins',
  'publishing',
  ...WORDING_FIELDS.map(([field]) => field),
  'privacy-url',
  'turnstile-sitekey',
  'turnstile-secret',
];
const inFormOrder = (errors: FieldError[]) =>
  errors.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));

type Form = Record<string, string>;
const typed = (form: Form, field: string) => form[field]?.trim() ?? '';

function wordingOf(form: Form): ServiceWording {
  const wording: Record<string, Record<string, string>> = {};
  for (const [field, lang, line] of WORDING_FIELDS) {
    const text = typed(form, field);
    if (text) wording[lang] = { ...wording[lang], [line]: text };
  }
  return wording;
}

/** Turnstile as the form sets it: off, on with new keys, on keeping its secret, or unchanged. */
function turnstileOf(
  form: Form,
  current?: Service,
): { turnstile?: ServiceTurnstile | null; errors: FieldError[] } {
  if (form['turnstile-off'] === 'yes') return { turnstile: null, errors: [] };
  const sitekey = typed(form, 'turnstile-sitekey');
  const secret = typed(form, 'turnstile-secret') || current?.turnstileSecret || '';
  if (!sitekey && !typed(form, 'turnstile-secret')) {
    if (!current?.turnstileSitekey) return { errors: [] };
    const text = 'Enter the Turnstile site key, or choose to turn Turnstile off';
    return { errors: [{ field: 'turnstile-sitekey', text }] };
  }
  if (!sitekey) return { errors: [{ field: 'turnstile-sitekey', text: 'Enter the Turnstile site key too' }] };
  if (!secret) return { errors: [{ field: 'turnstile-secret', text: 'Enter the Turnstile secret key too' }] };
  const parsed = v.safeParse(ServiceTurnstile, { sitekey, secret });
  return parsed.success ? { turnstile: parsed.output, errors: [] } : { errors: errorsOf(parsed.issues) };
}

function publishingOf(form: Form) {
  if (form.publishing === 'yes' || form.publishing === 'no') return { publishing: form.publishing === 'yes' };
  return { errors: [{ field: 'publishing', text: 'Choose whether stories may be published' }] };
}

/** The settings form of a service (`current`): the change it asks for, or its errors. */
export function readServiceChange(form: Form, current: Service) {
  const turnstile = turnstileOf(form, current);
  const publishing = publishingOf(form);
  const parsed = v.safeParse(ServiceUpdate, {
    name: form.name ?? '',
    wording: wordingOf(form),
    privacy_url: typed(form, 'privacy-url') || null,
    ...(turnstile.turnstile === undefined ? {} : { turnstile: turnstile.turnstile }),
    ...(publishing.errors ? {} : publishing),
  });
  const errors = inFormOrder([
    ...(parsed.success ? [] : errorsOf(parsed.issues)),
    ...turnstile.errors,
    ...(publishing.errors ?? []),
  ]);
  return errors.length || !parsed.success ? { errors } : { change: parsed.output, errors };
}

/** The new service form: the service to create in `departmentId`, or the errors. */
export function readNewService(form: Form, departmentId: string) {
  const turnstile = turnstileOf(form);
  const publishing = publishingOf(form);
  const origins = readOriginLines(form.origins ?? '');
  const parsed = v.safeParse(NewService, {
    id: typed(form, 'id'),
    department_id: departmentId,
    name: form.name ?? '',
    origins: [],
    wording: wordingOf(form),
    privacy_url: typed(form, 'privacy-url') || null,
  });
  const id = typed(form, 'id');
  const errors = inFormOrder([
    ...(parsed.success ? [] : errorsOf(parsed.issues)),
    ...(id === NEW
      ? [{ field: 'id', text: `Choose another id: “${NEW}” is the console’s own, for adding a service` }]
      : []),
    ...origins.problems.map((text) => ({ field: 'origins', text })),
    ...turnstile.errors,
    ...(publishing.errors ?? []),
  ]);
  if (errors.length || !parsed.success) return { errors };
  const service: ServiceToCreate = {
    ...parsed.output,
    origins: origins.origins,
    publishing: publishing.publishing,
    turnstile: turnstile.turnstile,
  };
  return { service, errors };
}
