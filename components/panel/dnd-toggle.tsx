import { tPanel } from '@/lib/i18n/panel-messages';

export interface DndToggleProps {
  /** Do not disturb is on (as the engine reports it). */
  on: boolean;
  busy: boolean;
  onToggle: () => void;
}

/** The header's Do not disturb switch. */
export function DndToggle({ on, busy, onToggle }: DndToggleProps) {
  return (
    <div class="dnd">
      <button
        type="button"
        class={on ? 'button button--toggle button--small dnd__toggle dnd__toggle--on' : 'button button--toggle button--small dnd__toggle'}
        data-testid="dnd-toggle"
        aria-pressed={on}
        disabled={busy}
        title={tPanel(on ? 'dnd.onHint' : 'dnd.offHint')}
        onClick={onToggle}
      >
        {tPanel('dnd.label')}
      </button>
      {on && (
        <span class="dnd__state" data-testid="dnd-state" role="status">
          {tPanel('dnd.on')}
        </span>
      )}
    </div>
  );
}
