import { tPanel } from '@/lib/i18n/panel-messages';
import type { TimelineView } from '@/lib/panel/history-model';

export interface NumberTimelineProps {
  timeline: TimelineView;
  onBack: () => void;
}

/** Everything about one number, newest first: its calls and the notes about it. */
export function NumberTimeline({ timeline, onBack }: NumberTimelineProps) {
  return (
    <section class="timeline" data-testid="timeline" aria-label={tPanel('timeline.title', { who: timeline.title })}>
      <div class="timeline__header">
        <button type="button" class="button button--small" data-testid="timeline-back" onClick={onBack}>
          {tPanel('timeline.back')}
        </button>
        <h2 class="timeline__title">{timeline.title}</h2>
      </div>
      {timeline.entries.length === 0 && <p class="history__empty">{tPanel('timeline.empty')}</p>}
      <ol class="timeline__entries">
        {timeline.entries.map((entry) => (
          <li
            key={entry.id}
            class={`timeline__entry timeline__entry--${entry.kind}`}
            data-testid="timeline-entry"
            data-kind={entry.kind}
            {...(entry.outcome ? { 'data-outcome': entry.outcome } : {})}
          >
            <time class="timeline__time">{entry.time}</time>
            <span class="timeline__kind">{tPanel(entry.kind === 'call' ? 'timeline.call' : 'timeline.note')}</span>
            <span class="timeline__text">{entry.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
