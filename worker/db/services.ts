/**
 * Setting up services, from the console and the operator API alike: each change to a service or
 * its origins is written in one batch with its entry in the audit log.
 */
import { and, asc, count, eq, exists } from 'drizzle-orm';
import type { NewService, ServiceTurnstile, ServiceUpdate } from '../../shared';
import { auditEntry } from './audit';
import { auditEntryWhen } from './audit-when';
import type { Db } from './client';
import { type Service, serviceOrigins, services } from './schema';

/** The columns a change to a service may set. */
const CHANGEABLE = [
  'name',
  'wording',
  'publishing',
  'privacyUrl',
  'turnstileSitekey',
  'turnstileSecret',
] as const satisfies readonly (keyof Service)[];

/** Who made a change: a member's address, or `operator`. */
export interface Change {
  actor: string;
}

/** What the audit log keeps of a service: never its Turnstile secret. */
function audited(service: Omit<Service, 'createdAt'>): Record<string, unknown> {
  return {
    name: service.name,
    wording: service.wording,
    publishing: service.publishing,
    privacy_url: service.privacyUrl,
    turnstile: service.turnstileSitekey ? 'on' : 'off',
    turnstile_sitekey: service.turnstileSitekey,
  };
}

/** A value as JSON with its objects' keys in order, so the same wording written in another order is the same. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

/** The fields of `before` and `after` that differ, each side on its own. */
function differences(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changed = Object.keys(after).filter((key) => canonical(before[key]) !== canonical(after[key]));
  const pick = (from: Record<string, unknown>) => Object.fromEntries(changed.map((key) => [key, from[key]]));
  return { before: pick(before), after: pick(after) };
}

const originEntry =
  (db: Db, service: Pick<Service, 'id' | 'departmentId'>, actor: string) =>
  (action: 'origin.added', origin: string) =>
    auditEntry(db, {
      departmentId: service.departmentId,
      actor,
      action,
      subject: service.id,
      after: { origin },
    });

/** A service new to Tellus: what the operator API takes, and what the console sets as well. */
export type ServiceToCreate = NewService & { publishing?: boolean; turnstile?: ServiceTurnstile | null };

/**
 * Creates a service with its origins, and their audit entries, in one batch; undefined when the id
 * is taken (by any department's service).
 */
export async function createService(db: Db, input: ServiceToCreate, { actor }: Change) {
  const row: Omit<Service, 'createdAt'> = {
    id: input.id,
    departmentId: input.department_id,
    name: input.name,
    wording: input.wording,
    publishing: input.publishing ?? false,
    privacyUrl: input.privacy_url ?? null,
    turnstileSitekey: input.turnstile?.sitekey ?? null,
    turnstileSecret: input.turnstile?.secret ?? null,
  };
  if (await db.select().from(services).where(eq(services.id, input.id)).get()) return undefined;
  const entry = originEntry(db, row, actor);
  try {
    const [[created]] = await db.batch([
      db.insert(services).values(row).returning(),
      auditEntry(db, {
        departmentId: row.departmentId,
        actor,
        action: 'service.created',
        subject: row.id,
        after: { ...audited(row), origins: input.origins },
      }),
      ...(input.origins.length
        ? [db.insert(serviceOrigins).values(input.origins.map((origin) => ({ serviceId: row.id, origin })))]
        : []),
      ...input.origins.map((origin) => entry('origin.added', origin)),
    ]);
    return created && { ...created, origins: input.origins };
  } catch (err) {
    // Taken meanwhile, by a request at the same moment: as taken before.
    if (isTaken(err)) return undefined;
    throw err;
  }
}

/** True for D1's refusal of a second row with the same key. */
const isTaken = (err: unknown) => String((err as Error)?.message).includes('UNIQUE constraint failed');

/**
 * Changes a service's name, wording, publishing, privacy link or Turnstile, with an audit entry of
 * what changed (a new secret only as `replaced`); undefined when no service has the id.
 */
