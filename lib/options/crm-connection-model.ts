import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { amoOriginPattern, parseAmoHost } from '@/lib/crm/amocrm/amo-host';
import { amoConsentUrl, newOAuthState, parseAmoRedirect } from '@/lib/crm/amocrm/amo-oauth';
import type { CrmMessageKey } from '@/lib/i18n/crm-messages';
import type { AmoSignInFailure } from '@/lib/messaging/amo-sign-in-result';
import type { CrmConnectionTestResult, CrmTestFailure } from '@/lib/messaging/crm-connection-test-result';
import type { OptionsClient } from '@/lib/options/options-model';
import type { AmoCrmConnection, CrmSettings } from '@/lib/settings/crm-settings';
import { createLogger } from '@/lib/util/logger';
import { withTimeout } from '@/lib/util/with-timeout';

const log = createLogger('options');

/** The CRM section as the user is typing it. */
export interface CrmDraft {
  kind: CrmSettings['kind'];
  /** The account address as typed. */
  host: string;
  /** How the account is connected: a long-lived token, or an OAuth integration the user signs in with. */
  method: 'token' | 'oauth';
  /** The long-lived token as typed. */
  token: string;
  /** The OAuth integration's id ("ID интеграции") as typed. */
  clientId: string;
  /** The OAuth integration's secret key as typed. */
  clientSecret: string;
}

/** A field of the CRM section that can be wrong; `signIn` is the Sign in button (not signed in yet). */
export type CrmDraftField = 'host' | 'token' | 'clientId' | 'clientSecret' | 'signIn';

/** The outcome of validating the CRM section. */
export type CrmDraftValidation =
  | { ok: true; crm: CrmSettings }
  | { ok: false; errors: ReadonlyMap<CrmDraftField, CrmMessageKey> };

/** The section's draft of stored settings: the token or the OAuth integration as stored. */
export function crmDraftFrom(crm: CrmSettings): CrmDraft {
  const amocrm = crm.amocrm;
  const auth = amocrm?.auth;
  return {
    kind: crm.kind,
    host: amocrm?.host ?? '',
    method: auth?.type === 'oauth' ? 'oauth' : 'token',
    token: auth?.type === 'token' ? auth.token : '',
    clientId: auth?.type === 'oauth' ? auth.clientId : '',
    clientSecret: auth?.type === 'oauth' ? auth.clientSecret : '',
  };
}

/** The stored OAuth connection, when it is of this host and this integration (what Save keeps). */
function keptOAuth(draft: CrmDraft, host: string | undefined, stored: CrmSettings) {
  const amocrm = stored.amocrm;
  if (amocrm?.auth.type !== 'oauth' || amocrm.host !== host) return undefined;
  const same = amocrm.auth.clientId === draft.clientId.trim() && amocrm.auth.clientSecret === draft.clientSecret;
  return same ? amocrm.auth : undefined;
}

/**
 * The settings the draft stands for. `none` forgets the connection (a token should not linger once
 * the user disconnects). A token connection takes the typed token; an OAuth one is only ever made by
 * signing in, so Save keeps the stored OAuth connection of the same account and integration, and
 * asks to sign in otherwise.
 */
export function validateCrmDraft(draft: CrmDraft, stored: CrmSettings): CrmDraftValidation {
  if (draft.kind === 'none') return { ok: true, crm: { kind: 'none' } };
  const errors = new Map<CrmDraftField, CrmMessageKey>();
  const host = parseAmoHost(draft.host);
  if (host === undefined) errors.set('host', 'crm.error.host');
  const token = draft.token.trim();
  const kept = keptOAuth(draft, host, stored);
  if (draft.method === 'token' && token === '') errors.set('token', 'crm.error.token');
  if (draft.method === 'oauth' && host !== undefined && !kept) errors.set('signIn', 'crm.error.signIn');
  if (host === undefined || errors.size > 0) return { ok: false, errors };
  const amocrm: AmoCrmConnection = { host, auth: draft.method === 'token' ? { type: 'token', token } : kept! };
  return { ok: true, crm: { kind: 'amocrm', amocrm } };
}

/** What Sign in needs from the draft: the account host and the integration's id and secret. */
export function validateSignInDraft(
  draft: CrmDraft,
): { ok: true; host: string; clientId: string; clientSecret: string } | { ok: false; errors: ReadonlyMap<CrmDraftField, CrmMessageKey> } {
  const errors = new Map<CrmDraftField, CrmMessageKey>();
  const host = parseAmoHost(draft.host);
  if (host === undefined) errors.set('host', 'crm.error.host');
  const clientId = draft.clientId.trim();
  if (clientId === '') errors.set('clientId', 'crm.error.clientId');
  if (draft.clientSecret === '') errors.set('clientSecret', 'crm.error.clientSecret');
  if (host === undefined || errors.size > 0) return { ok: false, errors };
  return { ok: true, host, clientId, clientSecret: draft.clientSecret };
}

