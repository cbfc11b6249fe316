/** Moments as people in the UK read them in an email: Europe/London time, British Summer Time included. */

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
});

function londonParts(moment: string | number | Date) {
  const parts = Object.fromEntries(LONDON.formatToParts(new Date(moment)).map((p) => [p.type, p.value]));
  return {
    date: `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`,
    hour: Number(parts.hour),
    minute: parts.minute,
  };
}

/** The day in London: "Monday 30 November 2026". */
export const ukDate = (moment: string | number | Date) => londonParts(moment).date;

/** The day and time in London: "Monday 30 November 2026 at 2:51am"; noon is 12:00pm, midnight 12:00am. */
export function ukDateTime(moment: string | number | Date): string {
  const { date, hour, minute } = londonParts(moment);
  // The 12-hour clock is written here, not left to the locale: ICU's "am" varies by version.
  return `${date} at ${hour % 12 || 12}:${minute}${hour < 12 ? 'am' : 'pm'}`;
}
