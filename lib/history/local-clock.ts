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
