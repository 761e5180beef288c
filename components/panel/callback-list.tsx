import { tPanel } from '@/lib/i18n/panel-messages';
import type { CallbackView } from '@/lib/panel/callback-list-model';

export interface CallbackListProps {
  entries: readonly CallbackView[];
  error?: string;
  onCall: (id: string) => void;
  onDone: (id: string) => void;
}

/** Callbacks owed to missed callers, soonest due first, each with its SLA timer: *Call* and *Done*. */
export function CallbackList({ entries, error, onCall, onDone }: CallbackListProps) {
  if (entries.length === 0 && !error) return null;
  return (
    <section class="callbacks" data-testid="callbacks" aria-labelledby="callbacks-title">
      <h2 id="callbacks-title" class="callbacks__title">
        {tPanel('callbacks.title')}
      </h2>
      {error && (
        <p class="error" role="alert" data-testid="callbacks-error">
          {error}
        </p>
      )}
      <ul class="callbacks__list">
        {entries.map((entry) => (
          <li
            key={entry.id}
            class={`callbacks__entry${entry.overdue ? ' callbacks__entry--overdue' : ''}`}
            data-testid="callback-entry"
            data-task-id={entry.id}
            data-overdue={entry.overdue ? 'true' : 'false'}
          >
            <div class="callbacks__who">
              <span class="callbacks__label">{entry.label}</span>
              {entry.detail && <span class="callbacks__detail">{entry.detail}</span>}
            </div>
            <span class="callbacks__timer" data-testid="callback-timer" title={entry.timerText} aria-label={entry.timerText}>
              {entry.timer}
            </span>
            <div class="callbacks__actions">
              {entry.dialTarget && (
                <button
                  type="button"
                  class="button button--small button--answer"
                  data-testid="callback-call"
                  disabled={entry.busy}
                  aria-label={tPanel('callbacks.callTo', { remote: entry.label })}
                  onClick={() => onCall(entry.id)}
                >
                  {tPanel('callbacks.call')}
                </button>
              )}
              <button
                type="button"
                class="button button--small"
                data-testid="callback-done"
                disabled={entry.busy}
                aria-label={tPanel('callbacks.doneFor', { remote: entry.label })}
                onClick={() => onDone(entry.id)}
              >
                {tPanel('callbacks.done')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
