/**
 * What a department may do with its subscriptions, and how many it may have: the same rules
 * whether it acts in the console or an operator acts for it through the API.
 */
import type { Subscription } from './db/schema';

/** The most subscriptions a department may have, whichever door adds them: one story fans out to no more. */
export const MAX_SUBSCRIPTIONS_PER_DEPARTMENT = 10;

/** The most test events one subscription gets in a window, whoever sends them. */
export const TESTS_PER_WINDOW = 10;
export const TEST_WINDOW_MS = 3600 * 1000;

type Standing = Pick<Subscription, 'state' | 'disabledBy' | 'disabledAt' | 'testedOkAt'>;

export type Verdict = { may: true } | { may: false; why: string };

/**
 * Whether the department itself may resume a disabled subscription: one it paused, or one that
 * Tellus disabled after failures once a test event has been received since. One an operator
 * disabled only an operator may enable.
 */
export function departmentMayResume(subscription: Standing): Verdict {
  if (subscription.state === 'active') return { may: false, why: 'It is already sending.' };
  if (subscription.disabledBy === 'department') return { may: true };
  if (subscription.disabledBy === 'failures') {
    return testedSinceDisabled(subscription)
      ? { may: true }
      : {
          may: false,
          why: 'Tellus stopped it because its deliveries failed. Send a test: once a test is received, you can resume it.',
        };
  }
  return { may: false, why: 'An operator disabled it. Only your Tellus operator can enable it again.' };
}

const testedSinceDisabled = ({ testedOkAt, disabledAt }: Standing) =>
  testedOkAt !== null && (disabledAt === null || testedOkAt > disabledAt);

/** Whether the department may send test events to it: to any but one an operator disabled. */
export function departmentMayTest(subscription: Standing): Verdict {
  const byOperator =
    subscription.state === 'disabled' &&
    subscription.disabledBy !== 'department' &&
    subscription.disabledBy !== 'failures';
  return byOperator
    ? {
        may: false,
        why: 'An operator disabled it. Only your Tellus operator can test it or enable it again.',
      }
    : { may: true };
}
