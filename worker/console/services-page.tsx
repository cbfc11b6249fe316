/**
 * The console's services pages: the department's services, the form for a new one, the form to
 * change one's settings, and the page for a service that is not the department's.
 */
import type { Context } from 'hono';
import type { Service } from '../db/schema';
import { departmentServices } from '../db/services';
import { type FieldError, Page, Table } from './layout';
import { render } from './render';
import { ServiceForm } from './service-form';
import { NEW } from './service-input';
import type { ConsoleEnv } from './session';

type Ctx = Context<ConsoleEnv>;
type Status = 200 | 400 | 404 | 409 | 422;

/** The list, by its id. */
const LIST = 'your-services';

const OnOff = ({ on }: { on: boolean }) =>
  on ? (
    <strong class="govuk-tag govuk-tag--green">On</strong>
  ) : (
    <strong class="govuk-tag govuk-tag--grey">Off</strong>
  );

export async function showServices(c: Ctx, errors: FieldError[] = [], status: Status = 200) {
  const services = await departmentServices(c.var.db, c.var.department);
  return render(
    c,
    <Page title="Services" member={c.var.member} section="services" errors={errors}>
      <h1 class="govuk-heading-l">Services</h1>
      <p class="govuk-body">
        Your department’s services: the sites that show each one’s widget, and its words.
      </p>
      <div id={LIST}>
        {services.length ? (
          <Table
            caption="Your services"
            head={['Name', 'Id', 'Sites', 'Publishing']}
            numeric={[2]}
            rows={services.map((s) => [
              <a class="govuk-link" href={`/console/services/${s.id}`}>
                {s.name}
              </a>,
              <code>{s.id}</code>,
              s.origins,
              <OnOff on={s.publishing} />,
            ])}
          />
        ) : (
          <p class="govuk-body">Your department has no services yet.</p>
        )}
      </div>
      <a class="govuk-button" href={`/console/services/${NEW}`}>
        Add a service
      </a>
    </Page>,
    status,
  );
}

interface Shown {
  form?: Record<string, string>;
  errors?: FieldError[];
}

export function showNewService(c: Ctx, { form = {}, errors = [] }: Shown = {}, status: Status = 200) {
  return render(
    c,
    <Page title="Add a service" member={c.var.member} section="services" errors={errors}>
      <a class="govuk-back-link" href="/console/services">
        Services
      </a>
      <h1 class="govuk-heading-l">Add a service</h1>
      <ServiceForm
        action="/console/services"
        csrf={c.var.member.csrf}
        form={{ publishing: 'no', ...form }}
        errors={errors}
      />
    </Page>,
    status,
  );
}

export function showServiceSettings(
  c: Ctx,
  service: Service,
  { form = {}, errors = [] }: Shown,
  status: Status = 200,
) {
  return render(
    c,
    <Page title={`Change ${service.name}`} member={c.var.member} section="services" errors={errors}>
      <a class="govuk-back-link" href={`/console/services/${service.id}`}>
        {service.name}
      </a>
      <span class="govuk-caption-l">{service.id}</span>
      <h1 class="govuk-heading-l">Change the service’s settings</h1>
      <ServiceForm
        action={`/console/services/${service.id}`}
        csrf={c.var.member.csrf}
        form={form}
        errors={errors}
        service={service}
      />
    </Page>,
    status,
  );
}

/** Another department's service, or none: not found, and nothing said about it. */
export function serviceNotFound(c: Ctx) {
  return render(
    c,
    <Page title="Service not found" member={c.var.member} section="services">
      <h1 class="govuk-heading-l">Service not found</h1>
      <p class="govuk-body">Your department has no service with that id. Nothing was changed.</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/console/services">
          Go to your services
        </a>
      </p>
    </Page>,
    404,
  );
}
