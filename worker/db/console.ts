/** Queries for the console: members, sign-in links and sessions. */
import { and, asc, countDistinct, desc, eq, gt, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { FeedbackQuery, MemberRole } from '../../shared';
import type { Db } from './client';
import { answersTo, statusChangesOf, storiesPage, storiesQuery } from './department';
import {
  consoleSessions,
  deliveries,
  deliveryAttempts,
  departments,
  feedback,
  members,
  services,
  signInLinks,
  subscriptions,
} from './schema';

/**
 * The departments whose console an address may sign in to: those it is a member of, and those
 * whose contact address it is.
 */
export async function departmentsOfAddress(db: Db, email: string) {
  const [listed, contact] = await db.batch([
    db
      .select({ id: departments.id, name: departments.name })
      .from(members)
      .innerJoin(departments, eq(departments.id, members.departmentId))
      .where(eq(members.email, email)),
    db
      .select({ id: departments.id, name: departments.name })
      .from(departments)
      .where(sql`lower(${departments.contactEmail}) = ${email}`),
  ]);
  const byId = new Map([...listed, ...contact].map((d) => [d.id, d]));
  return [...byId.values()];
}

/** The departments for which `email` has a link sent since `sentSince` that still works at `now`. */
export async function departmentsWithFreshLink(
  db: Db,
  email: string,
  { sentSince, now }: { sentSince: string; now: string },
) {
  const rows = await db
    .selectDistinct({ departmentId: signInLinks.departmentId })
    .from(signInLinks)
    .where(
      and(
        eq(signInLinks.email, email),
        gte(signInLinks.createdAt, sentSince),
        isNull(signInLinks.usedAt),
        gt(signInLinks.expiresAt, now),
      ),
    );
  return rows.map((row) => row.departmentId);
}

/** How many emails of links to `email` that `client` asked for since `since` went unused. */
export async function unusedEmailsAskedBy(db: Db, email: string, client: string, since: string) {
  const [row] = await db
    // The links of one email share their expiry, so each email counts once.
    .select({ n: countDistinct(signInLinks.expiresAt) })
    .from(signInLinks)
    .where(
      and(
        eq(signInLinks.email, email),
        eq(signInLinks.requestedBy, client),
        gte(signInLinks.createdAt, since),
        isNull(signInLinks.usedAt),
      ),
    );
  return row?.n ?? 0;
}

export const insertSignInLinks = (db: Db, rows: (typeof signInLinks.$inferInsert)[]) =>
  db.insert(signInLinks).values(rows);

/** Spends links that never reached their inbox, so they do not stand in for a link that did. */
export const spendSignInLinks = (db: Db, hashes: string[], now: string) =>
  db
    .update(signInLinks)
    .set({ usedAt: now })
    .where(and(inArray(signInLinks.hash, hashes), isNull(signInLinks.usedAt)));

/** A link that is neither used nor expired, without using it. */
export const findUsableLink = (db: Db, hash: string, now: string) =>
  db
    .select({ departmentId: signInLinks.departmentId, email: signInLinks.email, name: departments.name })
    .from(signInLinks)
    .innerJoin(departments, eq(departments.id, signInLinks.departmentId))
    .where(and(eq(signInLinks.hash, hash), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now)))
    .get();

/** Uses a link: only the first use of a live link returns it. */
export const useLink = (db: Db, hash: string, now: string) =>
  db
    .update(signInLinks)
    .set({ usedAt: now })
    .where(and(eq(signInLinks.hash, hash), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now)))
    .returning({ departmentId: signInLinks.departmentId, email: signInLinks.email })
    .get();

/**
 * Starts a session, notes the member's sign-in time (the contact address may have no row to note it
 * in) and spends their other unused links to the department.
 */
export const startSession = (db: Db, row: typeof consoleSessions.$inferInsert & { createdAt: string }) =>
  db.batch([
    db.insert(consoleSessions).values(row),
    db
      .update(members)
      .set({ lastSignInAt: row.createdAt })
      .where(and(eq(members.departmentId, row.departmentId), eq(members.email, row.email))),
    // Signed in: any other link of theirs (a week-long invitation, say) has done its job.
    db
      .update(signInLinks)
      .set({ usedAt: row.createdAt })
      .where(
        and(
          eq(signInLinks.departmentId, row.departmentId),
          eq(signInLinks.email, row.email),
          isNull(signInLinks.usedAt),
        ),
      ),
  ]);

/**
 * A live session: not ended, seen since `seenSince` and started since `startedSince`, of someone who
 * may still sign in, with their role now: a member's own, or `admin` for the department's contact
 * address. A member removed since signing in has no session.
 */
