/** The operator API's request bodies (`/v1/admin/…`). */
import * as v from 'valibot';
import { ServiceId } from './feedback';
import {
  DEFAULT_RETENTION_DAYS,
  MAX_ORIGINS_PER_SERVICE,
  RATING_MAX,
  RATING_MIN,
  WORDING_MAX_LENGTH,
} from './limits';
import { allDifferent, HTTPS_URL_PATTERN, isHttpsUrl, ORIGIN_PATTERN, readOrigin } from './origins';
import { SEVERITIES } from './severity';
import { SUBSCRIPTION_KINDS } from './subscriptions';

// The `v.metadata` below are for the API document: JSON Schema for what the trims and checks
// decide, which the converter cannot see (`\S`: not blank once trimmed).
const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200), v.metadata({ pattern: '\\S' }));
/** `v.email`'s own rule (its regular expression), which JSON Schema's looser `email` format does not hold to. */
const EMAIL_PATTERN = '^[\\w+-]+(?:\\.[\\w+-]+)*@[\\dA-Za-z]+(?:[.-][\\dA-Za-z]+)*\\.[A-Za-z]{2,}$';
const EmailAddress = v.pipe(
  v.string(),
  v.trim(),
  v.email(),
  v.maxLength(254),
  v.metadata({ pattern: EMAIL_PATTERN }),
);

/**
 * A web origin as browsers send it: https://, a host and a port only, no path; plain http:// only
 * for localhost and 127.0.0.1. Taken as people write it (a capital, a trailing `/`, `:443`, an
 * internationalised name) and kept as the browser sends it (`readOrigin`).
 */
export const Origin = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const reading = readOrigin(dataset.value);
    if (reading.origin !== undefined) return reading.origin;
    addIssue({ message: `Invalid origin: ${reading.problem}` });
    return NEVER;
  }),
  // For the API document: the origins taken as they are; the description says what else is.
  v.metadata({
    pattern: ORIGIN_PATTERN,
    description:
      'An origin as a browser sends it: https://, a lowercase host and a port only when not 443; http:// only for localhost and 127.0.0.1. ' +
      'Also taken, and stored as a browser sends it: capitals, a default port, one trailing /, and an internationalised name in Unicode or punycode (https://bücher.example is stored as https://xn--bcher-kva.example).',
  }),
);

/** A list of origins, each once as stored (so `https://A.example` and `https://a.example/` are one). */
const Origins = v.pipe(
  v.array(Origin),
  v.maxLength(
    MAX_ORIGINS_PER_SERVICE,
    `Invalid origins: a service may have at most ${MAX_ORIGINS_PER_SERVICE}`,
  ),
  v.check<string[], string>(allDifferent, 'Invalid origins: each origin may be given once'),
  // For the API document: the check above, for origins written as they are stored.
  v.metadata({ uniqueItems: true }),
);

/** The link to a service's privacy notice: an https address. */
export const PrivacyUrl = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(2048),
  v.check(
    isHttpsUrl,
    'Invalid privacy_url: expected an https:// address, like https://www.example.gov.uk/privacy',
  ),
  // For the API document: the check above.
  v.metadata({ pattern: HTTPS_URL_PATTERN }),
);

/** A department to register. */
export const NewDepartment = v.strictObject({
  id: ServiceId,
  name: Name,
  contact_email: EmailAddress,
  retention_days: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)),
    DEFAULT_RETENTION_DAYS,
  ),
});

/** One line of a service's own words in the widget, replacing the default. */
const Wording = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(WORDING_MAX_LENGTH),
  v.metadata({ pattern: '\\S' }),
);

/** A service's own words in one language: its hint about personal details and its signposting line. */
const ServiceWordingIn = v.strictObject({
  storyHint: v.optional(Wording),
  signposting: v.optional(Wording),
});

/**
 * What a service says in its widget instead of the defaults, per language: for instance a
 * signposting line that names its own complaints route or urgent phone line.
 */
