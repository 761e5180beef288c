import { tAnalytics } from '@/lib/i18n/analytics-messages';
import {
  RANGE_PRESETS,
  type AnalyticsView as AnalyticsFigures,
  type RangeChoice,
  type RangePreset,
  type TopNumberView,
} from '@/lib/panel/analytics-model';
import { AnalyticsChart } from '@/components/panel/analytics-chart';
import '@/components/panel/analytics-view.css';

export interface AnalyticsViewProps {
  preset: RangePreset;
  customFrom: string;
  customTo: string;
  range: RangeChoice;
  loading: boolean;
  error?: string;
  /** The figures of the period; absent until the first answer. */
  figures?: AnalyticsFigures;
  onPreset: (preset: RangePreset) => void;
  onCustomFrom: (value: string) => void;
  onCustomTo: (value: string) => void;
  /** Opens the timeline of a number of the top lists. */
  onOpenNumber: (numberKey: string, title: string) => void;
}

const PRESET_LABEL = {
  today: 'range.today',
  yesterday: 'range.yesterday',
  last7: 'range.last7',
  last30: 'range.last30',
  thisMonth: 'range.thisMonth',
  lastMonth: 'range.lastMonth',
  custom: 'range.custom',
} as const satisfies Record<RangePreset, string>;

/** Call analytics of a period: the period picker, key figures, charts and the top numbers. */
export function AnalyticsView(props: AnalyticsViewProps) {
  const { range, figures, error, loading } = props;
  return (
    <section class="analytics" data-testid="analytics" aria-label={tAnalytics('view.title')} aria-busy={loading}>
      <div class="analytics__presets" role="group" aria-label={tAnalytics('range.label')}>
        {RANGE_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            class="button button--small button--toggle"
            data-testid={`analytics-range-${preset}`}
            aria-pressed={props.preset === preset}
            onClick={() => props.onPreset(preset)}
          >
            {tAnalytics(PRESET_LABEL[preset])}
          </button>
        ))}
      </div>
      {props.preset === 'custom' && (
        <div class="analytics__dates">
          <label>
            {tAnalytics('range.from')}
            <input
              type="date"
              data-testid="analytics-from"
              value={props.customFrom}
              aria-invalid={!range.ok}
              onInput={(event) => props.onCustomFrom(event.currentTarget.value)}
            />
          </label>
          <label>
            {tAnalytics('range.to')}
            <input
              type="date"
              data-testid="analytics-to"
              value={props.customTo}
              aria-invalid={!range.ok}
              onInput={(event) => props.onCustomTo(event.currentTarget.value)}
            />
          </label>
        </div>
      )}
      {!range.ok && (
        <p class="error" data-testid="analytics-range-error" role="alert">
          {range.error}
        </p>
      )}
      {error && (
        <p class="error" data-testid="analytics-error" role="alert">
          {error}
        </p>
      )}
      {!figures && loading && <p class="analytics__note">{tAnalytics('view.loading')}</p>}
      {figures && range.ok && <Figures figures={figures} onOpenNumber={props.onOpenNumber} />}
    </section>
  );
}

function Figures({ figures, onOpenNumber }: { figures: AnalyticsFigures; onOpenNumber: AnalyticsViewProps['onOpenNumber'] }) {
  if (figures.empty) {
    return (
      <p class="analytics__note" data-testid="analytics-empty">
        {tAnalytics('view.empty')}
      </p>
    );
  }
  return (
    <>
      <dl class="analytics__tiles" aria-label={tAnalytics('kpi.list')}>
        {figures.tiles.map((tile) => (
          <div
            key={tile.id}
            class="analytics__tile"
            data-testid={`analytics-kpi-${tile.id}`}
            {...(tile.raw === undefined ? {} : { 'data-value': String(tile.raw) })}
            {...(tile.hint ? { title: tile.hint } : {})}
          >
            <dt class="analytics__tile-label">{tile.label}</dt>
            <dd class="analytics__tile-value">{tile.value}</dd>
          </div>
        ))}
      </dl>
      <AnalyticsChart testId="analytics-chart-day" title={tAnalytics('chart.perDay')} chart={figures.perDay} />
      <AnalyticsChart testId="analytics-chart-hour" title={tAnalytics('chart.perHour')} chart={figures.perHour} />
      <AnalyticsChart testId="analytics-chart-talk" title={tAnalytics('chart.talkPerDay')} chart={figures.talkPerDay} />
      <TopList testId="analytics-top-calls" title={tAnalytics('top.byCalls')} rows={figures.topByCalls} onOpen={onOpenNumber} />
      <TopList testId="analytics-top-talk" title={tAnalytics('top.byTalk')} rows={figures.topByTalk} onOpen={onOpenNumber} />
    </>
  );
}

function TopList(props: { testId: string; title: string; rows: TopNumberView[]; onOpen: AnalyticsViewProps['onOpenNumber'] }) {
  if (props.rows.length === 0) return null;
  return (
    <section class="analytics__top" data-testid={props.testId}>
      <h3 class="analytics__top-title">{props.title}</h3>
      <ol class="analytics__top-list">
        {props.rows.map((row) => (
          <li key={row.numberKey} class="analytics__top-row">
            <button
              type="button"
              class="analytics__top-who"
              title={tAnalytics('top.open', { who: row.label })}
              onClick={() => props.onOpen(row.numberKey, row.label)}
            >
              <span class="analytics__top-label">{row.label}</span>
              {row.detail && <span class="analytics__top-detail">{row.detail}</span>}
            </button>
            <span class="analytics__top-value">{row.value}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
