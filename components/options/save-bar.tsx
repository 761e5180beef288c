import { tOptions } from '@/lib/i18n/options-messages';
import type { OptionsModel, SaveStatus } from '@/lib/options/options-model';

/** The Save button (submits the form), with what happened and whether changes are unsaved. */
export function SaveBar({ model }: { model: OptionsModel }) {
  const status = model.saveStatus.value;
  const dirty = model.dirty.value;
  return (
    <div class="save-bar">
      <button
        type="submit"
        data-testid="save"
        disabled={status.state === 'saving'}
        aria-busy={status.state === 'saving'}
      >
        {tOptions('save.button')}
      </button>
      <p
        class={`save-status save-status--${status.state}`}
        data-testid="save-status"
        data-state={status.state}
        data-dirty={dirty}
        role="status"
        aria-live="polite"
      >
        <SaveMessage status={status} dirty={dirty} />
      </p>
    </div>
  );
}

function SaveMessage({ status, dirty }: { status: SaveStatus; dirty: boolean }) {
  switch (status.state) {
    case 'saving':
      return <>{tOptions('save.saving')}</>;
    case 'saved':
      return <>{tOptions('save.saved')}</>;
    case 'invalid':
      return <>{tOptions('save.invalid', { count: status.count })}</>;
    case 'failed':
      return <>{tOptions('save.failed', { message: status.message })}</>;
    case 'idle':
      return dirty ? <>{tOptions('save.dirty')}</> : null;
  }
}
