import { CallOutcomeSchema, type CallOutcome, type CallRecord } from '@/lib/db/call-record';
import { HOUR_FIELDS, type DayCounts, type DayTotalsRecord } from '@/lib/db/day-totals-record';
import type { AnalyticsOptions, CallAnalytics, NumberStats } from '@/lib/history/analytics';
import { dayName, localDayOf, startOfLocalDay, type LocalClock } from '@/lib/history/local-clock';

const HOUR_MS = 3_600_000;
const DEFAULT_TOP = 10;

/** One local day as a span of instants: `[start, end)`. */
export interface DaySpan {
  /** Days since 1970-01-01 in the clock's zone. */
  day: number;
  start: number;
  end: number;
}

/** The spans of local days `firstDay` to `lastDay` (both included), in order. */
export function daySpans(clock: LocalClock, firstDay: number, lastDay: number): DaySpan[] {
  const spans: DaySpan[] = [];
  let start = startOfLocalDay(clock, firstDay);
  for (let day = firstDay; day <= lastDay; day += 1) {
    const end = startOfLocalDay(clock, day + 1);
    spans.push({ day, start, end });
    start = end;
  }
  return spans;
}

/**
 * The {@link DayTotalsRecord} of every day of `spans` (consecutive days, oldest first) over
 * `calls`, which must be the calls that started within the spans, in start order (as the
 * `startedAt` index or the time-ordered ids give them). Calls in progress are not counted.
 *
 * Callback delays come from each missed call's `callbackAt`, which the journal links when the
 * callback is written (`callback-linking.ts`): so a day's row needs no look at later days, and
 * `analyzeCalls`, which also looks at the outbound calls among its rows, agrees with it.
 */
export function buildDayTotals(calls: readonly CallRecord[], clock: LocalClock, spans: readonly DaySpan[]): DayTotalsRecord[] {
  const builders = spans.map((span) => new DayBuilder(span, clock.timeZone));
  const first = spans[0]?.day ?? 0;
  for (const call of calls) {
    if (call.outcome === undefined) continue;
    const local = clock.local(call.startedAt);
    // Outside the spans only in a zone whose clocks go back across midnight: such a call has no day here.
    builders[localDayOf(clock, call.startedAt) - first]?.add(call, call.outcome, Math.floor(local / HOUR_MS) % 24);
  }
  return builders.map((builder) => builder.record);
}

/**
 * Analytics of a range from the totals of its days: `rows` must cover every local day of
 * `[options.from, options.to)` in order (whole days from the database, the partial days at the
 * edges built from their calls). Gives what `analyzeCalls` gives over the same calls.
 */
export function mergeDayTotals(rows: readonly DayTotalsRecord[], options: AnalyticsOptions): CallAnalytics {
  const totals = emptyCounts();
  const outcomes = emptyOutcomes();
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, ...emptyCounts() }));
  const numbers = new Map<string, NumberStats>();
  let ringSum = 0;
  let ringCount = 0;
  let calledBack = 0;
  let callbackSum = 0;
  let callbackWorst = 0;

  for (const row of rows) {
    addCounts(totals, row.totals);
    for (const outcome of CallOutcomeSchema.options) outcomes[outcome] += row.outcomes[outcome];
    for (let hour = 0; hour < 24; hour += 1) {
      const stats = hours[hour]!;
      HOUR_FIELDS.forEach((field, i) => {
        stats[field] += row.hours[hour * HOUR_FIELDS.length + i]!;
      });
    }
    ringSum += row.ringSumMs;
    ringCount += row.ringCount;
    calledBack += row.callbacks.calledBack;
    callbackSum += row.callbacks.sumMs;
    callbackWorst = Math.max(callbackWorst, row.callbacks.worstMs);
    const { keys, calls, talkMs, names } = row.numbers;
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[i]!;
      let stats = numbers.get(key);
      if (!stats) numbers.set(key, (stats = { numberKey: key, calls: 0, talkMs: 0 }));
      stats.calls += calls[i]!;
      stats.talkMs += talkMs[i]!;
      // Rows come oldest first: a later day's name replaces an earlier one, as the latest call's would.
      if (names[i]) stats.name = names[i];
    }
  }

  const top = options.top ?? DEFAULT_TOP;
  const ranked = [...numbers.values()];
  const byKey = (a: NumberStats, b: NumberStats): number => (a.numberKey < b.numberKey ? -1 : 1);
  return {
    from: options.from,
    to: options.to,
    timeZone: options.timeZone,
    ...totals,
    outcomes,
    ...(ringCount > 0 ? { averageRingMs: Math.round(ringSum / ringCount) } : {}),
    ...(totals.answered > 0 ? { averageTalkMs: Math.round(totals.talkMs / totals.answered) } : {}),
    byDay: rows.map((row) => ({ day: row.id, ...row.totals })),
    byHour: hours,
    callbacks: {
      missed: totals.missed,
      calledBack,
      neverCalledBack: totals.missed - calledBack,
      ...(calledBack > 0 ? { averageMs: Math.round(callbackSum / calledBack), worstMs: callbackWorst } : {}),
    },
    topByCalls: [...ranked].sort((a, b) => b.calls - a.calls || b.talkMs - a.talkMs || byKey(a, b)).slice(0, top),
    topByTalk: ranked
      .filter((stats) => stats.talkMs > 0)
      .sort((a, b) => b.talkMs - a.talkMs || b.calls - a.calls || byKey(a, b))
      .slice(0, top),
  };
}

