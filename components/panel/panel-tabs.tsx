import { tPanel } from '@/lib/i18n/panel-messages';

/** The views of the side panel. */
export type PanelTab = 'phone' | 'history' | 'analytics';

export interface PanelTabsProps {
  tab: PanelTab;
  onTab: (tab: PanelTab) => void;
  /** Whether the Analytics tab is offered. */
  analytics?: boolean;
  /** Missed calls to handle, shown on the History tab (e.g. `3`, `99+`). */
  historyCount?: string | undefined;
}

/** The Phone | History | Analytics switch. */
export function PanelTabs({ tab, onTab, analytics = false, historyCount }: PanelTabsProps) {
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
      {analytics && (
        <button
          type="button"
          class="button button--toggle tabs__tab"
          data-testid="tab-analytics"
          aria-pressed={tab === 'analytics'}
          onClick={() => onTab('analytics')}
        >
          {tPanel('tab.analytics')}
        </button>
      )}
    </nav>
  );
}
