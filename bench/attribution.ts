/**
 * Whose script ran, and in which task: the DevTools sampling profiler's samples laid over the
 * main thread's tasks from a trace of the same load.
 *
 * Why these two and not the long-animation-frame timing: its `scripts` list only names scripts that
 * ran 5 ms or more at a time, and misses work in microtasks (a `fetch` answer, Preact's re-render),
 * so a widget built of many small callbacks would look free. The profiler sees every sample
 * wherever it was taken. A sample is the widget's when one of the widget's scripts is anywhere on
 * its stack, so the DOM and built-in calls it makes (appendChild, JSON.parse) count as its own,
 * while the garbage collector and the browser's own work (style, layout, paint) count for no one.
 * Each sample stands for the time until the next one (as DevTools counts self time). The profiler's
 * timestamps and the trace's are the same monotonic clock (Chromium's TimeTicks, in µs), so a
 * sample falls inside the task that ran it.
 */

/** The parts of a `Profiler.Profile` this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { url: string }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A Chrome trace event, as far as this reads it. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { beginData?: { url?: string } };
}

export interface Task {
  /** Start, µs on the trace clock. */
  ts: number;
  dur: number;
}

/** The sampled moments at which `isWidget(url)` held for some frame on the stack, with their durations. */
export function widgetSamples(profile: CpuProfile, isWidget: (url: string) => boolean) {
  const parent = new Map<number, number>();
  const own = new Map<number, boolean>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
    own.set(node.id, node.callFrame.url !== '' && isWidget(node.callFrame.url));
  }
  const memo = new Map<number, boolean>();
  const onStack = (id: number): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    const result = (own.get(id) ?? false) || (up !== undefined && onStack(up));
    memo.set(id, result);
    return result;
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const times: number[] = [];
  let time = profile.startTime;
  for (const delta of deltas) {
    time += delta;
    times.push(time);
  }
  const hits: { ts: number; dur: number }[] = [];
  for (let i = 0; i < samples.length; i++) {
    const ts = times[i] ?? profile.endTime;
    const dur = (times[i + 1] ?? profile.endTime) - ts;
    if (onStack(samples[i] ?? -1)) hits.push({ ts, dur });
  }
  return hits;
}

/**
 * The top-level tasks of the renderer's main thread that parsed `url`: the `RunTask` events
 * DevTools draws as tasks (a task nested in another, from a nested run loop, belongs to its outer one).
 */
export function mainThreadTasks(events: TraceEvent[], url: string): Task[] {
  const parse = events.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url === url);
  if (!parse) throw new Error(`no ParseHTML of ${url} in the trace`);
  const tasks = events
    .filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === parse.pid && e.tid === parse.tid)
    .map((e) => ({ ts: e.ts, dur: e.dur ?? 0 }))
    .sort((a, b) => a.ts - b.ts);
  const top: Task[] = [];
  for (const task of tasks) {
    const last = top.at(-1);
    if (last && task.ts < last.ts + last.dur) continue;
    top.push(task);
  }
  return top;
}

/** The widget's sampled script time, and the long tasks (at least `longMs`) in which it ran. */
export function attribute(
  profile: CpuProfile,
  tasks: Task[],
  isWidget: (url: string) => boolean,
  longMs: number,
) {
  const hits = widgetSamples(profile, isWidget);
  const ran = (task: Task) => hits.some((hit) => hit.ts >= task.ts && hit.ts < task.ts + task.dur);
  const widgetTasks = tasks.filter(ran);
  const long = widgetTasks.filter((task) => task.dur >= longMs * 1000);
  return {
    scriptMs: hits.reduce((sum, hit) => sum + hit.dur, 0) / 1000,
    longTasks: long.length,
    longestTaskMs: Math.max(0, ...widgetTasks.map((task) => task.dur)) / 1000,
  };
}
