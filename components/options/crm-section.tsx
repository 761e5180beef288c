import { FieldFrame, describedBy } from '@/components/options/form-field';
import { isKommoHost } from '@/lib/crm/amocrm/amo-oauth';
import { parseAmoHost } from '@/lib/crm/amocrm/amo-host';
import { tCrm } from '@/lib/i18n/crm-messages';
import type {
  CrmConnectionModel,
  CrmDraftField,
  CrmSignInStatus,
  CrmTestStatus,
} from '@/lib/options/crm-connection-model';

export interface CrmSectionProps {
  model: CrmConnectionModel;
}

/**
 * The CRM connection: which CRM, the amoCRM account address, and either a long-lived token or an
 * OAuth integration (its redirect URI to register, ID and secret, Sign in), Save and Test connection.
 */
export function CrmSection({ model }: CrmSectionProps) {
  const draft = model.draft.value;
  const errors = model.visibleErrors.value;
  const save = model.saveStatus.value;
  const test = model.testStatus.value;
  const controlProps = (field: CrmDraftField, hint: string) => ({
    id: `crm-${field}`,
    'data-testid': `crm-${field}`,
    'aria-invalid': errors.has(field) ? true : undefined,
    'aria-describedby': describedBy(`crm-${field}`, { hint, error: errors.has(field) }),
  });
  const frame = (field: CrmDraftField, label: string, hint: string) => ({
    id: `crm-${field}`,
    testId: `crm-${field}`,
    label,
    hint,
  });
  const fieldError = (field: CrmDraftField) => {
    const key = errors.get(field);
    return key === undefined ? undefined : (
      <p id={`crm-${field}-error`} class="field-error" data-testid={`crm-${field}-error`}>
        {tCrm(key)}
      </p>
    );
  };
  const hostHint = tCrm('crm.host.hint');
  const tokenHint = tCrm('crm.token.hint');
  const clientIdHint = tCrm('crm.clientId.hint');
  const clientSecretHint = tCrm('crm.clientSecret.hint');
  const signIn = model.signInStatus.value;
  const kommo = isKommoHost(parseAmoHost(draft.host) ?? '');
  return (
    <section class="section" aria-labelledby="section-crm" data-testid="crm-section">
      <h2 id="section-crm">{tCrm('crm.section')}</h2>
      <p class="hint">{tCrm('crm.explain')}</p>
      <div class="field">
        <label for="crm-kind">{tCrm('crm.kind')}</label>
        <select
          id="crm-kind"
          data-testid="crm-kind"
          value={draft.kind}
          onChange={(event) => model.setField('kind', event.currentTarget.value === 'amocrm' ? 'amocrm' : 'none')}
        >
          <option value="none">{tCrm('crm.kind.none')}</option>
          <option value="amocrm">{tCrm('crm.kind.amocrm')}</option>
        </select>
      </div>
      {draft.kind === 'amocrm' && (
        <>
          <FieldFrame {...frame('host', tCrm('crm.host'), hostHint)}>
            <input
              {...controlProps('host', hostHint)}
              type="text"
              autoComplete="off"
              spellcheck={false}
              value={draft.host}
              onInput={(event) => model.setField('host', event.currentTarget.value)}
            />
          </FieldFrame>
          {fieldError('host')}
          <fieldset class="field" data-testid="crm-method">
            <legend>{tCrm('crm.method')}</legend>
            {(['token', 'oauth'] as const).map((method) => (
              <label key={method}>
                <input
                  type="radio"
                  name="crm-method"
                  value={method}
                  data-testid={`crm-method-${method}`}
                  checked={draft.method === method}
                  onChange={() => model.setField('method', method)}
                />{' '}
                {tCrm(`crm.method.${method}`)}
              </label>
            ))}
          </fieldset>
          {draft.method === 'token' && (
            <>
              <FieldFrame {...frame('token', tCrm('crm.token'), tokenHint)}>
                <input
                  {...controlProps('token', tokenHint)}
                  type="password"
                  autoComplete="off"
                  value={draft.token}
                  onInput={(event) => model.setField('token', event.currentTarget.value)}
                />
              </FieldFrame>
              {fieldError('token')}
            </>
          )}
          {draft.method === 'oauth' && model.redirectUri === undefined && (
            <p class="hint" data-testid="crm-oauth-unsupported">
              {tCrm('crm.oauth.unsupported')}
            </p>
          )}
          {draft.method === 'oauth' && model.redirectUri !== undefined && (
            <>
              <p class="hint">{tCrm('crm.oauth.explain')}</p>
              <FieldFrame id="crm-redirect-uri" testId="crm-redirect-uri" label={tCrm('crm.redirectUri')} hint={tCrm('crm.redirectUri.hint')}>
                <input
                  id="crm-redirect-uri"
                  data-testid="crm-redirect-uri"
                  aria-describedby="crm-redirect-uri-hint"
                  type="text"
                  readOnly
                  spellcheck={false}
                  value={model.redirectUri}
                  onFocus={(event) => event.currentTarget.select()}
                />
              </FieldFrame>
              <FieldFrame {...frame('clientId', tCrm('crm.clientId'), clientIdHint)}>
                <input
                  {...controlProps('clientId', clientIdHint)}
                  type="text"
                  autoComplete="off"
                  spellcheck={false}
                  value={draft.clientId}
                  onInput={(event) => model.setField('clientId', event.currentTarget.value)}
                />
              </FieldFrame>
              {fieldError('clientId')}
              <FieldFrame {...frame('clientSecret', tCrm('crm.clientSecret'), clientSecretHint)}>
                <input
                  {...controlProps('clientSecret', clientSecretHint)}
                  type="password"
                  autoComplete="off"
                  value={draft.clientSecret}
                  onInput={(event) => model.setField('clientSecret', event.currentTarget.value)}
                />
              </FieldFrame>
              {fieldError('clientSecret')}
              <div class="connection-test">
                <button
                  type="button"
                  data-testid="crm-sign-in"
                  disabled={signIn.state === 'running'}
                  aria-busy={signIn.state === 'running'}
                  onClick={() => void model.signIn()}
                >
                  {tCrm(kommo ? 'crm.signIn.kommo' : 'crm.signIn.amocrm')}
                </button>
                <p
                  class={`test-status test-status--${signIn.state}`}
                  data-testid="crm-sign-in-status"
                  data-state={signIn.state}
                  role="status"
                  aria-live="polite"
                >
                  <SignInMessage status={signIn} />
                </p>
              </div>
              {fieldError('signIn')}
              {model.hasOAuth.value && <p class="hint">{tCrm('crm.oauthKept')}</p>}
            </>
          )}
          <p class="hint">{tCrm('crm.permission')}</p>
        </>
      )}
      <div class="connection-test">
        <button
          type="button"
          data-testid="crm-save"
          disabled={save.state === 'saving'}
          onClick={() => void model.save()}
        >
          {tCrm('crm.save')}
        </button>
        {draft.kind === 'amocrm' && (
          <button
            type="button"
            data-testid="crm-test"
            disabled={test.state === 'running'}
            aria-busy={test.state === 'running'}
            onClick={() => void model.test()}
          >
            {tCrm('crm.test')}
          </button>
        )}
        <p class="test-status" data-testid="crm-save-status" role="status" aria-live="polite">
          {save.state === 'saved' && tCrm('crm.saved')}
          {save.state === 'failed' && tCrm('crm.saveFailed', { message: save.message })}
        </p>
        <p
          class={`test-status test-status--${test.state}`}
          data-testid="crm-test-status"
          data-state={test.state}
          role="status"
          aria-live="polite"
        >
          <CrmTestMessage status={test} />
        </p>
      </div>
    </section>
  );
}

