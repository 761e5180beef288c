import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { storage } from '#imports';
import type { Client } from '@/lib/messaging/protocol';
import type { OptionsToBackground } from '@/lib/messaging/options-to-background';
import { countryForLanguage } from '@/lib/options/default-country';
import {
  ACCOUNT_TEXT_FIELDS,
  accountFieldKey,
  draftFromSettings,
  emptyAccountDraft,
  sameDraft,
  validateAccountDraft,
  validateSettingsDraft,
  type AccountDraft,
  type AccountRecordingField,
  type AccountTextField,
  type FieldError,
  type FieldKey,
  type AfterCallDraft,
  type AfterCallField,
  type CallHandlingField,
  type GlobalField,
  type SettingsDraft,
  type SettingsValidation,
} from '@/lib/options/settings-draft';
import type { RegistrationFailure } from '@/lib/phone/phone-snapshot';
import { POLICY_ACCOUNT_ID, type EffectiveSettings } from '@/lib/settings/effective-settings';
import { DEFAULT_SETTINGS, type Account, type DtmfMethod, type Settings } from '@/lib/settings/settings-schema';
import {
  loadEffectiveSettings,
  loadLocalSettings,
  saveLocalSettings,
  settingsItem,
  watchEffectiveSettings,
} from '@/lib/settings/settings-store';
import { createLogger } from '@/lib/util/logger';
import { withTimeout } from '@/lib/util/with-timeout';

const log = createLogger('options');

/** The options page's typed client of the background (`OptionsToBackground`). */
export type OptionsClient = Client<(typeof OptionsToBackground)['methods']>;

/** What the administrator's policy means for the page. */
export interface PolicyView {
  /** The account the administrator provisioned (read-only), if any. */
  account: Account | undefined;
  /** Fields the policy fixes; `accounts` means the user's own accounts are not used. */
  locked: EffectiveSettings['locked'];
  /** The values in force, shown instead of the user's for locked fields. */
  effective: Settings;
  /** Policy keys that were present but invalid. */
  errors: string[];
}

/** What the last press of Save did. */
export type SaveStatus =
  | { state: 'idle' }
  | { state: 'saving' }
  | { state: 'saved' }
  | { state: 'invalid'; count: number }
  | { state: 'failed'; message: string };

/** The outcome of "Test connection" for one account. */
export type ConnectionTestStatus =
  | { state: 'running' }
  | { state: 'ok'; elapsedMs: number }
  | { state: 'failed'; failure?: RegistrationFailure; detail?: string; elapsedMs: number }
  /** The account's fields do not validate; nothing was sent. */
  | { state: 'invalid' }
  /** The test could not be run (no answer from the background, timeout). */
  | { state: 'error'; message: string };

export interface OptionsModelDeps {
  client: Pick<OptionsClient, 'testConnection'>;
  /** @defaultValue `crypto.randomUUID()` */
  newId?: () => string;
  /** The browser language, for the default country of a new install. @defaultValue `navigator.language` */
  language?: string;
  /** Longest wait for a connection test before giving up. @defaultValue 45 000 ms */
  testTimeoutMs?: number;
}

/**
 * State and actions of the options page's settings form.
 *
 * The draft is built from the user's own (local) settings only, so administrator values are shown but
 * never saved as the user's. Changes from elsewhere (another tab, an import, a policy arriving seconds
 * after start) replace the draft only while it has no unsaved changes.
 */
export interface OptionsModel {
  readonly loading: ReadonlySignal<boolean>;
  readonly loadError: ReadonlySignal<string | undefined>;
  readonly draft: ReadonlySignal<SettingsDraft>;
  /** Whether the draft differs from what is saved. */
  readonly dirty: ReadonlySignal<boolean>;
  readonly validation: ReadonlySignal<SettingsValidation>;
  /**
   * The errors to show: none until the user tries to save (then all) or to test an account (then that
   * account's). Not on blur: a message appearing under a field the user leaves moves the button they are
   * clicking, and the click is lost.
   */
  readonly visibleErrors: ReadonlySignal<ReadonlyMap<FieldKey, FieldError>>;
  readonly policy: ReadonlySignal<PolicyView>;
  readonly saveStatus: ReadonlySignal<SaveStatus>;
  readonly tests: ReadonlySignal<ReadonlyMap<string, ConnectionTestStatus>>;
  /** The account waiting for the user to confirm its removal. */
  readonly pendingRemoval: ReadonlySignal<string | undefined>;
  /** The account added last (the page moves the focus there). */
  readonly lastAddedId: ReadonlySignal<string | undefined>;

  /** Loads the settings and starts watching them and the policy. */
  start(): Promise<void>;
  dispose(): void;