export async function findSession(
  db: Db,
  hash: string,
  { seenSince, startedSince }: { seenSince: string; startedSince: string },
) {
  const row = await db
    .select({
      departmentId: consoleSessions.departmentId,
      email: consoleSessions.email,
      name: departments.name,
      role: members.role,
      contact: sql<boolean>`lower(${departments.contactEmail}) = ${consoleSessions.email}`,
    })
    .from(consoleSessions)
    .innerJoin(departments, eq(departments.id, consoleSessions.departmentId))
    .leftJoin(
      members,
      and(eq(members.departmentId, consoleSessions.departmentId), eq(members.email, consoleSessions.email)),
    )
    .where(
      and(
        eq(consoleSessions.hash, hash),
        isNull(consoleSessions.endedAt),
        gt(consoleSessions.lastSeenAt, seenSince),
        gt(consoleSessions.createdAt, startedSince),
      ),
    )
    .get();
  if (!row) return undefined;
  // The contact address is always an admin, whatever a member row of the same address says.
  const role: MemberRole | undefined = row.contact ? 'admin' : (row.role ?? undefined);
  return role ? { departmentId: row.departmentId, email: row.email, name: row.name, role } : undefined;
}

export const touchSession = (db: Db, hash: string, now: string) =>
  db.update(consoleSessions).set({ lastSeenAt: now }).where(eq(consoleSessions.hash, hash));

export const endSession = (db: Db, hash: string, now: string) =>
  db
    .update(consoleSessions)
    .set({ endedAt: now })
    .where(and(eq(consoleSessions.hash, hash), isNull(consoleSessions.endedAt)));

export const listMembers = (db: Db, departmentId: string) =>
  db.select().from(members).where(eq(members.departmentId, departmentId)).orderBy(members.email);

/** Urgent stories nobody has answered or closed yet, newest first; never a test. */
const urgentOpen = (db: Db, departmentId: string, limit: number) =>
  db
    .select({
      id: feedback.id,
      service: feedback.serviceId,
      story: feedback.story,
      createdAt: feedback.createdAt,
    })
    .from(feedback)
    .innerJoin(services, eq(services.id, feedback.serviceId))
    .where(
      and(
        eq(services.departmentId, departmentId),
        eq(feedback.severity, 'urgent'),
        eq(feedback.test, false),
        inArray(feedback.status, ['new', 'acknowledged']),
      ),
    )
    .orderBy(desc(feedback.id))
    .limit(limit);

export const servicesOf = (db: Db, departmentId: string) =>
  db
    .select({ id: services.id, name: services.name, publishing: services.publishing })
    .from(services)
    .where(eq(services.departmentId, departmentId))
    .orderBy(asc(services.name));

/** Everything the story list shows, in one round trip: the services, the open urgent stories, a page. */
export async function storyListPage(db: Db, departmentId: string, query: FeedbackQuery, limit: number) {
  const [serviceRows, urgent, rows] = await db.batch([
    servicesOf(db, departmentId),
    urgentOpen(db, departmentId, 10),
    storiesQuery(db, departmentId, query, limit),
  ]);
  return { services: serviceRows, urgent, ...storiesPage(rows, limit) };
}

/** A story's answers, status changes, deliveries and their attempts, in one round trip. */
export async function storyHistory(db: Db, feedbackId: string) {
  const [answerRows, changes, deliveryRows, attempts] = await db.batch([
    answersTo(db, feedbackId),
    statusChangesOf(db, feedbackId),
    db
      .select({
        id: deliveries.id,
        kind: subscriptions.kind,
        target: subscriptions.target,
        answerId: deliveries.answerId,
        state: deliveries.state,
        attempts: deliveries.attempts,
        lastStatus: deliveries.lastStatus,
        lastError: deliveries.lastError,
        deliveredAt: deliveries.deliveredAt,
        createdAt: deliveries.createdAt,
      })
      .from(deliveries)
      .innerJoin(subscriptions, eq(subscriptions.id, deliveries.subscriptionId))
      .where(eq(deliveries.feedbackId, feedbackId))
      .orderBy(asc(deliveries.createdAt)),
    db
      .select({
        deliveryId: deliveryAttempts.deliveryId,
        attemptedAt: deliveryAttempts.attemptedAt,
        status: deliveryAttempts.status,
        error: deliveryAttempts.error,
      })
      .from(deliveryAttempts)
      .innerJoin(deliveries, eq(deliveries.id, deliveryAttempts.deliveryId))
      .where(eq(deliveries.feedbackId, feedbackId))
      .orderBy(asc(deliveryAttempts.attemptedAt)),
  ]);
  return { answers: answerRows, changes, deliveries: deliveryRows, attempts };
}

/** The Monday (YYYY-MM-DD) of the week a stored time falls in, in SQL. */
const weekOf = sql<string>`date(${feedback.createdAt}, 'weekday 0', '-6 days')`;

/** Stories and their average rating per service and week, since `since`; tests are not counted. */
export const weeklyRatings = (db: Db, departmentId: string, since: string) =>
  db
    .select({
      service: feedback.serviceId,
      week: weekOf,
      stories: sql<number>`count(*)`,
      average: sql<number>`avg(${feedback.rating})`,
    })
    .from(feedback)
    .innerJoin(services, eq(services.id, feedback.serviceId))
    .where(
      and(eq(services.departmentId, departmentId), eq(feedback.test, false), gte(feedback.createdAt, since)),
    )
    .groupBy(feedback.serviceId, weekOf);
