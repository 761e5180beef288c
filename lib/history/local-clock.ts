const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Reads instants as calendar days and hours of one time zone. */
export interface LocalClock {
  readonly timeZone: string;
  /**
   * `at` (epoch ms) shifted by the zone's offset: its UTC fields are the local wall time. Whole
   * local days are `Math.floor(local / 86_400_000)`, for fast bucketing.
   */
  local(at: number): number;
  /** The local calendar day of `at`, as `YYYY-MM-DD`. */
  day(at: number): string;
  /** The local hour of day of `at`, 0–23. */
  hour(at: number): number;
}

/**
 * A {@link LocalClock} for an IANA time zone (`Europe/Moscow`, `UTC`).
 *
 * `Intl.DateTimeFormat` costs microseconds per call, too slow for 100,000 rows: the zone's offset
 * is looked up twice per UTC day (and per hour on days with a transition) and cached; the last day
 * is kept apart, since rows come in time order. Transitions fall on whole UTC hours in all but a
 * few zones.
 *
 * @throws RangeError for an unknown time zone.
 */
export function createLocalClock(timeZone: string): LocalClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const offsetAt = (at: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(at)) parts[part.type] = Number(part.value);
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!) - at;
  };
  // Per UTC day: one offset when the first and last hour agree (no transition that day), else one
  // per hour.
  const days = new Map<number, number | number[]>();
  const offsetsOfDay = (dayStart: number): number | number[] => {
    let offsets = days.get(dayStart);
    if (offsets === undefined) {
      const first = offsetAt(dayStart);
      offsets =
        first === offsetAt(dayStart + 23 * HOUR_MS)
          ? first
          : Array.from({ length: 24 }, (_, hour) => offsetAt(dayStart + hour * HOUR_MS));
      days.set(dayStart, offsets);
    }
    return offsets;
  };
  let lastDay = Number.NaN;
  let lastOffsets: number | number[] = 0;
  const local = (at: number): number => {
    const dayStart = Math.floor(at / DAY_MS) * DAY_MS;
    if (dayStart !== lastDay) {
      lastOffsets = offsetsOfDay(dayStart);
      lastDay = dayStart;
    }
    return at + (typeof lastOffsets === 'number' ? lastOffsets : lastOffsets[Math.floor((at - dayStart) / HOUR_MS)]!);
  };

  return {
    timeZone,
    local,
    day: (at) => dayName(Math.floor(local(at) / DAY_MS)),
    hour: (at) => ((Math.floor(local(at) / HOUR_MS) % 24) + 24) % 24,
  };
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function dayName(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The local day (days since 1970-01-01 in the clock's zone) that `at` (epoch ms) falls on. */
export function localDayOf(clock: LocalClock, at: number): number {
  return Math.floor(clock.local(at) / DAY_MS);
}

/**
 * The first instant (epoch ms) of local day `day` (days since 1970-01-01 in the clock's zone):
 * local midnight, or the first moment after it where a transition skips midnight (e.g.
 * `America/Santiago` springs forward at 00:00). Found by bisection around the instant the zone's
 * offset suggests, so it needs nothing but {@link LocalClock.local}.
 */
export function startOfLocalDay(clock: LocalClock, day: number): number {
  const midnight = day * DAY_MS;
  let guess = midnight - (clock.local(midnight) - midnight);
  guess = midnight - (clock.local(guess) - guess);
  // Invariant: `low` lies before the day, `high` in it or after. Offsets move by hours at most.
  let low = guess - 3 * HOUR_MS;
  let high = guess + 3 * HOUR_MS;
  while (localDayOf(clock, low) >= day) low -= 3 * HOUR_MS;
  while (localDayOf(clock, high) < day) high += 3 * HOUR_MS;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (localDayOf(clock, middle) >= day) high = middle;
    else low = middle;
  }
  return high;
}