  addAccount(): void;
  setAccountField(accountId: string, field: AccountTextField, value: string): void;
  setAccountEnabled(accountId: string, enabled: boolean): void;
  /** The account's recording policy or consent notice. */
  setAccountRecording<F extends AccountRecordingField>(accountId: string, field: F, value: AccountDraft[F]): void;
  /** How the account's calls send keypad digits. */
  setAccountDtmfMethod(accountId: string, method: DtmfMethod): void;
  setGlobal<F extends GlobalField | CallHandlingField>(field: F, value: SettingsDraft[F]): void;
  /** One after-call rule. */
  setAfterCall<F extends AfterCallField>(field: F, value: AfterCallDraft[F]): void;
  requestRemoval(accountId: string): void;
  confirmRemoval(): void;
  cancelRemoval(): void;

  save(): Promise<void>;
  /** Tests the account as currently typed (or the policy account, by its id). */
  testConnection(accountId: string): Promise<void>;
  /** Shows settings that were just saved elsewhere on the page (an import), dropping the draft. */
  showSaved(settings: Settings): void;
}

const EMPTY_DRAFT: SettingsDraft = draftFromSettings(DEFAULT_SETTINGS);

/** Creates the model; call {@link OptionsModel.start} to load the settings. */
export function createOptionsModel(deps: OptionsModelDeps): OptionsModel {
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const language = deps.language ?? (typeof navigator === 'undefined' ? undefined : navigator.language);
  const testTimeoutMs = deps.testTimeoutMs ?? 45_000;

  const loading = signal(true);
  const loadError = signal<string | undefined>(undefined);
  const draft = signal<SettingsDraft>(EMPTY_DRAFT);
  const baseline = signal<SettingsDraft>(EMPTY_DRAFT);
  const effective = signal<EffectiveSettings | undefined>(undefined);
  const revealed = signal<ReadonlySet<FieldKey>>(new Set());
  const attempted = signal(false);
  const saveStatus = signal<SaveStatus>({ state: 'idle' });
  const tests = signal<ReadonlyMap<string, ConnectionTestStatus>>(new Map());
  const pendingRemoval = signal<string | undefined>(undefined);
  const lastAddedId = signal<string | undefined>(undefined);

  const dirty = computed(() => !sameDraft(draft.value, baseline.value));
  const validation = computed(() => validateSettingsDraft(draft.value));
  const visibleErrors = computed(() => {
    const { errors } = validation.value;
    if (attempted.value) return errors;
    const shown = new Map<FieldKey, FieldError>();
    errors.forEach((error, key) => {
      if (revealed.value.has(key)) shown.set(key, error);
    });
    return shown;
  });
  const policy = computed<PolicyView>(() => {
    const current = effective.value;
    if (!current) {
      return { account: undefined, locked: new Set(), effective: DEFAULT_SETTINGS, errors: [] };
    }
    return {
      account: current.hasPolicyAccount
        ? current.settings.accounts.find((account) => account.id === POLICY_ACCOUNT_ID)
        : undefined,
      locked: current.locked,
      effective: current.settings,
      errors: current.policyErrors,
    };
  });

  let unwatch: (() => void) | undefined;
  let loadSeq = 0;

  /** The user's settings as a draft; a new install gets its country from the browser language. */
  async function loadDraft(): Promise<SettingsDraft> {
    const [local, stored] = await Promise.all([loadLocalSettings(), storage.getItem(settingsItem.key)]);
    const loaded = draftFromSettings(local);
    return stored === null ? { ...loaded, defaultCountry: countryForLanguage(language) } : loaded;
  }

  async function refresh(next: EffectiveSettings): Promise<void> {
    const seq = ++loadSeq;
    const fresh = await loadDraft();
    if (seq !== loadSeq) return;
    batch(() => {
      effective.value = next;
      if (!dirty.value && !sameDraft(fresh, baseline.value)) {
        baseline.value = fresh;
        draft.value = fresh;
      }
    });
  }

  function updateDraft(change: (current: SettingsDraft) => SettingsDraft): void {
    batch(() => {
      draft.value = change(draft.value);
      if (saveStatus.value.state !== 'saving') saveStatus.value = { state: 'idle' };
    });
  }

  function updateAccount(accountId: string, change: (account: AccountDraft) => AccountDraft): void {
    updateDraft((current) => ({
      ...current,
      accounts: current.accounts.map((account) => (account.id === accountId ? change(account) : account)),
    }));
    // A result says nothing about values typed since.
    const test = tests.value.get(accountId);
    if (test && test.state !== 'running') setTest(accountId, undefined);
  }

  function setTest(accountId: string, status: ConnectionTestStatus | undefined): void {
    const next = new Map(tests.value);
    if (status) next.set(accountId, status);
    else next.delete(accountId);
    tests.value = next;
  }

  function reveal(keys: readonly FieldKey[]): void {
    revealed.value = new Set([...revealed.value, ...keys]);
  }

  return {
    loading,
    loadError,
    draft,
    dirty,
    validation,
    visibleErrors,
    policy,
    saveStatus,
    tests,
    pendingRemoval,
    lastAddedId,

    async start() {
      // Watch first, so a policy applied while we load is not missed.
      unwatch = watchEffectiveSettings((next) => void refresh(next));
      const seq = ++loadSeq;
      try {
        const [initial, current] = await Promise.all([loadDraft(), loadEffectiveSettings()]);
        if (seq !== loadSeq) return;
        batch(() => {
          baseline.value = initial;
          draft.value = initial;
          effective.value = current;
        });
      } catch (error) {
        log.error('loading settings failed', error);
        loadError.value = messageOf(error);
      } finally {
        loading.value = false;
      }
    },

    dispose() {
      unwatch?.();
      unwatch = undefined;
    },

    addAccount() {
      const id = newId();
      batch(() => {
        updateDraft((current) => ({ ...current, accounts: [...current.accounts, emptyAccountDraft(id)] }));
        lastAddedId.value = id;
      });
    },

    setAccountField(accountId, field, value) {
      updateAccount(accountId, (account) => ({ ...account, [field]: value }));
    },

    setAccountEnabled(accountId, enabled) {
      updateAccount(accountId, (account) => ({ ...account, enabled }));
    },

    setAccountRecording(accountId, field, value) {
      updateDraft((current) => ({
        ...current,
        accounts: current.accounts.map((account) => (account.id === accountId ? { ...account, [field]: value } : account)),
      }));
    },

    setAccountDtmfMethod(accountId, method) {
      updateDraft((current) => ({
        ...current,
        accounts: current.accounts.map((account) => (account.id === accountId ? { ...account, dtmfMethod: method } : account)),
      }));
    },

    setGlobal(field, value) {
      updateDraft((current) => ({ ...current, [field]: value }));
    },

    setAfterCall(field, value) {
      updateDraft((current) => ({ ...current, afterCall: { ...current.afterCall, [field]: value } }));
    },

    requestRemoval(accountId) {
      pendingRemoval.value = accountId;
    },

    confirmRemoval() {
      const accountId = pendingRemoval.value;
      if (accountId === undefined) return;
      batch(() => {
        updateDraft((current) => ({
          ...current,
          accounts: current.accounts.filter((account) => account.id !== accountId),
        }));
        setTest(accountId, undefined);
        pendingRemoval.value = undefined;
      });
    },

    cancelRemoval() {
      pendingRemoval.value = undefined;
    },

    async save() {
      attempted.value = true;
      const result = validation.value;
      if (!result.ok) {
        saveStatus.value = { state: 'invalid', count: result.errors.size };
        return;
      }
      const saving = draft.value;
      saveStatus.value = { state: 'saving' };
      let stored: Settings;
      try {
        // The Audio and CRM sections save their choices themselves; keep the stored ones rather
        // than the draft's copy, which is older when the form had unsaved changes meanwhile.
        const { audio, crm } = await loadLocalSettings();
        stored = { ...result.settings, audio, crm };
        await saveLocalSettings(stored);
      } catch (error) {
        log.error('saving settings failed', error);
        saveStatus.value = { state: 'failed', message: messageOf(error) };
        return;
      }
      const saved = draftFromSettings(stored);
      batch(() => {
        baseline.value = saved;
        // Keep what the user typed while we were saving; otherwise show the values as stored
        // (trimmed, `sip:` removed).
        if (draft.value === saving) draft.value = saved;
        attempted.value = false;
        revealed.value = new Set();
        saveStatus.value = { state: 'saved' };
      });
    },

    async testConnection(accountId) {
      if (tests.value.get(accountId)?.state === 'running') return;
      let account: Account;
      if (accountId === POLICY_ACCOUNT_ID) {
        const provisioned = policy.value.account;
        if (!provisioned) return;
        account = provisioned;
      } else {
        const accountDraft = draft.value.accounts.find((candidate) => candidate.id === accountId);
        if (!accountDraft) return;
        const result = validateAccountDraft(accountDraft);
        if (!result.ok) {
          reveal(ACCOUNT_TEXT_FIELDS.map((field) => accountFieldKey(accountId, field)));
          setTest(accountId, { state: 'invalid' });
          return;
        }
        account = result.account;
      }
      setTest(accountId, { state: 'running' });
      let status: ConnectionTestStatus;
      try {
        const result = await withTimeout(
          deps.client.testConnection({ account }),
          testTimeoutMs,
          'connection test',
        );
        status = result.ok
          ? { state: 'ok', elapsedMs: result.elapsedMs }
          : { state: 'failed', failure: result.failure, detail: result.detail, elapsedMs: result.elapsedMs };
      } catch (error) {
        log.warn('connection test could not run', error);
        status = { state: 'error', message: messageOf(error) };
      }
      // The account may have been removed meanwhile.
      const stillThere =
        accountId === POLICY_ACCOUNT_ID ||
        draft.value.accounts.some((candidate) => candidate.id === accountId);
      setTest(accountId, stillThere ? status : undefined);
    },

    showSaved(settings) {
      const saved = draftFromSettings(settings);
      batch(() => {
        baseline.value = saved;
        draft.value = saved;
        attempted.value = false;
        revealed.value = new Set();
        tests.value = new Map();
        pendingRemoval.value = undefined;
        saveStatus.value = { state: 'idle' };
      });
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
