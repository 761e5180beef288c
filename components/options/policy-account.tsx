import { ConnectionTest } from '@/components/options/connection-test';
import { TextField } from '@/components/options/form-field';
import { tOptions } from '@/lib/i18n/options-messages';
import { formatIceServerLines } from '@/lib/options/ice-server-lines';
import type { ConnectionTestStatus } from '@/lib/options/options-model';
import type { Account } from '@/lib/settings/settings-schema';

export interface PolicyAccountProps {
  account: Account;
  test: ConnectionTestStatus | undefined;
  onTest: () => void;
}

/** The account the administrator provisioned: shown read-only; its password is never shown. */
export function PolicyAccount({ account, test, onTest }: PolicyAccountProps) {
  const field = (name: 'wsServer' | 'sipUri' | 'authUser' | 'displayName', value: string) => (
    <TextField
      id={`policy-account-${name}`}
      testId={`policy-account-${name}`}
      label={tOptions(`field.${name}`)}
      value={value}
      readOnly
    />
  );
  return (
    <section class="card card--locked" data-testid="policy-account" aria-labelledby="policy-account-heading">
      <header class="card-header">
        <h3 id="policy-account-heading">{tOptions('policy.accountHeading')}</h3>
        <p class="lock-note" data-testid="policy-account-locked">
          {tOptions('policy.lockNote')}
        </p>
      </header>
      {field('wsServer', account.wsServer)}
      {field('sipUri', account.sipUri)}
      {account.authUser && field('authUser', account.authUser)}
      <TextField
        id="policy-account-password"
        testId="policy-account-password"
        label={tOptions('field.password')}
        value={tOptions('policy.password')}
        readOnly
      />
      {account.displayName && field('displayName', account.displayName)}
      {account.iceServers.length > 0 && (
        <TextField
          id="policy-account-iceServers"
          testId="policy-account-iceServers"
          label={tOptions('field.iceServers')}
          // TURN passwords are the administrator's: show the servers without credentials.
          value={formatIceServerLines(account.iceServers.map(({ urls, username }) => ({ urls, username })))}
          multiline
          readOnly
        />
      )}
      <TextField
        id="policy-account-recording"
        testId="policy-account-recording"
        label={tOptions('field.recording')}
        value={`${tOptions(`recording.${account.recording}`)}${
          account.recording !== 'off' && account.recordingNotice ? ` · ${tOptions('policy.recordingNotice')}` : ''
        }`}
        readOnly
      />
      <footer class="card-footer">
        <ConnectionTest testId="policy-account-test" status={test} onTest={onTest} />
      </footer>
    </section>
  );
}
