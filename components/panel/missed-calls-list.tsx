import { tPanel } from '@/lib/i18n/panel-messages';
import type { MissedEntryView } from '@/lib/panel/missed-calls-model';

export interface MissedCallsListProps {
  entries: readonly MissedEntryView[];
  error?: string;
  onCallBack: (numberKey: string) => void;
  onDone: (numberKey: string) => void;
  onDoneAll: () => void;
}

/** The missed calls to handle, one entry per number, newest first: *Call back* and *Done*. */
export function MissedCallsList({ entries, error, onCallBack, onDone, onDoneAll }: MissedCallsListProps) {
  if (entries.length === 0 && !error) return null;
  return (
    <section class="missed" data-testid="missed-calls" aria-labelledby="missed-title">
      <div class="missed__head">
        <h2 id="missed-title" class="missed__title">
          {tPanel('missed.title')}
        </h2>
        {entries.length > 1 && (
          <button type="button" class="button button--small" data-testid="missed-done-all" onClick={onDoneAll}>
            {tPanel('missed.doneAll')}
          </button>
        )}
      </div>
      {error && (
        <p class="error" role="alert" data-testid="missed-error">
          {error}
        </p>
      )}
      <ul class="missed__list">
        {entries.map((entry) => (
          <li
            key={entry.numberKey}
            class="missed__entry"
            data-testid="missed-entry"
            data-number-key={entry.numberKey}
            data-count={entry.count}
            data-refused={entry.refusedText ? 'true' : 'false'}
          >
            <div class="missed__who">
              <span class="missed__label">{entry.label}</span>
              {entry.detail && <span class="missed__detail">{entry.detail}</span>}
              <span class="missed__meta">
                {entry.countText} · {tPanel('missed.lastAt', { time: entry.time })}
              </span>
              {entry.refusedText && (
                <span class="missed__refused" data-testid="missed-refused">
                  {entry.refusedText}
                </span>
              )}
            </div>
            <div class="missed__actions">
              {entry.dialTarget && (
                <button
                  type="button"
                  class="button button--small button--answer"
                  data-testid="missed-call-back"
                  disabled={entry.busy}
                  aria-label={tPanel('missed.callBackTo', { remote: entry.label })}
                  onClick={() => onCallBack(entry.numberKey)}
                >
                  {tPanel('missed.callBack')}
                </button>
              )}
              <button
                type="button"
                class="button button--small"
                data-testid="missed-done"
                disabled={entry.busy}
                aria-label={tPanel('missed.doneFor', { remote: entry.label })}
                onClick={() => onDone(entry.numberKey)}
              >
                {tPanel('missed.done')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
