// The cron under `npm start`: wrangler dev does not fire cron triggers by itself, so once a minute
// this asks it to, at /cdn-cgi/handler/scheduled (as wrangler documents for local development).
// The worker's scheduled handler then sends due digests, re-sends due deliveries and applies retention.

/** The cron expression in wrangler.toml's [triggers]. */
export const CRON = '* * * * *';

/** Runs the worker's scheduled handler once; true when it finished without an exception. */
export async function runScheduled(origin: string, cron = CRON): Promise<boolean> {
  const url = new URL('/cdn-cgi/handler/scheduled', origin);
  url.searchParams.set('cron', cron);
  try {
    const res = await fetch(url);
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Runs the scheduled handler every `everyMs`, printing a line each time; returns how to stop. */
export function startCron({
  origin,
  everyMs = 60_000,
  print = console.log,
}: {
  origin: string;
  everyMs?: number;
  print?: (line: string) => void;
}) {
  const tick = async () => {
    const at = new Date().toISOString().slice(11, 16);
    const ok = await runScheduled(origin);
    print(
      ok
        ? `[cron] ${at} UTC: the minute's work ran (due digests, the re-send sweep, retention)`
        : `[cron] ${at} UTC: the worker did not run its scheduled work (is it still starting?)`,
    );
  };
  const timer = setInterval(tick, everyMs);
  return { stop: () => clearInterval(timer) };
}
