/**
 * The console's page frame and GOV.UK Frontend's components as markup: Tellus's own header, never
 * GOV.UK's crown, name or font. No script: every form posts and the page redirects.
 */
import { type Child, type PropsWithChildren, useContext } from 'hono/jsx';
import type { MemberRole } from '../../shared';
import { Stylesheet } from './render';

export interface Member {
  email: string;
  department: string;
  departmentName: string;
  role: MemberRole;
  csrf: string;
}

/** An error against a field: the summary links to it, the field shows it. */
export interface FieldError {
  field: string;
  text: string;
}

export type Section = 'stories' | 'summary' | 'subscriptions' | 'services' | 'team' | 'keys' | 'audit';

interface PageProps {
  title: string;
  member?: Member;
  section?: Section;
  errors?: FieldError[];
}

/** The console's sections; admins' own are shown to admins only. */
const SECTIONS: [Section, string, string, MemberRole][] = [
  ['stories', 'Stories', '/console/stories', 'member'],
  ['summary', 'Summary', '/console/summary', 'member'],
  ['services', 'Services', '/console/services', 'admin'],
  ['subscriptions', 'Subscriptions', '/console/subscriptions', 'admin'],
  ['team', 'Team', '/console/team', 'admin'],
  ['keys', 'API keys', '/console/keys', 'admin'],
  ['audit', 'Audit log', '/console/audit', 'admin'],
];

export function Page({ title, member, section, errors = [], children }: PropsWithChildren<PageProps>) {
  return (
    <html lang="en" class="govuk-template">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${errors.length ? 'Error: ' : ''}${title} – Tellus console`}</title>
        <link rel="stylesheet" href={useContext(Stylesheet)} />
      </head>
      <body class="govuk-template__body">
        <a href="#main-content" class="govuk-skip-link">
          Skip to main content
        </a>
        <header class="tellus-header">
          <div class="govuk-width-container">
            <a class="tellus-header__name" href="/console">
              Tellus console
            </a>
            {member ? <span>{member.departmentName}</span> : null}
          </div>
        </header>
        {member ? <Navigation member={member} section={section} /> : null}
        <div class="govuk-width-container">
          <main class="govuk-main-wrapper" id="main-content">
            {errors.length ? <ErrorSummary errors={errors} /> : null}
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}

function Navigation({ member, section }: { member: Member; section?: Section }) {
  return (
    <section aria-label="Console" class="govuk-service-navigation">
      <div class="govuk-width-container">
        <div class="govuk-service-navigation__container">
          <nav aria-label="Console" class="govuk-service-navigation__wrapper">
            <ul class="govuk-service-navigation__list">
              {SECTIONS.filter(([, , , role]) => role === 'member' || member.role === 'admin').map(
                ([id, name, href]) => (
                  <li
                    class={`govuk-service-navigation__item${id === section ? ' govuk-service-navigation__item--active' : ''}`}
                  >
                    <a
                      class="govuk-service-navigation__link"
                      href={href}
                      aria-current={id === section ? 'page' : undefined}
                    >
                      {name}
                    </a>
                  </li>
                ),
              )}
              <li class="govuk-service-navigation__item">
                <form method="post" action="/console/sign-out">
                  <Csrf token={member.csrf} />
                  <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-0">
                    Sign out <span class="govuk-visually-hidden">{member.email}</span>
                  </button>
                </form>
              </li>
            </ul>
          </nav>
        </div>
      </div>
    </section>
  );
}

export function ErrorSummary({ errors }: { errors: FieldError[] }) {
  return (
    <div class="govuk-error-summary">
      <div role="alert">
        <h2 class="govuk-error-summary__title">There is a problem</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {errors.map((error) => (
              <li>
                <a href={`#${error.field}`}>{error.text}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

/** The form's proof that it came from this console page (checked with the Origin on every POST). */
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="csrf" value={token} />;

export function Banner({
  title,
  success,
  children,
}: PropsWithChildren<{ title: string; success?: boolean }>) {
  const inside = (
    <>
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="banner-title">
          {title}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">{children}</div>
    </>
  );
  // A success is news, announced at once; anything else is a region the page starts with.
  return success ? (
    <div
      class="govuk-notification-banner govuk-notification-banner--success"
      role="alert"
      aria-labelledby="banner-title"
    >
      {inside}
    </div>
  ) : (
    <section class="govuk-notification-banner" aria-labelledby="banner-title">
      {inside}
    </section>
  );
}

const errorFor = (errors: FieldError[], field: string) => errors.find((e) => e.field === field);

function FieldFrame({
  id,
  label,
  hint,
  errors,
  children,
}: PropsWithChildren<{ id: string; label: Child; hint?: string; errors: FieldError[] }>) {
  const error = errorFor(errors, id);
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label" for={id}>
        {label}
      </label>
      {hint ? (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p class="govuk-error-message" id={`${id}-error`}>
          <span class="govuk-visually-hidden">Error:</span> {error.text}
        </p>
      ) : null}
      {children}
    </div>
  );
}

const describedBy = (id: string, hint: string | undefined, errors: FieldError[]) =>
  [hint ? `${id}-hint` : '', errorFor(errors, id) ? `${id}-error` : ''].filter(Boolean).join(' ') ||
  undefined;

interface FieldProps {
  id: string;
  label: Child;
  hint?: string;
  errors?: FieldError[];
  value?: string;
}

export function TextInput({
  id,
  label,
  hint,
  errors = [],
  value,
  type = 'text',
  autocomplete,
  width,
}: FieldProps & { type?: string; autocomplete?: string; width?: string }) {
  const error = errorFor(errors, id);
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      <input
        class={`govuk-input${width ? ` govuk-input--width-${width}` : ''}${error ? ' govuk-input--error' : ''}`}
        id={id}
        name={id}
        type={type}
        value={value}
        autocomplete={autocomplete}
        spellcheck={type === 'email' ? false : undefined}
        aria-describedby={describedBy(id, hint, errors)}
      />
    </FieldFrame>
  );
}

