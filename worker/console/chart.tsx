/** A small bar chart of ratings per week, drawn as inline SVG on the server: no chart library, no script. */

export interface Week {
  /** The week's Monday, YYYY-MM-DD. */
  week: string;
  stories: number;
  average: number | null;
}

/** The Mondays of the `count` weeks up to and including the one `now` is in, oldest first. */
export function lastWeeks(now: number, count: number): string[] {
  const day = new Date(now);
  day.setUTCHours(0, 0, 0, 0);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return Array.from({ length: count }, (_, i) => {
    const monday = new Date(day);
    monday.setUTCDate(day.getUTCDate() - 7 * (count - 1 - i));
    return monday.toISOString().slice(0, 10);
  });
}

/** Every week of `weeks`, with the measured ones filled in and the quiet ones empty. */
export function fillWeeks(weeks: string[], measured: Week[]): Week[] {
  return weeks.map((week) => measured.find((m) => m.week === week) ?? { week, stories: 0, average: null });
}

const WIDTH = 640;
const HEIGHT = 200;
const TOP = 24;
const BOTTOM = 28;
const shortDay = (week: string) =>
  new Date(`${week}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });

/** Bars of the average rating (out of 5) per week, each labelled with how many stories it is of. */
export function RatingsChart({ id, title, weeks }: { id: string; title: string; weeks: Week[] }) {
  const slot = WIDTH / weeks.length;
  const plot = HEIGHT - TOP - BOTTOM;
  const rated = weeks.filter((w) => w.average !== null);
  return (
    <svg
      class="tellus-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>
        {rated.length
          ? rated
              .map(
                (w) =>
                  `Week of ${shortDay(w.week)}: ${w.stories} stories, average ${w.average?.toFixed(1)} out of 5.`,
              )
              .join(' ')
          : 'No stories in these weeks.'}
      </desc>
      {weeks.map((w, i) => {
        const height = w.average === null ? 0 : (w.average / 5) * plot;
        const x = i * slot + slot * 0.15;
        return (
          <g>
            <rect
              class="tellus-chart__bar"
              x={x}
              y={TOP + plot - height}
              width={slot * 0.7}
              height={height}
            />
            <text
              class="tellus-chart__label"
              x={x + slot * 0.35}
              y={TOP + plot - height - 6}
              text-anchor="middle"
            >
              {w.stories ? String(w.stories) : ''}
            </text>
            <text class="tellus-chart__label" x={x + slot * 0.35} y={HEIGHT - 8} text-anchor="middle">
              {shortDay(w.week)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
