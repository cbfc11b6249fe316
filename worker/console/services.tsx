/**
 * `/console/services`: an admin's department's services, set up without an operator: add one, change
 * its settings, add and remove its sites. Another department's service is not found. Each change
 * goes in the audit log with the admin's address.
 */
import { type Context, Hono } from 'hono';
import { readOriginLines } from '../../shared';
import {
  addOrigins,
  changeService,
  createService,
  departmentService,
  originsOf,
  removeOrigin,
} from '../db/services';
import { showFormAgain } from './form-body';
import { formOf } from './service-form';
import { NEW, readNewService, readServiceChange } from './service-input';
import { showService } from './service-page';
import { serviceNotFound, showNewService, showServiceSettings, showServices } from './services-page';
import { type ConsoleEnv, readForm } from './session';

export const serviceRoutes = new Hono<ConsoleEnv>();
type Ctx = Context<ConsoleEnv>;

/** A form whose body could not be read: the page it is on again, the error against its first field. */
serviceRoutes.onError(
  showFormAgain<ConsoleEnv>(async (c, text) => {
    // Service ids are slugs: an id needing decoding is no service.
    const [, id, part] = c.req.path.split('/').slice(2);
    if (id === undefined) return showNewService(c, { errors: [{ field: 'id', text }] }, 400);
    const service = await departmentService(c.var.db, c.var.department, id);
    if (!service) return serviceNotFound(c);
    if (part === undefined)
      return showServiceSettings(
        c,
        service,
        { form: formOf(service), errors: [{ field: 'name', text }] },
        400,
      );
    return showService(c, service, { errors: [{ field: 'origins', text }] }, 400);
  }),
);

const who = (c: Ctx) => ({ actor: c.var.actor });

/** The department's own service named in the path, or undefined (another department's is none). */
const ownService = (c: Ctx) => departmentService(c.var.db, c.var.department, c.req.param('id') ?? '');

serviceRoutes.get('/', (c) => showServices(c));

serviceRoutes.get(`/${NEW}`, (c) => showNewService(c));

serviceRoutes.post('/', async (c) => {
  const form = await readForm(c);
  const { service, errors } = readNewService(form, c.var.department);
  if (!service) return showNewService(c, { form, errors }, 422);
  if (!(await createService(c.var.db, service, who(c)))) {
    const text = `A service already has the id ${service.id}: choose another`;
    return showNewService(c, { form, errors: [{ field: 'id', text }] }, 409);
  }
  return c.redirect(`/console/services/${service.id}?done=created`, 303);
});

serviceRoutes.get('/:id', async (c) => {
  const service = await ownService(c);
  return service ? showService(c, service) : serviceNotFound(c);
});

serviceRoutes.get('/:id/edit', async (c) => {
  const service = await ownService(c);
  return service ? showServiceSettings(c, service, { form: formOf(service) }) : serviceNotFound(c);
});

serviceRoutes.post('/:id', async (c) => {
  const form = await readForm(c);
  const service = await ownService(c);
  if (!service) return serviceNotFound(c);
  const { change, errors } = readServiceChange(form, service);
  if (!change) return showServiceSettings(c, service, { form, errors }, 422);
  await changeService(c.var.db, service.id, change, who(c));
  return c.redirect(`/console/services/${service.id}?done=changed`, 303);
});

serviceRoutes.post('/:id/origins', async (c) => {
  const form = await readForm(c);
  const service = await ownService(c);
  if (!service) return serviceNotFound(c);
  const typed = form.origins ?? '';
  const { origins, problems } = readOriginLines(typed, await originsOf(c.var.db, service.id));
  const errors = problems.map((text) => ({ field: 'origins', text }));
  if (!origins.length && !errors.length)
    errors.push({ field: 'origins', text: 'Enter a site’s address, like https://www.anytown.gov.uk' });
  if (errors.length) return showService(c, service, { errors, origins: typed }, 422);
  if (!(await addOrigins(c.var.db, service, origins, who(c)))) {
    const text = 'One of these sites was added meanwhile: look at the sites again, then add the others';
    return showService(c, service, { errors: [{ field: 'origins', text }], origins: typed }, 409);
  }
  return c.redirect(`/console/services/${service.id}?done=origins-added`, 303);
});

serviceRoutes.post('/:id/origins/remove', async (c) => {
  const form = await readForm(c);
  const service = await ownService(c);
  if (!service) return serviceNotFound(c);
  if (!(await removeOrigin(c.var.db, service, form.origin ?? '', who(c)))) {
    const text = `${service.name} has no site ${form.origin ?? ''}: it may have been removed already`;
    return showService(c, service, { errors: [{ field: 'origins', text }] }, 404);
  }
  return c.redirect(`/console/services/${service.id}?done=origin-removed`, 303);
});
