import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { amoOriginPattern, parseAmoHost } from '@/lib/crm/amocrm/amo-host';
import type { CrmMessageKey } from '@/lib/i18n/crm-messages';
import type { CrmTestFailure } from '@/lib/messaging/crm-connection-test-result';
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
  /** The long-lived token as typed; empty keeps a stored OAuth connection of the same account. */
  token: string;
}

/** A field of the CRM section that can be wrong. */
export type CrmDraftField = 'host' | 'token';

/** The outcome of validating the CRM section. */
export type CrmDraftValidation =
  | { ok: true; crm: CrmSettings }
  | { ok: false; errors: ReadonlyMap<CrmDraftField, CrmMessageKey> };

/** The section's draft of stored settings: the token shown as stored, an OAuth connection as "kept". */
export function crmDraftFrom(crm: CrmSettings): CrmDraft {
  const amocrm = crm.amocrm;
  return {
    kind: crm.kind,
    host: amocrm?.host ?? '',
    token: amocrm?.auth.type === 'token' ? amocrm.auth.token : '',
  };
}

/**
 * The settings the draft stands for. `none` forgets the connection (a token should not linger once
 * the user disconnects). An empty token keeps the stored OAuth connection when the host is unchanged.
 */
export function validateCrmDraft(draft: CrmDraft, stored: CrmSettings): CrmDraftValidation {
  if (draft.kind === 'none') return { ok: true, crm: { kind: 'none' } };
  const errors = new Map<CrmDraftField, CrmMessageKey>();
  const host = parseAmoHost(draft.host);
  if (host === undefined) errors.set('host', 'crm.error.host');
  const token = draft.token.trim();
  const keptOAuth = stored.amocrm?.auth.type === 'oauth' && stored.amocrm.host === host ? stored.amocrm.auth : undefined;
  if (token === '' && !keptOAuth) errors.set('token', 'crm.error.token');
  if (host === undefined || errors.size > 0) return { ok: false, errors };
  const amocrm: AmoCrmConnection = { host, auth: token !== '' ? { type: 'token', token } : keptOAuth! };
  return { ok: true, crm: { kind: 'amocrm', amocrm } };
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

/** Where the CRM connection is stored (the settings in production, a fake in tests). */
export interface CrmConnectionStore {
  load(): Promise<CrmSettings>;
  save(crm: CrmSettings): Promise<void>;
}

export interface CrmConnectionModelDeps {
  store: CrmConnectionStore;
  client: Pick<OptionsClient, 'testCrmConnection'>;
  /**
   * Asks the browser for host access (`permissions.request`). It must be called within the click
   * (a user gesture), so the model calls it before anything else it awaits.
   */
  requestOrigins(origins: string[]): Promise<boolean>;
  /** Longest wait for a test. @defaultValue 30 000 ms */
  testTimeoutMs?: number;
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
  start(): Promise<void>;
  setField<F extends keyof CrmDraft>(field: F, value: CrmDraft[F]): void;
  /** Validates, asks for host access (amoCRM), and stores the connection. */
  save(): Promise<void>;
  /** Validates, asks for host access, and has the background ask amoCRM who we are. */
  test(): Promise<void>;
}

/** Creates the model; call {@link CrmConnectionModel.start} to load the stored connection. */
export function createCrmConnectionModel(deps: CrmConnectionModelDeps): CrmConnectionModel {
  const stored = signal<CrmSettings>({ kind: 'none' });
  const draft = signal<CrmDraft>(crmDraftFrom(stored.value));
  const attempted = signal(false);
  const saveStatus = signal<CrmSaveStatus>({ state: 'idle' });
  const testStatus = signal<CrmTestStatus>({ state: 'idle' });
  const validation = computed(() => validateCrmDraft(draft.value, stored.value));
  const visibleErrors = computed<ReadonlyMap<CrmDraftField, CrmMessageKey>>(() => {
    const result = validation.value;
    return attempted.value && !result.ok ? result.errors : new Map();
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

    setField(field, value) {
      draft.value = { ...draft.value, [field]: value };
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
        testStatus.value = result.ok
          ? { state: 'ok', accountName: result.accountName, userName: result.userName }
          : { state: 'failed', failure: result.failure, detail: result.detail };
      } catch (error) {
        testStatus.value = { state: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
