/** Queries for the operator API: departments, services, subscriptions. */
import { eq } from 'drizzle-orm';
import type { NewDepartment, NewService, NewSubscription, ServiceUpdate } from '../../shared';
import type { Db } from './client';
import { departments, serviceOrigins, services, subscriptions } from './schema';

export const listDepartments = (db: Db) => db.select().from(departments).orderBy(departments.id);

export const findDepartment = (db: Db, id: string) =>
  db.select().from(departments).where(eq(departments.id, id)).get();

export async function insertDepartment(db: Db, input: NewDepartment) {
  return db
    .insert(departments)
    .values({
      id: input.id,
      name: input.name,
      contactEmail: input.contact_email,
      retentionDays: input.retention_days,
    })
    .onConflictDoNothing()
    .returning()
    .get();
}

/** Every service with its allowed origins. */
export async function listServices(db: Db) {
  const [rows, origins] = await Promise.all([
    db.select().from(services).orderBy(services.id),
    db.select().from(serviceOrigins),
  ]);
  return rows.map((service) => ({
    ...service,
    origins: origins.filter((o) => o.serviceId === service.id).map((o) => o.origin),
  }));
}

/** Creates a service and its origins in one batch; undefined when the id is taken. */
export async function insertService(db: Db, input: NewService) {
  if (await db.select().from(services).where(eq(services.id, input.id)).get()) return undefined;
  const originRows = input.origins.map((origin) => ({ serviceId: input.id, origin }));
  const row = { id: input.id, departmentId: input.department_id, name: input.name, wording: input.wording };
  await db.batch([
    db.insert(services).values(row),
    ...(originRows.length ? [db.insert(serviceOrigins).values(originRows)] : []),
  ]);
  return { ...row, origins: input.origins };
}

/** Changes a service's name, wording or Turnstile; undefined when no service has the id. */
export async function updateService(
  db: Db,
  id: string,
  { name, wording, turnstile, publishing }: ServiceUpdate,
) {
  const changes = Object.fromEntries(
    Object.entries({
      name,
      wording,
      publishing,
      turnstileSitekey: turnstile === undefined ? undefined : (turnstile?.sitekey ?? null),
      turnstileSecret: turnstile === undefined ? undefined : (turnstile?.secret ?? null),
    }).filter(([, value]) => value !== undefined),
  );
  if (!Object.keys(changes).length) return db.select().from(services).where(eq(services.id, id)).get();
  return db.update(services).set(changes).where(eq(services.id, id)).returning().get();
}

export async function listSubscriptions(db: Db, departmentId?: string) {
  return db
    .select()
    .from(subscriptions)
    .where(departmentId ? eq(subscriptions.departmentId, departmentId) : undefined)
    .orderBy(subscriptions.createdAt);
}

export const findSubscription = (db: Db, id: string) =>
  db.select().from(subscriptions).where(eq(subscriptions.id, id)).get();

export async function insertSubscription(db: Db, id: string, input: NewSubscription, secret: string | null) {
  return db
    .insert(subscriptions)
    .values({
      id,
      departmentId: input.department_id,
      kind: input.kind,
      target: input.target,
      secret,
      services: input.services,
      minSeverity: input.min_severity,
      maxRating: input.max_rating,
      mode: input.mode,
    })
    .returning()
    .get();
}

/** Replaces the signing secret; the old one stays valid for signatures until `previousUntil`. */
export async function rotateSecret(db: Db, id: string, secret: string, previousUntil: string) {
  const current = await findSubscription(db, id);
  if (!current) return undefined;
  return db
    .update(subscriptions)
    .set({ secret, previousSecret: current.secret, previousSecretUntil: previousUntil })
    .where(eq(subscriptions.id, id))
    .returning()
    .get();
}

export async function setSubscriptionState(
  db: Db,
  id: string,
  state: 'active' | 'disabled',
  reason: string | null,
) {
  return db
    .update(subscriptions)
    .set(
      state === 'active'
        ? { state, disabledReason: null, failingSince: null }
        : { state, disabledReason: reason },
    )
    .where(eq(subscriptions.id, id))
    .returning()
    .get();
}
