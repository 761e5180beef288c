import { tPanel } from '@/lib/i18n/panel-messages';

/** The views of the side panel. */
export type PanelTab = 'phone' | 'history';

export interface PanelTabsProps {
  tab: PanelTab;
  onTab: (tab: PanelTab) => void;
  /** Missed calls to handle, shown on the History tab (e.g. `3`, `99+`). */
  historyCount?: string | undefined;
}

/** The Phone | History switch. */
export function PanelTabs({ tab, onTab, historyCount }: PanelTabsProps) {
  return (
    <nav class="tabs" aria-label={tPanel('tab.list')}>
      <button type="button" class="button button--toggle tabs__tab" data-testid="tab-phone" aria-pressed={tab === 'phone'} onClick={() => onTab('phone')}>
        {tPanel('tab.phone')}
      </button>
      <button
        type="button"
        class="button button--toggle tabs__tab"
        data-testid="tab-history"
        aria-pressed={tab === 'history'}
        onClick={() => onTab('history')}
      >
        {tPanel('tab.history')}
        {historyCount !== undefined && (
          <span class="tabs__count" data-testid="tab-history-count" aria-label={tPanel('tab.missedCount', { count: historyCount })}>
            {historyCount}
          </span>
        )}
      </button>
    </nav>
  );
}
