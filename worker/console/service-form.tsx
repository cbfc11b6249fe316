/**
 * A service's settings as a form, for a new service and for changing one: the same fields, the
 * Turnstile secret never shown back.
 */
import type { Service } from '../db/schema';
import { Csrf, type FieldError, Textarea, TextInput } from './layout';
import { WORDING_FIELDS } from './service-input';

type Form = Record<string, string>;

/**
 * The errors about the box of sites as one, for the box itself: each names its line, and the
 * error summary lists them one by one.
 */
export function siteErrors(errors: FieldError[]): FieldError[] {
  const texts = errors.filter((e) => e.field === 'origins').map((e) => e.text);
  return texts.length ? [{ field: 'origins', text: texts.join('. ') }] : [];
}

/** The form's values for a service as it is (its secret left out). */
export function formOf(service: Service): Form {
  const form: Form = {
    name: service.name,
    publishing: service.publishing ? 'yes' : 'no',
    'privacy-url': service.privacyUrl ?? '',
    'turnstile-sitekey': service.turnstileSitekey ?? '',
  };
  for (const [field, lang, line] of WORDING_FIELDS) form[field] = service.wording[lang]?.[line] ?? '';
  return form;
}

/** GOV.UK radios for yes or no; the first radio has the field's id, so the error summary links to it. */
function YesNo({
  id,
  legend,
  hint,
  value,
  errors,
}: {
  id: string;
  legend: string;
  hint: string;
  value?: string;
  errors: FieldError[];
}) {
  const error = errors.find((e) => e.field === id);
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
        {error ? (
          <p class="govuk-error-message" id={`${id}-error`}>
            <span class="govuk-visually-hidden">Error:</span> {error.text}
          </p>
        ) : null}
        <div class="govuk-radios govuk-radios--inline">
          {[
            ['yes', 'Yes', id],
            ['no', 'No', `${id}-no`],
          ].map(([answer, label, radio]) => (
            <div class="govuk-radios__item">
              <input
                class="govuk-radios__input"
                id={radio}
                name={id}
                type="radio"
                value={answer}
                checked={value === answer}
              />
              <label class="govuk-label govuk-radios__label" for={radio}>
                {label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

interface Props {
  action: string;
  csrf: string;
  form: Form;
  errors: FieldError[];
  /** The service being changed; none for a new one. */
  service?: Service;
}

/** The settings form; a new service also gets its id and its sites. */
export function ServiceForm({ action, csrf, form, errors, service }: Props) {
  return (
    <form method="post" action={action} novalidate>
      <Csrf token={csrf} />
      {service ? null : (
        <TextInput
          id="id"
          label="Id"
          hint="Lowercase letters and digits, with hyphens between words, like missed-bin-collection. The widget's code names the service by it, so it cannot be changed later."
          value={form.id}
          errors={errors}
          width="20"
        />
      )}
      <TextInput
        id="name"
        label="Name"
        hint="As your department calls it, like Report a missed bin collection"
        value={form.name}
        errors={errors}
      />
      {service ? null : (
        <Textarea
          id="origins"
          label="Sites"
          hint="The sites that show the widget, one a line, like https://www.anytown.gov.uk. Stories are taken only from these. Plain http:// only for localhost."
          value={form.origins}
          errors={siteErrors(errors)}
          rows={4}
        />
      )}
      <YesNo
        id="publishing"
        legend="May stories be published?"
        hint="Yes lets your team publish stories it chooses, with its answers. The widget then tells citizens their story may be published."
        value={form.publishing}
        errors={errors}
      />
      <h2 class="govuk-heading-m">Wording</h2>
      <p class="govuk-body">Leave a line empty to keep the widget’s own words.</p>
      {WORDING_FIELDS.map(([id, , line, label]) => (
        <Textarea
          id={id}
          label={label}
          hint={
            line === 'storyHint'
              ? 'Under the story box: what not to write'
              : 'Where else to go: this form is not for emergencies or complaints'
          }
          value={form[id]}
          errors={errors}
          rows={2}
        />
      ))}
      <TextInput
        id="privacy-url"
        label="Privacy notice"
        hint="The widget links to it as “How we use your feedback”. An https:// address; leave it empty for no link."
        value={form['privacy-url']}
        errors={errors}
        type="url"
      />
      <h2 class="govuk-heading-m">Turnstile</h2>
      <p class="govuk-body">
        Cloudflare Turnstile checks that a person sent the story. Leave both keys empty to do without.
      </p>
      <TextInput id="turnstile-sitekey" label="Site key" value={form['turnstile-sitekey']} errors={errors} />
      <TextInput
        id="turnstile-secret"
        label="Secret key"
        hint={
          service?.turnstileSecret
            ? 'A secret key is set and is not shown. Leave this empty to keep it.'
            : undefined
        }
        errors={errors}
        autocomplete="off"
      />
      {service?.turnstileSitekey ? (
        <div class="govuk-form-group">
          <div class="govuk-checkboxes govuk-checkboxes--small">
            <div class="govuk-checkboxes__item">
              <input
                class="govuk-checkboxes__input"
                id="turnstile-off"
                name="turnstile-off"
                type="checkbox"
                value="yes"
                checked={form['turnstile-off'] === 'yes'}
              />
              <label class="govuk-label govuk-checkboxes__label" for="turnstile-off">
                Turn Turnstile off (both keys are forgotten)
              </label>
            </div>
          </div>
        </div>
      ) : null}
      <button type="submit" class="govuk-button">
        {service ? 'Save changes' : 'Add the service'}
      </button>
    </form>
  );
}
