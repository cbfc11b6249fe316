/** The webhook events Tellus sends, as departments' systems receive them. */
import type { Severity } from '../../shared';

export interface StoryContext {
  feedback: {
    id: string;
    rating: number;
    story: string | null;
    severity: Severity;
    page: string | null;
    locale: string;
    createdAt: string;
  };
  service: { id: string; name: string };
  department: { id: string; name: string };
}

/** The body of a `feedback.created` event. */
export function feedbackCreatedEvent({ feedback, service, department }: StoryContext, now: number) {
  return {
    type: 'feedback.created' as const,
    timestamp: new Date(now).toISOString(),
    data: {
      id: feedback.id,
      service,
      department,
      rating: feedback.rating,
      story: feedback.story,
      severity: feedback.severity,
      page: feedback.page,
      locale: feedback.locale,
      created_at: feedback.createdAt,
    },
  };
}

/** A department's public answer, as a `feedback.answered` event carries it. */
export interface AnswerContext {
  id: string;
  text: string;
  changed: boolean;
  change: string | null;
  createdAt: string;
}

/** The body of a `feedback.answered` event: the story, and the department's answer to it. */
export function feedbackAnsweredEvent(context: StoryContext, answer: AnswerContext, now: number) {
  const { data } = feedbackCreatedEvent(context, now);
  return {
    type: 'feedback.answered' as const,
    timestamp: new Date(now).toISOString(),
    data: {
      ...data,
      answer: {
        id: answer.id,
        text: answer.text,
        changed: answer.changed,
        change: answer.change,
        created_at: answer.createdAt,
      },
    },
  };
}

/** The body of a `tellus.test` event, which operators send to check a subscription. */
export function testEvent(subscriptionId: string, now: number) {
  return {
    type: 'tellus.test' as const,
    timestamp: new Date(now).toISOString(),
    data: { subscription: subscriptionId, message: 'This is a test event from Tellus.' },
  };
}