export function Textarea({ id, label, hint, errors = [], value, rows = 5 }: FieldProps & { rows?: number }) {
  const error = errorFor(errors, id);
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      <textarea
        class={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
        id={id}
        name={id}
        rows={rows}
        aria-describedby={describedBy(id, hint, errors)}
      >
        {value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

export function Select({
  id,
  label,
  hint,
  errors = [],
  value,
  options,
}: FieldProps & { options: [value: string, text: string][] }) {
  const error = errorFor(errors, id);
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      <select
        class={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={id}
        name={id}
        aria-describedby={describedBy(id, hint, errors)}
      >
        {options.map(([optionValue, text]) => (
          <option value={optionValue} selected={optionValue === (value ?? '')}>
            {text}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A GOV.UK table: a header row, then a row of cells each; `numeric` columns align right. */
export function Table({
  caption,
  captionSize = 'm',
  head,
  numeric = [],
  rows,
}: {
  caption?: string;
  captionSize?: 's' | 'm';
  head: string[];
  numeric?: number[];
  rows: Child[][];
}) {
  const kind = (column: number) => (numeric.includes(column) ? ' govuk-table__header--numeric' : '');
  return (
    <table class="govuk-table">
      {caption ? (
        <caption class={`govuk-table__caption govuk-table__caption--${captionSize}`}>{caption}</caption>
      ) : null}
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          {head.map((name, column) => (
            <th scope="col" class={`govuk-table__header${kind(column)}`}>
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {rows.map((cells) => (
          <tr class="govuk-table__row">
            {cells.map((cell, column) => (
              <td class={`govuk-table__cell${numeric.includes(column) ? ' govuk-table__cell--numeric' : ''}`}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A row of a GOV.UK summary list. */
export const SummaryRow = ({ name, children }: PropsWithChildren<{ name: string }>) => (
  <div class="govuk-summary-list__row">
    <dt class="govuk-summary-list__key">{name}</dt>
    <dd class="govuk-summary-list__value">{children}</dd>
  </div>
);

/** A status, as a GOV.UK tag of its own colour. */
export function StatusTag({ status }: { status: string }) {
  const colour = { new: 'blue', acknowledged: 'yellow', answered: 'green', closed: 'grey' }[status] ?? 'grey';
  return <strong class={`govuk-tag govuk-tag--${colour}`}>{status}</strong>;
}

export const UrgentTag = () => <strong class="govuk-tag govuk-tag--red">Urgent</strong>;

export const RATING_WORDS = ['Very poor', 'Poor', 'Neither good nor poor', 'Good', 'Very good'];
export const ratingText = (rating: number) => `${rating} – ${RATING_WORDS[rating - 1] ?? ''}`;

/** A moment as people read it, in UK time. */
export const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
