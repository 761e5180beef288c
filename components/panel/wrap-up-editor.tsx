import { tPanel } from '@/lib/i18n/panel-messages';
import type { WrapUpView } from '@/lib/panel/wrap-up-model';

export interface WrapUpEditorProps {
  view: WrapUpView;
  onNote: (id: string, text: string) => void;
  /** The note field lost focus: save now. */
  onNoteBlur: (id: string) => void;
  onDisposition: (id: string, disposition: string | undefined) => void;
  onDone: (id: string) => void;
}

/** The note and disposition of one call: under a live call's card, or after the call until Done. */
export function WrapUpEditor({ view, onNote, onNoteBlur, onDisposition, onDone }: WrapUpEditorProps) {
  const noteId = `wrap-up-note-${view.id}`;
  const dispositionId = `wrap-up-disposition-${view.id}`;
  const statusId = `wrap-up-status-${view.id}`;
  return (
    <section
      class={view.ended ? 'wrap-up wrap-up--ended' : 'wrap-up'}
      data-testid={`wrap-up-${view.callId}`}
      data-status={view.status}
      aria-label={view.ended ? tPanel('wrapUp.title', { remote: view.remoteLabel }) : tPanel('wrapUp.note')}
    >
      {view.ended && <h2 class="wrap-up__title">{tPanel('wrapUp.title', { remote: view.remoteLabel })}</h2>}
      <label class="wrap-up__label" for={noteId}>
        {tPanel('wrapUp.note')}
      </label>
      <textarea
        id={noteId}
        class="wrap-up__note"
        data-testid="wrap-up-note"
        rows={3}
        maxLength={4000}
        placeholder={tPanel('wrapUp.notePlaceholder')}
        aria-describedby={statusId}
        disabled={view.status === 'loading'}
        value={view.note}
        onInput={(event) => onNote(view.id, event.currentTarget.value)}
        onBlur={() => onNoteBlur(view.id)}
      />
      <div class="wrap-up__row">
        <label class="wrap-up__label" for={dispositionId}>
          {tPanel('wrapUp.disposition')}
        </label>
        <select
          id={dispositionId}
          data-testid="wrap-up-disposition"
          disabled={view.status === 'loading'}
          value={view.disposition ?? ''}
          onChange={(event) => onDisposition(view.id, event.currentTarget.value || undefined)}
        >
          <option value="">{tPanel('wrapUp.noDisposition')}</option>
          {view.choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <div class="wrap-up__row">
        <span
          id={statusId}
          class={view.status === 'error' ? 'wrap-up__status wrap-up__status--error' : 'wrap-up__status'}
          data-testid="wrap-up-status"
          role="status"
        >
          {view.error ? `${view.statusText}: ${view.error}` : view.statusText}
        </span>
        {view.ended && (
          <button
            type="button"
            class="button button--small"
            data-testid="wrap-up-done"
            disabled={view.status === 'saving'}
            onClick={() => onDone(view.id)}
          >
            {tPanel('wrapUp.done')}
          </button>
        )}
      </div>
    </section>
  );
}
