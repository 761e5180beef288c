import { tPanel } from '@/lib/i18n/panel-messages';
import type { AccountView, StatusSummary } from '@/lib/panel/phone-model';

export interface RegistrationBarProps {
  accounts: readonly AccountView[];
  /** Shown alone when there is no account to list. */
  status: StatusSummary;
  onRetry: (accountId: string) => void;
}

/** Registration of each account: state words, why it failed, the retry countdown and a Retry button. */
export function RegistrationBar({ accounts, status, onRetry }: RegistrationBarProps) {
  if (accounts.length === 0) {
    return (
      <section class="registration" aria-label={tPanel('status.accounts')}>
        <div class="account">
          <span class="dot" data-state={status.state} aria-hidden="true" />
          <span class="account-state" data-testid="registration-status" data-state={status.state}>
            {status.text}
          </span>
        </div>
      </section>
    );
  }
  return (
    <section class="registration" aria-label={tPanel('status.accounts')}>
      <ul class="accounts">
        {accounts.map((account) => (
          <li key={account.accountId} class="account" data-account-id={account.accountId}>
            <span class="dot" data-state={account.state} aria-hidden="true" />
            <div class="account-body">
              <div class="account-line">
                <span class="account-aor" title={account.aor}>
                  {account.aor}
                </span>
                <span class="account-state" data-testid="registration-status" data-state={account.state}>
                  {account.stateText}
                </span>
              </div>
              {account.failureText && (
                <p class="account-failure" data-testid="registration-failure">
                  {account.failureText}
                </p>
              )}
              {account.detail && (
                <p class="account-detail">{tPanel('status.detail', { detail: account.detail })}</p>
              )}
            </div>
            {account.canRetry && (
              <button
                type="button"
                class="button button--small"
                data-testid="retry-registration"
                onClick={() => onRetry(account.accountId)}
              >
                {tPanel('status.retry')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