export const ServiceWording = v.strictObject({
  en: v.optional(ServiceWordingIn),
  cy: v.optional(ServiceWordingIn),
});

/** A service to register, with the origins of the pages that may embed its widget. */
export const NewService = v.strictObject({
  id: ServiceId,
  department_id: ServiceId,
  name: Name,
  origins: v.optional(Origins, []),
  wording: v.optional(ServiceWording, {}),
  /** The service's privacy notice, which the widget links to as "How we use your feedback". */
  privacy_url: v.optional(v.nullable(PrivacyUrl), null),
});

/** Cloudflare Turnstile for a service: the widget's site key and the secret the worker checks with. */
export const ServiceTurnstile = v.strictObject({
  sitekey: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100), v.metadata({ pattern: '\\S' })),
  secret: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200), v.metadata({ pattern: '\\S' })),
});

/**
 * A change to a registered service: its name, its wording (which replaces the old wording whole),
 * Turnstile (`null` turns it off), publishing, or its privacy notice (`null` removes the link).
 */
export const ServiceUpdate = v.strictObject({
  name: v.optional(Name),
  wording: v.optional(ServiceWording),
  turnstile: v.optional(v.nullable(ServiceTurnstile)),
  /** Whether the department may publish this service's stories. */
  publishing: v.optional(v.boolean()),
  privacy_url: v.optional(v.nullable(PrivacyUrl)),
});

/**
 * A subscription: a signed webhook, email, or a Microsoft Teams or Slack channel's incoming-webhook
 * URL. `daily` digests are for email only: the others are sent each story as it arrives.
 */
export const NewSubscription = v.pipe(
  v.strictObject({
    department_id: ServiceId,
    kind: v.picklist(SUBSCRIPTION_KINDS),
    target: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(2048)),
    services: v.optional(v.nullable(v.array(ServiceId)), null),
    min_severity: v.optional(v.picklist(SEVERITIES), 'normal'),
    max_rating: v.optional(
      v.nullable(v.pipe(v.number(), v.integer(), v.minValue(RATING_MIN), v.maxValue(RATING_MAX))),
      null,
    ),
    mode: v.optional(v.picklist(['each', 'daily']), 'each'),
  }),
  v.forward(
    v.check(
      (s) => s.kind === 'email' || s.mode === 'each',
      'Only email has daily digests: webhooks, Teams and Slack are sent each story as it arrives, so use mode each',
    ),
    ['mode'],
  ),
  v.forward(
    v.check(
      (s) => s.kind !== 'email' || v.is(EmailAddress, s.target),
      'Invalid email: the target must be an email address',
    ),
    ['target'],
  ),
  // For the API document: both checks above (a URL is the worker's to check).
  v.metadata({
    if: { properties: { kind: { const: 'email' } }, required: ['kind'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited.
    then: { properties: { target: { format: 'email', pattern: EMAIL_PATTERN } } },
    else: { properties: { mode: { const: 'each' } } },
  }),
);

export type NewDepartment = v.InferOutput<typeof NewDepartment>;
export type NewService = v.InferOutput<typeof NewService>;
export type ServiceUpdate = v.InferOutput<typeof ServiceUpdate>;
export type ServiceWording = v.InferOutput<typeof ServiceWording>;
export type ServiceTurnstile = v.InferOutput<typeof ServiceTurnstile>;
export type NewSubscription = v.InferOutput<typeof NewSubscription>;

/**
 * What a department member may do in the console: an `admin` also sets up services, subscriptions,
 * members and keys; a `member` reads, answers, publishes and exports.
 */
export const MEMBER_ROLES = ['admin', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * A person of a department who may sign in to the console. Without a role, the first member an
 * operator adds to a department is an admin and later ones are members.
 */
export const NewMember = v.strictObject({
  email: v.pipe(EmailAddress, v.toLowerCase()),
  role: v.optional(v.picklist(MEMBER_ROLES)),
});
export type NewMember = v.InferOutput<typeof NewMember>;
