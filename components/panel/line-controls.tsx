import { tPanel } from '@/lib/i18n/panel-messages';
import type { LineControls as LineControlsView } from '@/lib/panel/phone-model';

export interface LineControlsProps {
  controls: LineControlsView;
  /** A line command is on its way. */
  busy: boolean;
  onSwap: () => void;
  onMerge: () => void;
}

/** Swap and Merge, for one call in progress and one on hold. */
export function LineControls({ controls, busy, onSwap, onMerge }: LineControlsProps) {
  return (
    <div class="line-controls" role="group" aria-label={tPanel('line.controls')} data-testid="line-controls">
      <button
        type="button"
        class="button"
        data-testid="line-swap"
        title={tPanel('line.swapTitle')}
        disabled={busy || !controls.canSwap}
        onClick={onSwap}
      >
        {tPanel('line.swap')}
      </button>
      <button
        type="button"
        class="button"
        data-testid="line-merge"
        title={tPanel('line.mergeTitle')}
        disabled={busy || !controls.canMerge}
        onClick={onMerge}
      >
        {tPanel('line.merge')}
      </button>
    </div>
  );
}