/** What the last Save of the section did. */
export type CrmSaveStatus = { state: 'idle' } | { state: 'saving' } | { state: 'saved' } | { state: 'failed'; message: string };

/** What the last Test connection answered. */
export type CrmTestStatus =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'ok'; accountName: string; userName: string }
  | { state: 'failed'; failure: CrmTestFailure; detail?: string }
  /** The test could not be run (no answer from the background). */
  | { state: 'error'; message: string };

/** What the last Sign in with amoCRM did (a success shows as the connection test's answer). */
export type CrmSignInStatus =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'ok' }
  | { state: 'failed'; failure: AmoSignInFailure; detail?: string }
  /** The background did not answer. */
  | { state: 'error'; message: string };

/**
 * The browser's web-auth window (`identity.launchWebAuthFlow` / `identity.getRedirectURL`), absent
 * where the browser has none.
 */
export interface AmoOAuthLauncher {
  /** The redirect URI to register in the amoCRM integration: the browser ends the flow there. */
  redirectUri: string;
  /** Opens `url` in the sign-in window; resolves to the URL it was redirected to, rejects when closed. */
  launch(url: string): Promise<string>;
  /** @defaultValue {@link newOAuthState} */
  newState?: () => string;
}

/** Where the CRM connection is stored (the settings in production, a fake in tests). */
export interface CrmConnectionStore {
  load(): Promise<CrmSettings>;
  save(crm: CrmSettings): Promise<void>;
}

export interface CrmConnectionModelDeps {
  store: CrmConnectionStore;
  client: Pick<OptionsClient, 'testCrmConnection' | 'signInAmoCrm'>;
  /**
   * Asks the browser for host access (`permissions.request`). It must be called within the click
   * (a user gesture), so the model calls it before anything else it awaits.
   */
  requestOrigins(origins: string[]): Promise<boolean>;
  /** Longest wait for a test. @defaultValue 30 000 ms */
  testTimeoutMs?: number;
  /** The sign-in window; without it Sign in answers `unavailable`. */
  oauth?: AmoOAuthLauncher;
}

/** State and actions of the options page's CRM section. */
export interface CrmConnectionModel {
  readonly draft: ReadonlySignal<CrmDraft>;
  /** Errors to show: none until the user saves or tests. */
  readonly visibleErrors: ReadonlySignal<ReadonlyMap<CrmDraftField, CrmMessageKey>>;
  /** Whether the stored connection is OAuth (the token field may stay empty). */
  readonly hasOAuth: ReadonlySignal<boolean>;
  readonly saveStatus: ReadonlySignal<CrmSaveStatus>;
  readonly testStatus: ReadonlySignal<CrmTestStatus>;
  readonly signInStatus: ReadonlySignal<CrmSignInStatus>;
  /** The redirect URI to register in the integration, or `undefined` when the browser cannot sign in. */
  readonly redirectUri: string | undefined;
  start(): Promise<void>;
  setField<F extends keyof CrmDraft>(field: F, value: CrmDraft[F]): void;
  /** Validates, asks for host access (amoCRM), and stores the connection. */
  save(): Promise<void>;
  /** Validates, asks for host access, and has the background ask amoCRM who we are. */
  test(): Promise<void>;
  /**
   * Sign in with amoCRM: host access (within the click), the consent window, the redirect checked
   * (state, account), then the background trades the code, stores the tokens and tests.
   */
  signIn(): Promise<void>;
}

