import { AccountEditor } from '@/components/options/account-editor';
import { PolicyAccount } from '@/components/options/policy-account';
import { tOptions } from '@/lib/i18n/options-messages';
import type { OptionsModel } from '@/lib/options/options-model';
import { POLICY_ACCOUNT_ID } from '@/lib/settings/effective-settings';

/**
 * The administrator's account (read-only) and the user's own accounts, which are replaced by a note
 * when the policy does not allow them.
 */
export function AccountsSection({ model }: { model: OptionsModel }) {
  const policy = model.policy.value;
  const accounts = model.draft.value.accounts;
  return (
    <section class="section" aria-labelledby="section-accounts">
      <h2 id="section-accounts">{tOptions('section.accounts')}</h2>
      {policy.account && (
        <PolicyAccount
          account={policy.account}
          test={model.tests.value.get(POLICY_ACCOUNT_ID)}
          onTest={() => void model.testConnection(POLICY_ACCOUNT_ID)}
        />
      )}
      {policy.locked.has('accounts') ? (
        <p class="lock-note" data-testid="accounts-locked">
          {tOptions('policy.accountsLocked')}
        </p>
      ) : (
        <>
          {accounts.length === 0 && !policy.account && (
            <p class="hint" data-testid="accounts-empty">
              {tOptions('account.none')}
            </p>
          )}
          {accounts.map((account, index) => (
            <AccountEditor
              key={account.id}
              model={model}
              account={account}
              index={index}
              focusOnMount={account.id === model.lastAddedId.value}
            />
          ))}
          <button
            type="button"
            class="secondary"
            data-testid="add-account"
            onClick={() => model.addAccount()}
          >
            {tOptions('account.add')}
          </button>
        </>
      )}
    </section>
  );
}
