import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { CallAnalytics } from '@/lib/history/analytics';
import { MAX_ANALYTICS_DAYS } from '@/lib/history/call-analytics-schema';
import { createLocalClock, dayName, localDayOf, startOfLocalDay, type LocalClock } from '@/lib/history/local-clock';
import { tAnalytics } from '@/lib/i18n/analytics-messages';
import { currentLocale } from '@/lib/i18n/i18n';
import { RemoteError } from '@/lib/messaging/protocol';
import { formatDuration } from '@/lib/panel/format-duration';
import type { PanelClient } from '@/lib/panel/phone-model';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('analytics');
const DAY_MS = 86_400_000;

/** What the analytics view needs from the background. */
export type AnalyticsClient = Pick<PanelClient, 'getAnalytics'>;

/** The periods offered; `custom` takes two dates. */
export const RANGE_PRESETS = ['today', 'yesterday', 'last7', 'last30', 'thisMonth', 'lastMonth', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export interface AnalyticsModelOptions {
  client: AnalyticsClient;
  /**
   * The ids of recently finished calls (the phone snapshot's `recent`); the figures are asked again
   * when they change, so a call that just ended is counted.
   */
  recent: ReadonlySignal<readonly { id: string }[]>;
  /** IANA zone days and hours are counted in. @defaultValue the browser's time zone */
  timeZone?: string;
  /** @defaultValue `Date.now` */
  clock?: () => number;
}

/** A range of instants, `[from, to)`, or why the dates typed do not make one. */
export type RangeChoice = { ok: true; from: number; to: number } | { ok: false; error: string };

/** One key figure. */
export interface KpiTile {
  /** Stable name; the tile's test id is `analytics-kpi-<id>`. */
  id: string;
  label: string;
  /** Formatted for the locale. */
  value: string;
  /** The figure unformatted (a count, a share 0–1, or milliseconds); absent when there is none. */
  raw?: number;
  hint?: string;
}

/** The series of one chart, one value per x position. */
export interface ChartView {
  /** Labels of the x positions. */
  labels: string[];
  /** Whole counts (integer ticks) or minutes (fractions). */
  unit: 'count' | 'minutes';
  series: { label: string; values: number[]; tone: 'answered' | 'missed' | 'neutral' }[];
}

/** One number of a top list. */
export interface TopNumberView {
  numberKey: string;
  /** Name when known, else the number. */
  label: string;
  /** The number under the name, when a name is shown. */
  detail?: string;
  /** Calls or talk time, formatted. */
  value: string;
}

/** Everything the view shows of one answer. */
export interface AnalyticsView {
  empty: boolean;
  tiles: KpiTile[];
  perDay: ChartView;
  perHour: ChartView;
  talkPerDay: ChartView;
  topByCalls: TopNumberView[];
  topByTalk: TopNumberView[];
}

/**
 * The side panel's call analytics: a period (a preset or two dates), the figures the background
 * counts for it (`getAnalytics`), and those figures formatted for the view. Days are the panel's
 * local days.
 */
export class AnalyticsModel {
  readonly preset = signal<RangePreset>('today');
  /** The custom dates as typed, `YYYY-MM-DD`. */
  readonly customFrom = signal('');
  readonly customTo = signal('');
  readonly result = signal<CallAnalytics | undefined>(undefined);
  readonly loading = signal(false);
  readonly error = signal<string | undefined>(undefined);

  private readonly client: AnalyticsClient;
  private readonly recent: ReadonlySignal<readonly { id: string }[]>;
  private readonly timeZone: string;
  private readonly localClock: LocalClock;
  private readonly clock: () => number;
  /** Bumped by every request, so an older answer never overwrites a newer one. */
  private generation = 0;
  private stop: (() => void) | undefined;

  constructor(options: AnalyticsModelOptions) {
    this.client = options.client;
    this.recent = options.recent;
    this.timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    this.localClock = createLocalClock(this.timeZone);
    this.clock = options.clock ?? Date.now;
  }

  /** The period chosen, as instants; or why the custom dates are not one. */
  readonly range: ReadonlySignal<RangeChoice> = computed(() =>
    this.rangeOf(this.preset.value, this.customFrom.value, this.customTo.value),
  );

  readonly view: ReadonlySignal<AnalyticsView | undefined> = computed(() => {
    const result = this.result.value;
    return result && toView(result);
  });

  /** Asks for the figures now, and again whenever the period changes or a call ends. */
  start(): void {
    this.dispose();
    this.stop = effect(() => {
      const range = this.range.value;
      // Read only to be asked again when a call ends (the list of recent calls changes).
      void this.recent.value;
      if (range.ok) void this.load(range.from, range.to);
    });
  }

  dispose(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** Chooses a period; choosing "custom" starts from the dates of the period shown so far. */
  choosePreset(preset: RangePreset): void {
    if (preset === this.preset.value) return;
    batch(() => {
      if (preset === 'custom') {
        const shown = this.range.value;
        if (shown.ok) {
          this.customFrom.value = dayName(localDayOf(this.localClock, shown.from));
          this.customTo.value = dayName(localDayOf(this.localClock, shown.to - 1));
        }
      }
      this.preset.value = preset;
    });
  }

  setCustomFrom(value: string): void {
    this.customFrom.value = value;
  }

  setCustomTo(value: string): void {
    this.customTo.value = value;
  }

  private async load(from: number, to: number): Promise<void> {
    const generation = ++this.generation;
    batch(() => {
      this.loading.value = true;
      this.error.value = undefined;
    });
    try {
      const result = await this.client.getAnalytics({ from, to, timeZone: this.timeZone });
      if (generation === this.generation) this.result.value = result;
    } catch (error) {
      if (generation !== this.generation) return;
      log.warn('getAnalytics failed', error);
      // A RemoteError carries the background's worded reason; anything else is the link failing.
      const message = error instanceof RemoteError || error instanceof Error ? error.message : String(error);
      this.error.value = tAnalytics('view.error', { message });
      // Figures of another period must not stay on screen under this one's title.
      this.result.value = undefined;
    } finally {
      if (generation === this.generation) this.loading.value = false;
    }
  }

  private rangeOf(preset: RangePreset, customFrom: string, customTo: string): RangeChoice {
    const clock = this.localClock;
    const days = (first: number, last: number): RangeChoice => ({
      ok: true,
      from: startOfLocalDay(clock, first),
      to: startOfLocalDay(clock, last + 1),
    });
    const today = localDayOf(clock, this.clock());
    const [year, month] = dayName(today).split('-').map(Number) as [number, number];
    const monthStart = Date.UTC(year, month - 1, 1) / DAY_MS;
    switch (preset) {
      case 'today':
        return days(today, today);
      case 'yesterday':
        return days(today - 1, today - 1);
      case 'last7':
        return days(today - 6, today);
      case 'last30':
        return days(today - 29, today);
      case 'thisMonth':
        return days(monthStart, today);
      case 'lastMonth':
        return days(Date.UTC(year, month - 2, 1) / DAY_MS, monthStart - 1);
      case 'custom': {
        const first = dayNumberOf(customFrom);
        const last = dayNumberOf(customTo);
        if (first === undefined || last === undefined) return { ok: false, error: tAnalytics('range.missing') };
        if (first > last) return { ok: false, error: tAnalytics('range.order') };
        if (last - first + 1 > MAX_ANALYTICS_DAYS) {
          return { ok: false, error: tAnalytics('range.tooLong', { days: formatCount(MAX_ANALYTICS_DAYS) }) };
        }
        return days(first, last);
      }
    }
  }
}

/** The day number of a `YYYY-MM-DD` date input, or `undefined` if it is not a real date. */
function dayNumberOf(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const at = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(at) || dayName(at / DAY_MS) !== value ? undefined : at / DAY_MS;
}

function toView(result: CallAnalytics): AnalyticsView {
  const { callbacks } = result;
  const duration = (ms: number | undefined): Pick<KpiTile, 'value' | 'raw'> =>
    ms === undefined ? { value: tAnalytics('kpi.none') } : { value: formatLongDuration(ms), raw: ms };
  const count = (value: number): Pick<KpiTile, 'value' | 'raw'> => ({ value: formatCount(value), raw: value });
  const rate = result.calls > 0 ? result.answered / result.calls : undefined;
  const tiles: KpiTile[] = [
    { id: 'calls', label: tAnalytics('kpi.calls'), ...count(result.calls) },
    { id: 'inbound', label: tAnalytics('kpi.inbound'), ...count(result.inbound) },
    { id: 'outbound', label: tAnalytics('kpi.outbound'), ...count(result.outbound) },
    { id: 'answered', label: tAnalytics('kpi.answered'), ...count(result.answered) },
    { id: 'missed', label: tAnalytics('kpi.missed'), ...count(result.missed) },
    {
      id: 'answer-rate',
      label: tAnalytics('kpi.answerRate'),
      hint: tAnalytics('kpi.answerRateHint'),
      ...(rate === undefined
        ? { value: tAnalytics('kpi.none') }
        : { value: new Intl.NumberFormat(currentLocale(), { style: 'percent' }).format(rate), raw: rate }),
    },
    { id: 'average-ring', label: tAnalytics('kpi.averageRing'), ...duration(result.averageRingMs) },
    { id: 'average-talk', label: tAnalytics('kpi.averageTalk'), ...duration(result.averageTalkMs) },
    { id: 'total-talk', label: tAnalytics('kpi.totalTalk'), ...duration(result.talkMs) },
    { id: 'callback-average', label: tAnalytics('kpi.callbackAverage'), hint: tAnalytics('kpi.callbackHint'), ...duration(callbacks.averageMs) },
    { id: 'callback-worst', label: tAnalytics('kpi.callbackWorst'), hint: tAnalytics('kpi.callbackHint'), ...duration(callbacks.worstMs) },
    { id: 'never-called-back', label: tAnalytics('kpi.neverCalledBack'), ...count(callbacks.neverCalledBack) },
  ];
  const dayLabel = new Intl.DateTimeFormat(currentLocale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const labels = result.byDay.map((day) => dayLabel.format(Date.parse(`${day.day}T00:00:00Z`)));
  const top = (list: CallAnalytics['topByCalls'], value: (n: CallAnalytics['topByCalls'][number]) => string): TopNumberView[] =>
    list.map((n) => ({
      numberKey: n.numberKey,
      label: n.name ?? n.numberKey,
      ...(n.name && n.name !== n.numberKey ? { detail: n.numberKey } : {}),
      value: value(n),
    }));
  return {
    empty: result.calls === 0,
    tiles,
    perDay: {
      labels,
      unit: 'count',
      series: [
        { label: tAnalytics('chart.answered'), values: result.byDay.map((d) => d.answered), tone: 'answered' },
        { label: tAnalytics('chart.missed'), values: result.byDay.map((d) => d.missed), tone: 'missed' },
      ],
    },
    perHour: {
      labels: result.byHour.map((h) => String(h.hour).padStart(2, '0')),
      unit: 'count',
      series: [{ label: tAnalytics('chart.calls'), values: result.byHour.map((h) => h.calls), tone: 'neutral' }],
    },
    talkPerDay: {
      labels,
      unit: 'minutes',
      series: [
        {
          label: tAnalytics('chart.talkMinutes'),
          // To the second: a short day's talk must not round to nothing.
          values: result.byDay.map((d) => Math.round(d.talkMs / 1_000) / 60),
          tone: 'answered',
        },
      ],
    },
    topByCalls: top(result.topByCalls, (n) => formatCount(n.calls)),
    topByTalk: top(result.topByTalk, (n) => formatLongDuration(n.talkMs)),
  };
}

function formatCount(value: number): string {
  return new Intl.NumberFormat(currentLocale()).format(value);
}

/** `mm:ss` or `hh:mm:ss`, and whole days in words beyond a day (a callback can take days). */
export function formatLongDuration(ms: number): string {
  if (ms < DAY_MS) return formatDuration(ms);
  const days = Math.floor(ms / DAY_MS);
  return tAnalytics('duration.days', { days: formatCount(days), time: formatDuration(ms - days * DAY_MS) });
}