/** Creates the model; call {@link CrmConnectionModel.start} to load the stored connection. */
export function createCrmConnectionModel(deps: CrmConnectionModelDeps): CrmConnectionModel {
  const stored = signal<CrmSettings>({ kind: 'none' });
  const draft = signal<CrmDraft>(crmDraftFrom(stored.value));
  const attempted = signal(false);
  const saveStatus = signal<CrmSaveStatus>({ state: 'idle' });
  const testStatus = signal<CrmTestStatus>({ state: 'idle' });
  const signInStatus = signal<CrmSignInStatus>({ state: 'idle' });
  const signInErrors = signal<ReadonlyMap<CrmDraftField, CrmMessageKey>>(new Map());
  const validation = computed(() => validateCrmDraft(draft.value, stored.value));
  const visibleErrors = computed<ReadonlyMap<CrmDraftField, CrmMessageKey>>(() => {
    const result = validation.value;
    if (attempted.value && !result.ok) return result.errors;
    return signInErrors.value;
  });
  const hasOAuth = computed(() => stored.value.amocrm?.auth.type === 'oauth');

  /** Validates and, for amoCRM, asks for host access at once (still inside the user's click). */
  function prepare(): { crm: CrmSettings; granted: Promise<boolean> } | undefined {
    attempted.value = true;
    const result = validation.value;
    if (!result.ok) return undefined;
    const host = result.crm.amocrm?.host;
    const granted = host === undefined ? Promise.resolve(true) : deps.requestOrigins([amoOriginPattern(host)]);
    return { crm: result.crm, granted };
  }

  return {
    draft,
    visibleErrors,
    hasOAuth,
    saveStatus,
    testStatus,

    async start() {
      const crm = await deps.store.load();
      batch(() => {
        stored.value = crm;
        draft.value = crmDraftFrom(crm);
      });
    },

    signInStatus,
    redirectUri: deps.oauth?.redirectUri,

    setField(field, value) {
      draft.value = { ...draft.value, [field]: value };
      signInErrors.value = new Map();
      if (saveStatus.value.state !== 'saving') saveStatus.value = { state: 'idle' };
    },

    async save() {
      const prepared = prepare();
      if (!prepared) return;
      saveStatus.value = { state: 'saving' };
      try {
        if (!(await prepared.granted)) {
          batch(() => {
            saveStatus.value = { state: 'idle' };
            testStatus.value = { state: 'failed', failure: 'permission' };
          });
          return;
        }
        await deps.store.save(prepared.crm);
      } catch (error) {
        log.error('saving the CRM connection failed', error);
        saveStatus.value = { state: 'failed', message: error instanceof Error ? error.message : String(error) };
        return;
      }
      batch(() => {
        stored.value = prepared.crm;
        draft.value = crmDraftFrom(prepared.crm);
        attempted.value = false;
        saveStatus.value = { state: 'saved' };
      });
    },

    async test() {
      const prepared = prepare();
      if (!prepared?.crm.amocrm) return;
      const amocrm = prepared.crm.amocrm;
      testStatus.value = { state: 'running' };
      try {
        if (!(await prepared.granted)) {
          testStatus.value = { state: 'failed', failure: 'permission' };
          return;
        }
        const result = await withTimeout(
          deps.client.testCrmConnection({ amocrm }),
          deps.testTimeoutMs ?? 30_000,
          'CRM connection test',
        );
        testStatus.value = testStatusOf(result);
      } catch (error) {
        testStatus.value = { state: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    },

    async signIn() {
      attempted.value = false;
      const checked = validateSignInDraft(draft.value);
      if (!checked.ok) {
        signInErrors.value = checked.errors;
        return;
      }
      signInErrors.value = new Map();
      const oauth = deps.oauth;
      if (!oauth) {
        signInStatus.value = { state: 'failed', failure: 'unavailable' };
        return;
      }
      // Host access first, still inside the click: the code is traded on the account's host, and a
      // permission prompt after the sign-in window would no longer count as the user's gesture.
      const granted = deps.requestOrigins([amoOriginPattern(checked.host)]);
      batch(() => {
        signInStatus.value = { state: 'running' };
        testStatus.value = { state: 'idle' };
      });
      try {
        if (!(await granted)) {
          signInStatus.value = { state: 'failed', failure: 'permission' };
          return;
        }
        const state = (oauth.newState ?? newOAuthState)();
        let redirect: string;
        try {
          redirect = await oauth.launch(amoConsentUrl({ host: checked.host, clientId: checked.clientId, state }));
        } catch (error) {
          // Chrome and Firefox reject alike whether the user closed the window or it never reached
          // the redirect URI (an unregistered one shows amoCRM's error page, which the user closes).
          signInStatus.value = { state: 'failed', failure: 'cancelled', detail: error instanceof Error ? error.message : String(error) };
          return;
        }
        const parsed = parseAmoRedirect(redirect, { state, host: checked.host, redirectUri: oauth.redirectUri });
        if (!parsed.ok) {
          signInStatus.value = { state: 'failed', failure: parsed.failure, detail: parsed.detail };
          return;
        }
        const result = await withTimeout(
          deps.client.signInAmoCrm({
            host: parsed.host,
            clientId: checked.clientId,
            clientSecret: checked.clientSecret,
            redirectUri: oauth.redirectUri,
            code: parsed.code,
          }),
          deps.testTimeoutMs ?? 30_000,
          'amoCRM sign-in',
        );
        if (!result.ok) {
          signInStatus.value = { state: 'failed', failure: result.failure, detail: result.detail };
          return;
        }
        const crm = await deps.store.load();
        batch(() => {
          stored.value = crm;
          draft.value = crmDraftFrom(crm);
          signInStatus.value = { state: 'ok' };
          saveStatus.value = { state: 'idle' };
          testStatus.value = testStatusOf(result.test);
        });
      } catch (error) {
        log.error('amoCRM sign-in failed', error);
        signInStatus.value = { state: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

function testStatusOf(result: CrmConnectionTestResult): CrmTestStatus {
  return result.ok
    ? { state: 'ok', accountName: result.accountName, userName: result.userName }
    : { state: 'failed', failure: result.failure, detail: result.detail };
}