function CrmTestMessage({ status }: { status: CrmTestStatus }) {
  switch (status.state) {
    case 'idle':
      return null;
    case 'running':
      return (
        <>
          <span class="spinner" aria-hidden="true" />
          {tCrm('crm.test.running')}
        </>
      );
    case 'ok':
      return <>{tCrm('crm.test.ok', { account: status.accountName, user: status.userName })}</>;
    case 'failed':
      return (
        <>
          {tCrm(`crm.failure.${status.failure}`)}
          {status.detail && <span class="detail"> ({status.detail})</span>}
        </>
      );
    case 'error':
      return <>{tCrm('crm.test.error', { message: status.message })}</>;
  }
}

function SignInMessage({ status }: { status: CrmSignInStatus }) {
  switch (status.state) {
    case 'idle':
      return null;
    case 'running':
      return (
        <>
          <span class="spinner" aria-hidden="true" />
          {tCrm('crm.signIn.running')}
        </>
      );
    case 'ok':
      return <>{tCrm('crm.signIn.ok')}</>;
    case 'failed':
      return (
        <>
          {tCrm(`crm.signInFailure.${status.failure}`)}
          {status.detail && <span class="detail"> ({status.detail})</span>}
        </>
      );
    case 'error':
      return <>{tCrm('crm.signIn.error', { message: status.message })}</>;
  }
}
