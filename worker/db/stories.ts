/** Queries for published stories and a service's summary: what anyone may read. */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { answers, feedback } from './schema';

/** One page of a service's published stories, newest first, each with its answers; never a test. */
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
        eq(feedback.test, false),
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

/** The middle value of some numbers, or null for none: what the summary's SQL median must agree with. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A service's stories added up by D1: the counts and sums a summary is made of, not the rows. */
interface ServiceTotals {
  service: string;
  stories: number;
  average: number | null;
  /** Stories with at least one answer. */
  answered: number;
  answers: number;
  changed: number;
  /** The median, over answered stories, of the milliseconds from a story to its first answer. */
  median_ms: number | null;
}

/** What a service's stories add up to, as the public and the console read it. */
export interface ServiceSummary {
  stories: number;
  average_rating: number | null;
  share_answered: number | null;
  share_changed: number | null;
  median_hours_to_answer: number | null;
}

const tenths = (value: number) => Math.round(value * 10) / 10;

/**
 * A summary from a service's totals: the average rating, the share answered, the share of answers
 * that led to a change, and the median time from a story to its first answer.
 */
function summarise(totals: ServiceTotals | undefined): ServiceSummary {
  const stories = totals?.stories ?? 0;
  const answers = totals?.answers ?? 0;
  return {
    stories,
    average_rating: totals?.average == null ? null : tenths(totals.average),
    share_answered: stories ? (totals?.answered ?? 0) / stories : null,
    share_changed: answers ? (totals?.changed ?? 0) / answers : null,
    median_hours_to_answer: totals?.median_ms == null ? null : tenths(totals.median_ms / 3_600_000),
  };
}

/**
 * One statement that adds up each of some services' stories (published or not, tests never) inside D1: one row
 * a service leaves it, not a row a story. The median is the middle one or two of the answered
 * stories' times to a first answer, ranked by a window function within each service. Times are
 * whole milliseconds: julianday() keeps them to well under one, and round() makes them exact.
 */
function totalsQuery(serviceIds: string[]) {
  return sql`
    WITH chosen AS (
      SELECT id, service_id AS service, rating, created_at FROM feedback
      WHERE ${inArray(feedback.serviceId, serviceIds)} AND ${eq(feedback.test, false)}
    ),
    answered AS (
      SELECT chosen.service, count(*) AS answer_count, sum(answers.changed) AS changed_count,
        round((julianday(min(answers.created_at)) - julianday(chosen.created_at)) * 86400000) AS ms
      FROM answers JOIN chosen ON chosen.id = answers.feedback_id
      GROUP BY chosen.id
    ),
    ranked AS (
      SELECT service, answer_count, changed_count, ms,
        row_number() OVER (PARTITION BY service ORDER BY ms) AS position,
        count(*) OVER (PARTITION BY service) AS total
      FROM answered
    )
    SELECT totals.service, totals.stories, totals.average,
      coalesce(replies.answered, 0) AS answered, coalesce(replies.answers, 0) AS answers,
      coalesce(replies.changed, 0) AS changed, replies.median_ms
    FROM (SELECT service, count(*) AS stories, avg(rating) AS average FROM chosen GROUP BY service) AS totals
    LEFT JOIN (
      SELECT service, count(*) AS answered, sum(answer_count) AS answers, sum(changed_count) AS changed,
        avg(CASE WHEN position IN ((total + 1) / 2, (total + 2) / 2) THEN ms END) AS median_ms
      FROM ranked GROUP BY service
    ) AS replies USING (service)`;
}

/** What each of some services' stories add up to (over all of them, published or not), in one round trip. */
export async function serviceSummaries(db: Db, serviceIds: string[]) {
  if (!serviceIds.length) return new Map<string, ServiceSummary>();
  const totals = await db.all<ServiceTotals>(totalsQuery(serviceIds));
  return new Map(serviceIds.map((id) => [id, summarise(totals.find((row) => row.service === id))]));
}

/** What one service's stories add up to. */
export async function serviceSummary(db: Db, serviceId: string) {
  return (await serviceSummaries(db, [serviceId])).get(serviceId) ?? summarise(undefined);
}

/** The newest tests sent from the console's preview of a service: the only place they are shown. */
export const testStoriesOf = (db: Db, serviceId: string, limit: number) =>
  db
    .select({
      id: feedback.id,
      rating: feedback.rating,
      story: feedback.story,
      locale: feedback.locale,
      createdAt: feedback.createdAt,
    })
    .from(feedback)
    .where(and(eq(feedback.serviceId, serviceId), eq(feedback.test, true)))
    .orderBy(desc(feedback.id))
    .limit(limit);
