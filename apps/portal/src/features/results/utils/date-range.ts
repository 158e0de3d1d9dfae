export type DayRange = { from: string; to: string };

const DAY_MS = 86_400_000;
export const MAX_RANGE_DAYS = 366;

const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` UTC days up to and including today. */
export function lastDays(days: number, now = new Date()): DayRange {
  const today = Date.parse(toDay(now.getTime()));
  return { from: toDay(today - (days - 1) * DAY_MS), to: toDay(today) };
}

/** What is wrong with a range typed by the partner, in a sentence, or null when it is fine. */
export function checkRange(range: { from: string; to: string }): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(range.from) || !/^\d{4}-\d{2}-\d{2}$/.test(range.to)) return 'Choose both a start and an end date.';
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
  if (Number.isNaN(days)) return 'Choose both a start and an end date.';
  if (days < 1) return 'The start date must be on or before the end date.';
  if (days > MAX_RANGE_DAYS) return `Choose a range of at most ${MAX_RANGE_DAYS} days.`;
  return null;
}
