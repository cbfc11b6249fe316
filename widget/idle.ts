/** When the widget does what can wait: never in the tasks that load the host page. */

/** Runs `work` when the page is idle (soon after load, two seconds at most). */
export const idle = (work: () => void) =>
  (window.requestIdleCallback ?? setTimeout)(work, { timeout: 2000 } as never);

/**
 * Runs `work` once, at an idle moment after `target` comes into view, or else `delay` ms from now;
 * returns a function that cancels it.
 */
export function whenSeen(target: Element, delay: number, work: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    stop();
    work();
  };
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) idle(once);
  });
  seen.observe(target);
  const timer = setTimeout(() => idle(once), delay);
  function stop() {
    done = true;
    seen.disconnect();
    clearTimeout(timer);
  }
  return stop;
}
