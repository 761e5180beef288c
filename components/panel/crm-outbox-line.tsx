import { tPanel } from '@/lib/i18n/panel-messages';

export interface CrmOutboxLineProps {
  /** "3 calls not yet logged to amoCRM — retrying in 40 s". */
  text: string;
  /** The CRM's own words of the last failure. */
  detail?: string;
  busy: boolean;
  onRetry: () => void;
}

/** Calls the CRM has not accepted yet, with *Retry now*. */
export function CrmOutboxLine({ text, detail, busy, onRetry }: CrmOutboxLineProps) {
  return (
    <div class="notice notice--warning" data-testid="crm-outbox" role="status" title={detail}>
      <span data-testid="crm-outbox-text">{text}</span>{' '}
      <button type="button" class="notice-link" data-testid="crm-outbox-retry" disabled={busy} onClick={onRetry}>
        {tPanel('crmOutbox.retryNow')}
      </button>
    </div>
  );
}
