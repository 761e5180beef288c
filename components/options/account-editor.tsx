import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ConnectionTest } from '@/components/options/connection-test';
import { FieldFrame, TextField, type TextFieldProps } from '@/components/options/form-field';
import { tOptions, type OptionsMessageKey } from '@/lib/i18n/options-messages';
import type { OptionsModel } from '@/lib/options/options-model';
import { accountFieldKey, type AccountDraft, type AccountTextField } from '@/lib/options/settings-draft';
import { DtmfMethodSchema, RecordingPolicySchema, type DtmfMethod, type RecordingPolicy } from '@/lib/settings/settings-schema';

export interface AccountEditorProps {
  model: OptionsModel;
  account: AccountDraft;
  /** Position among the user's accounts: test ids are `account-<index>-…`. */
  index: number;
  /** Move the focus to the first field (a just-added account). */
  focusOnMount: boolean;
}

const HINTS: Partial<Record<AccountTextField, OptionsMessageKey>> = {
  wsServer: 'hint.wsServer',
  sipUri: 'hint.sipUri',
  authUser: 'hint.authUser',
  displayName: 'hint.displayName',
  iceServers: 'hint.iceServers',
};

/** The form of one of the user's SIP accounts. */
export function AccountEditor({ model, account, index, focusOnMount }: AccountEditorProps) {
  const [passwordShown, setPasswordShown] = useState(false);
  const firstField = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const removeConfirm = useRef<HTMLButtonElement>(null);
  const errors = model.visibleErrors.value;
  const confirmingRemoval = model.pendingRemoval.value === account.id;
  const prefix = `account-${index}`;
  const name = account.displayName || account.sipUri || tOptions('account.heading', { number: index + 1 });

  useLayoutEffect(() => {
    if (focusOnMount) firstField.current?.focus();
  }, []);
  useLayoutEffect(() => {
    if (confirmingRemoval) removeConfirm.current?.focus();
  }, [confirmingRemoval]);

  const field = (fieldName: AccountTextField, extra: Partial<TextFieldProps> = {}) => {
    const hint = HINTS[fieldName];
    return (
      <TextField
        id={`acc-${account.id}-${fieldName}`}
        testId={`${prefix}-${fieldName}`}
        label={tOptions(`field.${fieldName}`)}
        hint={hint && tOptions(hint)}
        value={account[fieldName]}
        error={errors.get(accountFieldKey(account.id, fieldName))}
        onInput={(value) => model.setAccountField(account.id, fieldName, value)}
        {...extra}
      />
    );
  };

  return (
    <section
      class={account.enabled ? 'card' : 'card card--disabled'}
      data-testid={prefix}
      data-account-id={account.id}
      aria-labelledby={`acc-${account.id}-heading`}
    >
      <header class="card-header">
        <h3 id={`acc-${account.id}-heading`}>
          {tOptions('account.heading', { number: index + 1 })}
          {!account.enabled && <span class="badge">{tOptions('account.disabled')}</span>}
        </h3>
        <label class="checkbox">
          <input
            type="checkbox"
            data-testid={`${prefix}-enabled`}
            checked={account.enabled}
            onChange={(event) => model.setAccountEnabled(account.id, event.currentTarget.checked)}
          />
          {tOptions('field.enabled')}
        </label>
      </header>

      {field('wsServer', {
        type: 'url',
        inputRef: (element) => {
          firstField.current = element;
        },
      })}
      {field('sipUri')}
      {field('authUser')}
      {field('password', {
        type: passwordShown ? 'text' : 'password',
        autoComplete: 'new-password',
        after: (
          <button
            type="button"
            class="secondary"
            data-testid={`${prefix}-password-toggle`}
            aria-pressed={passwordShown}
            aria-controls={`acc-${account.id}-password`}
            onClick={() => setPasswordShown(!passwordShown)}
          >
            {tOptions(passwordShown ? 'password.hide' : 'password.show')}
          </button>
        ),
      })}
      {field('displayName')}
      {field('iceServers', { multiline: true })}

      <FieldFrame
        id={`acc-${account.id}-recording`}
        testId={`${prefix}-recording`}
        label={tOptions('field.recording')}
        hint={tOptions('hint.recording')}
      >
        <select
          id={`acc-${account.id}-recording`}
          data-testid={`${prefix}-recording`}
          aria-describedby={`acc-${account.id}-recording-hint`}
          value={account.recording}
          onChange={(event) =>
            model.setAccountRecording(account.id, 'recording', event.currentTarget.value as RecordingPolicy)
          }
        >
          {RecordingPolicySchema.options.map((policy) => (
            <option key={policy} value={policy}>
              {tOptions(`recording.${policy}`)}
            </option>
          ))}
        </select>
      </FieldFrame>
      <label class="checkbox">
        <input
          type="checkbox"
          data-testid={`${prefix}-recordingNotice`}
          checked={account.recordingNotice}
          disabled={account.recording === 'off'}
          onChange={(event) => model.setAccountRecording(account.id, 'recordingNotice', event.currentTarget.checked)}
        />
        {tOptions('field.recordingNotice')}
      </label>

      <FieldFrame
        id={`acc-${account.id}-dtmfMethod`}
        testId={`${prefix}-dtmfMethod`}
        label={tOptions('field.dtmfMethod')}
        hint={tOptions('hint.dtmfMethod')}
      >
        <select
          id={`acc-${account.id}-dtmfMethod`}
          data-testid={`${prefix}-dtmfMethod`}
          aria-describedby={`acc-${account.id}-dtmfMethod-hint`}
          value={account.dtmfMethod}
          onChange={(event) => model.setAccountDtmfMethod(account.id, event.currentTarget.value as DtmfMethod)}
        >
          {DtmfMethodSchema.options.map((method) => (
            <option key={method} value={method}>
              {tOptions(`dtmf.${method}`)}
            </option>
          ))}
        </select>
      </FieldFrame>

      <footer class="card-footer">
        <ConnectionTest
          testId={`${prefix}-test`}
          status={model.tests.value.get(account.id)}
          onTest={() => void model.testConnection(account.id)}
        />
        {confirmingRemoval ? (
          <div class="confirm" role="group" aria-labelledby={`acc-${account.id}-remove-question`}>
            <p id={`acc-${account.id}-remove-question`}>{tOptions('account.removeQuestion', { name })}</p>
            <button
              type="button"
              class="danger"
              ref={removeConfirm}
              data-testid={`${prefix}-remove-confirm`}
              onClick={() => model.confirmRemoval()}
            >
              {tOptions('account.removeConfirm')}
            </button>
            <button
              type="button"
              class="secondary"
              data-testid={`${prefix}-remove-cancel`}
              onClick={() => model.cancelRemoval()}
            >
              {tOptions('account.removeCancel')}
            </button>
          </div>
        ) : (
          <button
            type="button"
            class="secondary"
            data-testid={`${prefix}-remove`}
            onClick={() => model.requestRemoval(account.id)}
          >
            {tOptions('account.remove')}
          </button>
        )}
      </footer>
    </section>
  );
}