export async function changeService(db: Db, id: string, update: ServiceUpdate, { actor }: Change) {
  const before = await db.select().from(services).where(eq(services.id, id)).get();
  if (!before) return undefined;
  const { turnstile } = update;
  const after: Service = {
    ...before,
    name: update.name ?? before.name,
    wording: update.wording ?? before.wording,
    publishing: update.publishing ?? before.publishing,
    privacyUrl: update.privacy_url === undefined ? before.privacyUrl : update.privacy_url,
    turnstileSitekey: turnstile === undefined ? before.turnstileSitekey : (turnstile?.sitekey ?? null),
    turnstileSecret: turnstile === undefined ? before.turnstileSecret : (turnstile?.secret ?? null),
  };
  const changes = differences(audited(before), audited(after));
  if (before.turnstileSecret && after.turnstileSecret && before.turnstileSecret !== after.turnstileSecret) {
    changes.after.turnstile_secret = 'replaced';
  }
  if (!Object.keys(changes.after).length) return before;
  // Only what this change changes: a column changed meanwhile by someone else (an operator
  // replacing the Turnstile secret while an admin saves the wording) keeps its new value.
  const columns = Object.fromEntries(
    CHANGEABLE.filter((column) => canonical(before[column]) !== canonical(after[column])).map((column) => [
      column,
      after[column],
    ]),
  );
  const { departmentId } = before;
  const [rows] = await db.batch([
    db.update(services).set(columns).where(eq(services.id, id)).returning(),
    auditEntry(db, { departmentId, actor, action: 'service.updated', subject: id, ...changes }),
  ]);
  return rows[0];
}

/**
 * Adds origins to a service, each with its audit entry, in one batch; false when one of them was
 * added meanwhile (then none is).
 */
export async function addOrigins(
  db: Db,
  service: Pick<Service, 'id' | 'departmentId'>,
  origins: string[],
  { actor }: Change,
) {
  if (!origins.length) return true;
  const entry = originEntry(db, service, actor);
  try {
    await db.batch([
      db.insert(serviceOrigins).values(origins.map((origin) => ({ serviceId: service.id, origin }))),
      ...origins.map((origin) => entry('origin.added', origin)),
    ]);
    return true;
  } catch (err) {
    if (isTaken(err)) return false;
    throw err;
  }
}

/** Removes one origin from a service, with its audit entry; false when the service had no such origin. */
export async function removeOrigin(
  db: Db,
  service: Pick<Service, 'id' | 'departmentId'>,
  origin: string,
  { actor }: Change,
) {
  const where = and(eq(serviceOrigins.serviceId, service.id), eq(serviceOrigins.origin, origin));
  // The entry on the delete's own condition, so two removals at once leave one entry.
  const [, removed] = await db.batch([
    auditEntryWhen(
      db,
      {
        departmentId: service.departmentId,
        actor,
        action: 'origin.removed',
        subject: service.id,
        before: { origin },
      },
      exists(db.select().from(serviceOrigins).where(where)),
    ),
    db.delete(serviceOrigins).where(where).returning({ origin: serviceOrigins.origin }),
  ]);
  return removed.length > 0;
}

/** A service's origins, in order. */
export const originsOf = async (db: Db, serviceId: string) =>
  (
    await db
      .select({ origin: serviceOrigins.origin })
      .from(serviceOrigins)
      .where(eq(serviceOrigins.serviceId, serviceId))
      .orderBy(asc(serviceOrigins.origin))
  ).map((row) => row.origin);

/** The department's service with that id, or undefined (another department's is none). */
export const departmentService = (db: Db, departmentId: string, id: string) =>
  db
    .select()
    .from(services)
    .where(and(eq(services.id, id), eq(services.departmentId, departmentId)))
    .get();

/** The department's services, by name, each with how many origins it has. */
export const departmentServices = (db: Db, departmentId: string) =>
  db
    .select({
      id: services.id,
      name: services.name,
      publishing: services.publishing,
      origins: count(serviceOrigins.origin),
    })
    .from(services)
    .leftJoin(serviceOrigins, eq(serviceOrigins.serviceId, services.id))
    .where(eq(services.departmentId, departmentId))
    .groupBy(services.id)
    .orderBy(asc(services.name));
