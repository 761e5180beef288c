import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { currentLocale } from '@/lib/i18n/i18n';
import type { ChartView } from '@/lib/panel/analytics-model';

export interface AnalyticsChartProps {
  testId: string;
  title: string;
  chart: ChartView;
  /** @defaultValue 150 */
  height?: number;
}

/** Panel colours by tone (CSS custom properties of panel.css, so dark mode follows). */
const TONE_VARIABLE = { answered: '--ok', missed: '--danger', neutral: '--accent' } as const;
/** Most x labels drawn: the narrow panel has room for about this many. */
const X_SPACING_PX = 44;

/**
 * A bar chart drawn with uPlot: one bar per series at each x position, side by side. The canvas
 * takes the width of its box and is redrawn when the box is resized (the side panel can be dragged
 * wider or narrower).
 */
export function AnalyticsChart({ testId, title, chart, height = 150 }: AnalyticsChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const style = getComputedStyle(element);
    const colour = (tone: keyof typeof TONE_VARIABLE): string =>
      style.getPropertyValue(TONE_VARIABLE[tone]).trim() || '#1a73e8';
    const muted = style.getPropertyValue('--muted').trim() || '#5f6670';
    const line = style.getPropertyValue('--line').trim() || '#dde1e6';
    const count = chart.series.length;
    const x = chart.labels.map((_, i) => i);
    const number = new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 2 });
    const axis = { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 } };
    const plot = new uPlot(
      {
        width: Math.max(120, element.clientWidth),
        height,
        // The legend is drawn below in HTML: uPlot's own shows live values, which need a pointer.
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: {
          x: { time: false, range: [-0.5, Math.max(0.5, chart.labels.length - 0.5)] },
          y: { range: (_self, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          {
            ...axis,
            grid: { show: false },
            space: X_SPACING_PX,
            incrs: [1, 2, 3, 4, 6, 7, 14, 30, 61, 91, 183, 365],
            values: (_self, splits) => splits.map((i) => chart.labels[Math.round(i)] ?? ''),
          },
          {
            ...axis,
            // Room for labels like "0.04" or "1 200" next to the ticks, so none is cut at the left edge.
            size: 52,
            values: (_self, splits) =>
              splits.map((v) => (chart.unit === 'count' && !Number.isInteger(v) ? '' : number.format(v))),
          },
        ],
        series: [
          {},
          ...chart.series.map((series, i) => ({
            label: series.label,
            stroke: colour(series.tone),
            fill: colour(series.tone),
            width: 0,
            paths: uPlot.paths.bars!({
              size: [0.8 / count, 24],
              align: (count === 1 ? 0 : i === 0 ? -1 : 1) as -1 | 0 | 1,
            }),
            points: { show: false },
          })),
        ],
      },
      [x, ...chart.series.map((series) => series.values)],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(120, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [chart, height]);
  return (
    <figure class="analytics__chart" data-testid={testId}>
      <figcaption class="analytics__chart-title">{title}</figcaption>
      <div ref={box} class="analytics__canvas" role="img" aria-label={title} />
      {chart.series.length > 1 && (
        <ul class="analytics__legend">
          {chart.series.map((series) => (
            <li key={series.label} class={`analytics__legend-item analytics__legend-item--${series.tone}`}>
              {series.label}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
