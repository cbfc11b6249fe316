/**
 * A department's team: the members who may sign in to its console, invited, given roles and
 * removed by its admins or an operator, each change and its audit entry in one batch.
 */
import { and, eq, exists, gt, gte, isNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { MemberRole } from '../../shared';
import { auditEntryWhen } from './audit-when';
import type { Db } from './client';
import { consoleSessions, departments, type Member, members, signInLinks } from './schema';

/** What an invitation's sign-in link has as `requestedBy`, where a link asked for has its client's hash. */
export const INVITATION = 'invitation';

/** The department's members, by address, and its contact address (lowercased), in one round trip. */
export async function teamOf(db: Db, departmentId: string) {
  const [rows, [department]] = await db.batch([
    db.select().from(members).where(eq(members.departmentId, departmentId)).orderBy(members.email),
    db
      .select({ contactEmail: departments.contactEmail })
      .from(departments)
      .where(eq(departments.id, departmentId)),
  ]);
  return { members: rows, contactEmail: department?.contactEmail.toLowerCase() };
}

export const findMember = (db: Db, id: string) => db.select().from(members).where(eq(members.id, id)).get();

export const isMember = async (db: Db, departmentId: string, email: string) =>
  (await db.$count(members, and(eq(members.departmentId, departmentId), eq(members.email, email)))) > 0;

/** Whether a statement earlier in the batch found `where` true of some member. */
const someMember = (db: Db, where: SQL | undefined) =>
  exists(db.select({ id: members.id }).from(members).where(where));

const adminsOf = (db: Db, departmentId: string) =>
  db.$count(members, and(eq(members.departmentId, departmentId), eq(members.role, 'admin')));

type NewMember = Pick<Member, 'id' | 'departmentId' | 'email' | 'role' | 'invitedBy'>;

/** Adds a member, as an operator does; undefined if the address is a member already. */
export async function addMember(db: Db, row: NewMember, now = new Date()) {
  const [inserted] = await db.batch([
    db.insert(members).values(row).onConflictDoNothing().returning(),
    auditEntryWhen(db, invitedEntry(row), someMember(db, eq(members.id, row.id)), now),
  ]);
  return inserted[0];
}

const invitedEntry = (row: NewMember) => ({
  departmentId: row.departmentId,
  actor: row.invitedBy ?? 'operator',
  action: 'member.invited',
  subject: row.email,
  after: { email: row.email, role: row.role },
});

export interface Invitation {
  member: NewMember;
  /** The SHA-256 of the emailed link's token, and when the link stops working. */
  link: { hash: string; expiresAt: string };
  /** At most `limit` invitations of the department's since `since`, counting this one. */
  limit: number;
  since: string;
}

/**
 * Adds a member with a sign-in link to send them, unless the address is a member already or the
 * department has sent `limit` invitations since `since`: the count and the insert are one statement.
 */
export async function inviteMember(db: Db, { member, link, limit, since }: Invitation, now = new Date()) {
  const at = now.toISOString();
  const invitationsSent = db.$count(
    signInLinks,
    and(
      eq(signInLinks.departmentId, member.departmentId),
      eq(signInLinks.requestedBy, INVITATION),
      gte(signInLinks.createdAt, since),
    ),
  );
  // The new row exists after the first statement only if that statement added it.
  const added = eq(members.id, member.id);
  const [inserted] = await db.batch([
    db
      .insert(members)
      .select(
        db
          .select({
            id: sql<string>`${member.id}`.as('id'),
            departmentId: departments.id,
            email: sql<string>`${member.email}`.as('email'),
            role: sql<MemberRole>`${member.role}`.as('role'),
            invitedBy: sql<string>`${member.invitedBy}`.as('invitedBy'),
            lastSignInAt: sql<null>`null`.as('lastSignInAt'),
            createdAt: sql<string>`${at}`.as('createdAt'),
          })
          .from(departments)
          .where(and(eq(departments.id, member.departmentId), lt(invitationsSent, limit))),
      )
      .onConflictDoNothing()
      .returning(),
    db.insert(signInLinks).select(
      db
        .select({
          hash: sql<string>`${link.hash}`.as('hash'),
          departmentId: members.departmentId,
          email: members.email,
          createdAt: sql<string>`${at}`.as('createdAt'),
          expiresAt: sql<string>`${link.expiresAt}`.as('expiresAt'),
          usedAt: sql<null>`null`.as('usedAt'),
          requestedBy: sql<string>`${INVITATION}`.as('requestedBy'),
        })
        .from(members)
        .where(added),
    ),
    auditEntryWhen(db, invitedEntry(member), someMember(db, added), now),
  ]);
  return inserted[0];
}

/**
 * Gives a member the role `to`, unless their role is no longer `member.role` or the change would
 * leave the department with no admin member (its contact address is not one): the count and the
 * change are one batch, so two admins demoting each other at once leave one admin. Whether it changed.
 */
export async function changeRole(db: Db, member: Member, to: MemberRole, actor: string, now = new Date()) {
  const allowed = and(
    eq(members.id, member.id),
    eq(members.role, member.role),
    to === 'admin' ? undefined : gt(adminsOf(db, member.departmentId), 1),
  );
  const entry = {
    departmentId: member.departmentId,
    actor,
    action: 'member.role-changed',
    subject: member.email,
    before: { role: member.role },
    after: { role: to },
  };
  const [, changed] = await db.batch([
    auditEntryWhen(db, entry, someMember(db, allowed), now),
    db.update(members).set({ role: to }).where(allowed).returning({ id: members.id }),
  ]);
  return changed.length > 0;
}

/**
 * Removes a member: ends their sessions, spends their unused links. With `keepAnAdmin`, not the
 * department's last admin member, decided in the same batch. The member removed, or undefined.
 */
export async function removeMember(
  db: Db,
  member: Member,
  { actor, keepAnAdmin }: { actor: string; keepAnAdmin: boolean },
  now = new Date(),
) {
  const at = now.toISOString();
  const removable = and(
    eq(members.id, member.id),
    eq(members.role, member.role),
    keepAnAdmin ? or(ne(members.role, 'admin'), gt(adminsOf(db, member.departmentId), 1)) : undefined,
  );
  const stillRemovable = someMember(db, removable);
  const entry = {
    departmentId: member.departmentId,
    actor,
    action: 'member.removed',
    subject: member.email,
    before: { email: member.email, role: member.role },
  };
  const theirs = <T extends typeof consoleSessions | typeof signInLinks>(table: T) =>
    and(eq(table.departmentId, member.departmentId), eq(table.email, member.email), stillRemovable);
  const [, , , removed] = await db.batch([
    db
      .update(consoleSessions)
      .set({ endedAt: at })
      .where(and(theirs(consoleSessions), isNull(consoleSessions.endedAt))),
    db
      .update(signInLinks)
      .set({ usedAt: at })
      .where(and(theirs(signInLinks), isNull(signInLinks.usedAt))),
    auditEntryWhen(db, entry, stillRemovable, now),
    db.delete(members).where(removable).returning(),
  ]);
  return removed[0];
}
