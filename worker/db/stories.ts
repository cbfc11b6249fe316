/** Queries for published stories and a service's summary: what anyone may read. */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { answers, feedback } from './schema';

/** One page of a service's published stories, newest first, each with its answers. */
export async function publishedStories(db: Db, serviceId: string, cursor: string | undefined, limit: number) {
  const rows = await db
    .select({
      id: feedback.id,
      rating: feedback.rating,
      story: feedback.story,
      locale: feedback.locale,
      created_at: feedback.createdAt,
    })
    .from(feedback)
    .where(
      and(
        eq(feedback.serviceId, serviceId),
        eq(feedback.published, true),
        cursor ? lt(feedback.id, cursor) : undefined,
      ),
    )
    .orderBy(desc(feedback.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const given = page.length
    ? await db
        .select()
        .from(answers)
        .where(
          inArray(
            answers.feedbackId,
            page.map((row) => row.id),
          ),
        )
        .orderBy(answers.createdAt)
    : [];
  return {
    stories: page.map((row) => ({
      ...row,
      answers: given
        .filter((answer) => answer.feedbackId === row.id)
        .map(({ text, changed, change, createdAt }) => ({ text, changed, change, created_at: createdAt })),
    })),
    more: rows.length > limit,
  };
}

/** The middle value of some numbers, or null for none. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A story's first answer and its answers' count and changes, as summaries need them. */
interface AnsweredStory {
  service: string;
  firstAnswer: string;
  createdAt: string;
  answers: number;
  changed: number | null;
}

/**
 * What a service's stories add up to, from its totals and its answered stories: the average
 * rating, the share answered, the share of answers that led to a change, and the median time from
 * a story to its first answer.
 */
export function summarise(
  totals: { stories: number; average: number | null } | undefined,
  answered: AnsweredStory[],
) {
  const stories = totals?.stories ?? 0;
  const answerCount = answered.reduce((sum, row) => sum + row.answers, 0);
  const changedCount = answered.reduce((sum, row) => sum + (row.changed ?? 0), 0);
  const hours = median(answered.map((row) => Date.parse(row.firstAnswer) - Date.parse(row.createdAt)));
  return {
    stories,
    average_rating:
      totals?.average === null || totals?.average === undefined ? null : Math.round(totals.average * 10) / 10,
    share_answered: stories ? answered.length / stories : null,
    share_changed: answerCount ? changedCount / answerCount : null,
    median_hours_to_answer: hours === null ? null : Math.round((hours / 3_600_000) * 10) / 10,
  };
}

const answeredStory = {
  service: feedback.serviceId,
  firstAnswer: sql<string>`min(${answers.createdAt})`,
  createdAt: feedback.createdAt,
  answers: sql<number>`count(*)`,
  changed: sql<number>`sum(${answers.changed})`,
};

/** What each of some services' stories add up to (over all of them, published or not), in one round trip. */
export async function serviceSummaries(db: Db, serviceIds: string[]) {
  if (!serviceIds.length) return new Map<string, ReturnType<typeof summarise>>();
  const [totals, answered] = await db.batch([
    db
      .select({
        service: feedback.serviceId,
        stories: sql<number>`count(*)`,
        average: sql<number | null>`avg(${feedback.rating})`,
      })
      .from(feedback)
      .where(inArray(feedback.serviceId, serviceIds))
      .groupBy(feedback.serviceId),
    db
      .select(answeredStory)
      .from(answers)
      .innerJoin(feedback, eq(feedback.id, answers.feedbackId))
      .where(inArray(feedback.serviceId, serviceIds))
      .groupBy(feedback.id),
  ]);
  return new Map(
    serviceIds.map((id) => [
      id,
      summarise(
        totals.find((row) => row.service === id),
        answered.filter((row) => row.service === id),
      ),
    ]),
  );
}

/** What one service's stories add up to. */
export async function serviceSummary(db: Db, serviceId: string) {
  return (await serviceSummaries(db, [serviceId])).get(serviceId) ?? summarise(undefined, []);
}
