/** Queries for answers by email: which story a reply is about, and whether a message was taken before. */
import { and, eq } from 'drizzle-orm';
import type { Db } from './client';
import { departments, emailReplies, feedback, services } from './schema';

/** The story a reply names, with what the reply's checks and its confirmation need; none for a test. */
export const storyOfReply = (db: Db, storyId: string) =>
  db
    .select({
      id: feedback.id,
      departmentId: departments.id,
      departmentName: departments.name,
      serviceName: services.name,
    })
    .from(feedback)
    .innerJoin(services, eq(services.id, feedback.serviceId))
    .innerJoin(departments, eq(departments.id, services.departmentId))
    .where(and(eq(feedback.id, storyId), eq(feedback.test, false)))
    .get();

/** Whether the message with this `Message-ID` hash was already stored as an answer. */
export async function replyTaken(db: Db, messageIdHash: string): Promise<boolean> {
  const row = await db
    .select({ hash: emailReplies.messageIdHash })
    .from(emailReplies)
    .where(eq(emailReplies.messageIdHash, messageIdHash))
    .get();
  return row !== undefined;
}
