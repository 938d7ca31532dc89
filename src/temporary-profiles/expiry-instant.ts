const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Date.UTC without its mapping of years 0–99 to 1900–1999. */
function utc(year: number, month: number, day: number, h = 0, m = 0, s = 0): number {
  if (year >= 100) {
    return Date.UTC(year, month, day, h, m, s);
  }
  const d = new Date(Date.UTC(2000, month, day, h, m, s));
  d.setUTCFullYear(year + d.getUTCFullYear() - 2000);
  return d.getTime();
}

/** The wall-clock time of `epochMs` in `timeZone`, expressed as if it were UTC (milliseconds). */
function wallClock(epochMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, p.value]),
  );
  return utc(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** `YYYY-MM-DD` of `instant` in `timeZone`. */
export function dateInZone(instant: Date, timeZone: string): string {
  return new Date(wallClock(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/**
 * The first instant after `date` (YYYY-MM-DD) has ended in `timeZone`: usually local midnight of
 * the next day. Across a DST change at midnight (no midnight, or midnight twice) it is the first
 * instant whose local date is later than `date`, which a fixed offset would get wrong by an hour.
 */
export function endOfDateInZone(date: string, timeZone: string): Date {
  const match = DATE_ONLY.exec(date);
  if (!match) {
    throw new RangeError(`Not a date: ${date}`);
  }
  const nextMidnight = utc(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1);
  const isNextDay = (t: number) => wallClock(t, timeZone) >= nextMidnight;

  // Fast path: the zone's offset at the guess, applied once or twice, lands exactly on midnight.
  let guess = nextMidnight - (wallClock(nextMidnight, timeZone) - nextMidnight);
  guess -= wallClock(guess, timeZone) - nextMidnight;
  if (isNextDay(guess) && !isNextDay(guess - SECOND)) {
    return new Date(guess);
  }
  // Offsets lie within -12 h … +14 h, so the boundary is inside this window; find it to the second.
  let lo = nextMidnight - 15 * HOUR;
  let hi = nextMidnight + 13 * HOUR;
  while (hi - lo > SECOND) {
    const mid = lo + Math.floor((hi - lo) / 2 / SECOND) * SECOND;
    if (isNextDay(mid)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return new Date(hi);
}