/** Collects one day's totals call by call. */
class DayBuilder {
  readonly record: DayTotalsRecord;
  private readonly index = new Map<string, number>();
  private readonly nameAt: number[] = [];

  constructor(span: DaySpan, timeZone: string) {
    this.record = {
      id: dayName(span.day),
      timeZone,
      start: span.start,
      end: span.end,
      totals: emptyCounts(),
      outcomes: emptyOutcomes(),
      ringSumMs: 0,
      ringCount: 0,
      hours: new Array<number>(24 * HOUR_FIELDS.length).fill(0),
      callbacks: { calledBack: 0, sumMs: 0, worstMs: 0 },
      numbers: { keys: [], calls: [], talkMs: [], names: [] },
    };
  }

  add(call: CallRecord, outcome: CallOutcome, hour: number): void {
    const row = this.record;
    const talkMs = call.talkMs ?? 0;
    const answered = call.answeredAt !== undefined;
    countCall(row.totals, call.direction, answered, outcome, talkMs);
    const base = hour * HOUR_FIELDS.length;
    bump(row.hours, base, 1);
    bump(row.hours, base + (call.direction === 'inbound' ? 1 : 2), 1);
    if (answered) bump(row.hours, base + 3, 1);
    if (outcome === 'missed') bump(row.hours, base + 4, 1);
    bump(row.hours, base + 5, talkMs);
    row.outcomes[outcome] += 1;
    if (answered && call.ringMs !== undefined) {
      row.ringSumMs += call.ringMs;
      row.ringCount += 1;
    }
    if (outcome === 'missed' && call.callbackAt !== undefined) {
      const delay = Math.max(0, call.callbackAt - (call.endedAt ?? call.startedAt));
      row.callbacks.calledBack += 1;
      row.callbacks.sumMs += delay;
      row.callbacks.worstMs = Math.max(row.callbacks.worstMs, delay);
    }
    const numbers = row.numbers;
    let i = this.index.get(call.numberKey);
    if (i === undefined) {
      i = numbers.keys.push(call.numberKey) - 1;
      numbers.calls.push(0);
      numbers.talkMs.push(0);
      numbers.names.push('');
      this.nameAt.push(-Infinity);
      this.index.set(call.numberKey, i);
    }
    bump(numbers.calls, i, 1);
    bump(numbers.talkMs, i, talkMs);
    if (call.remoteName && call.startedAt >= this.nameAt[i]!) {
      numbers.names[i] = call.remoteName;
      this.nameAt[i] = call.startedAt;
    }
  }
}

function bump(values: number[], index: number, by: number): void {
  values[index] = (values[index] ?? 0) + by;
}

function emptyCounts(): DayCounts {
  return { calls: 0, inbound: 0, outbound: 0, answered: 0, missed: 0, talkMs: 0 };
}

function emptyOutcomes(): Record<CallOutcome, number> {
  return Object.fromEntries(CallOutcomeSchema.options.map((outcome) => [outcome, 0])) as Record<CallOutcome, number>;
}

function countCall(counts: DayCounts, direction: CallRecord['direction'], answered: boolean, outcome: CallOutcome, talkMs: number): void {
  counts.calls += 1;
  counts[direction] += 1;
  if (answered) counts.answered += 1;
  if (outcome === 'missed') counts.missed += 1;
  counts.talkMs += talkMs;
}

function addCounts(into: DayCounts, counts: DayCounts): void {
  into.calls += counts.calls;
  into.inbound += counts.inbound;
  into.outbound += counts.outbound;
  into.answered += counts.answered;
  into.missed += counts.missed;
  into.talkMs += counts.talkMs;
}
