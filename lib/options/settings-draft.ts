import type { z } from 'zod';
import { isOptionsMessageKey, type OptionsMessageKey } from '@/lib/i18n/options-messages';
import { formatIceServerLines, parseIceServerLines } from '@/lib/options/ice-server-lines';
import type { NewNumberRule } from '@/lib/settings/after-call-settings';
import type { CrmSettings } from '@/lib/settings/crm-settings';
import { normalizeDialTarget } from '@/lib/numbers/normalize-dial-target';
import {
  AccountSchema,
  SettingsSchema,
  type Account,
  type AudioSettings,
  type DialFormat,
  type DndResponse,
  type DtmfMethod,
  type RecordingPolicy,
  type Settings,
} from '@/lib/settings/settings-schema';

/**
 * The options form as the user is typing it: strings as the inputs hold them, ICE servers as text.
 * It becomes {@link Settings} only through the schema, in {@link validateSettingsDraft}.
 */
export interface AccountDraft {
  id: string;
  enabled: boolean;
  wsServer: string;
  sipUri: string;
  authUser: string;
  password: string;
  displayName: string;
  /** One server per line, see `ice-server-lines.ts`. */
  iceServers: string;
  recording: RecordingPolicy;
  recordingNotice: boolean;
  /** How digits pressed during a call are sent (a select). */
  dtmfMethod: DtmfMethod;
}

/** The fields of an account that are typed. */
export type AccountTextField = Exclude<keyof AccountDraft, 'id' | 'enabled' | AccountRecordingField | 'dtmfMethod'>;
/** The recording choices of an account (a select and a checkbox). */
export type AccountRecordingField = 'recording' | 'recordingNotice';
/** {@link AccountTextField}s in form order. */
export const ACCOUNT_TEXT_FIELDS: readonly AccountTextField[] = [
  'wsServer',
  'sipUri',
  'authUser',
  'password',
  'displayName',
  'iceServers',
];

export interface SettingsDraft {
  accounts: AccountDraft[];
  defaultCountry: string;
  dialFormat: DialFormat;
  declineCode: 486 | 603;
  /** The team's dispositions, one per line (empty: the standard list). */
  dispositions: string;
  /** Whole days as typed; `0` keeps recordings forever. */
  recordingRetentionDays: string;
  /** Megabytes as typed. */
  recordingMaxMb: string;
  dndResponse: DndResponse;
  /** Where 302 redirects, as typed. */
  dndRedirectTarget: string;
  autoAnswer: boolean;
  /** Whole seconds as typed. */
  autoAnswerDelaySeconds: string;
  intercomAutoAnswer: boolean;
  /**
   * The audio settings, carried through unchanged: the Audio section saves them itself, and a
   * form save must not reset them to the defaults.
   */
  audio: AudioSettings;
  /** The CRM connection, carried through unchanged: the CRM section saves it itself. */
  crm: CrmSettings;
  /** The after-call rules ("After the call" section). */
  afterCall: AfterCallDraft;
}

/** The after-call rules as the form holds them (the callback delay as typed). */
export interface AfterCallDraft {
  callbackTask: boolean;
  /** Minutes as typed. */
  callbackDueMinutes: string;
  answeredNote: boolean;
  newNumber: NewNumberRule;
}

/** The fields of the "After the call" section; their errors are keyed by these names. */
export type AfterCallField = keyof AfterCallDraft;

/** Settings that are not per account (and that a policy can lock). */
export type GlobalField = 'defaultCountry' | 'dialFormat' | 'declineCode' | 'dispositions' | RetentionField;
/** The recording retention limits, typed as text. */
export type RetentionField = 'recordingRetentionDays' | 'recordingMaxMb';
/** Do not disturb and auto-answer (the "Incoming calls" section; no policy locks them). */
export type CallHandlingField =
  | 'dndResponse'
  | 'dndRedirectTarget'
  | 'autoAnswer'
  | 'autoAnswerDelaySeconds'
  | 'intercomAutoAnswer';

/** A message for one field, by i18n key. */
export interface FieldError {
  key: OptionsMessageKey;
  params?: Record<string, string | number>;
}

/**
 * Where a field error belongs: `<accountId>.<field>` for account fields, the field name for global
 * ones. Built with {@link accountFieldKey}.
 */
export type FieldKey = string;

/** The {@link FieldKey} of an account's field. */
export function accountFieldKey(accountId: string, field: AccountTextField | 'enabled'): FieldKey {
  return `${accountId}.${field}`;
}

/** An account as the form shows it. */
export function draftFromAccount(account: Account): AccountDraft {
  return {
    id: account.id,
    enabled: account.enabled,
    wsServer: account.wsServer,
    sipUri: account.sipUri,
    authUser: account.authUser,
    password: account.password,
    displayName: account.displayName,
    iceServers: formatIceServerLines(account.iceServers),
    recording: account.recording,
    recordingNotice: account.recordingNotice,
    dtmfMethod: account.dtmfMethod,
  };
}

/** The form of a new account (enabled, every field empty). */
export function emptyAccountDraft(id: string): AccountDraft {
  return {
    id,
    enabled: true,
    wsServer: '',
    sipUri: '',
    authUser: '',
    password: '',
    displayName: '',
    iceServers: '',
    recording: 'off',
    recordingNotice: false,
    dtmfMethod: 'rfc4733',
  };
}

/** Settings as the form shows them. */
export function draftFromSettings(settings: Settings): SettingsDraft {
  return {
    accounts: settings.accounts.map(draftFromAccount),
    defaultCountry: settings.defaultCountry,
    dialFormat: settings.dialFormat,
    declineCode: settings.declineCode,
    dispositions: settings.dispositions.join('\n'),
    recordingRetentionDays: String(settings.recordingRetentionDays),
    recordingMaxMb: String(settings.recordingMaxMb),
    dndResponse: settings.dndResponse,
    dndRedirectTarget: settings.dndRedirectTarget,
    autoAnswer: settings.autoAnswer,
    autoAnswerDelaySeconds: String(settings.autoAnswerDelaySeconds),
    intercomAutoAnswer: settings.intercomAutoAnswer,
    audio: settings.audio,
    crm: settings.crm,
    afterCall: {
      callbackTask: settings.afterCall.callbackTask,
      callbackDueMinutes: String(settings.afterCall.callbackDueMinutes),
      answeredNote: settings.afterCall.answeredNote,
      newNumber: settings.afterCall.newNumber,
    },
  };
}

/** A number typed into a field: blank or not a number becomes NaN, which the schema refuses. */
function typedNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text.trim());
}

/** Whether two drafts hold the same values (what "unsaved changes" means). */
export function sameDraft(a: SettingsDraft, b: SettingsDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function issueError(issue: z.core.$ZodIssue): FieldError {
  return { key: isOptionsMessageKey(issue.message) ? issue.message : 'settings.error.invalid' };
}

/** The outcome of validating one account of the form. */
export type AccountValidation =
  | { ok: true; account: Account; errors: Map<FieldKey, FieldError> }
  | { ok: false; errors: Map<FieldKey, FieldError> };

/** Validates one account with `AccountSchema`; errors are keyed by {@link accountFieldKey}. */
export function validateAccountDraft(draft: AccountDraft): AccountValidation {
  const errors = new Map<FieldKey, FieldError>();
  const ice = parseIceServerLines(draft.iceServers);
  if (ice.badLines.length > 0) {
    errors.set(accountFieldKey(draft.id, 'iceServers'), {
      key: 'settings.error.iceLines',
      params: { lines: ice.badLines.join(', ') },
    });
  }
  const parsed = AccountSchema.safeParse({ ...draft, iceServers: ice.servers });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      // The schema checks every field the form has; `id` is ours and always valid.
      if (typeof field !== 'string' || field === 'id') continue;
      const key = accountFieldKey(draft.id, field as AccountTextField);
      if (!errors.has(key)) errors.set(key, issueError(issue));
    }
  }
  if (!parsed.success || errors.size > 0) return { ok: false, errors };
  return { ok: true, account: parsed.data, errors };
}

/** The outcome of validating the whole form. */
export type SettingsValidation =
  | { ok: true; settings: Settings; errors: Map<FieldKey, FieldError> }
  | { ok: false; errors: Map<FieldKey, FieldError> };

/** Validates the whole form with the settings schema. */
export function validateSettingsDraft(draft: SettingsDraft): SettingsValidation {
  const errors = new Map<FieldKey, FieldError>();
  const accounts: Account[] = [];
  for (const accountDraft of draft.accounts) {
    const result = validateAccountDraft(accountDraft);
    result.errors.forEach((error, key) => errors.set(key, error));
    if (result.ok) accounts.push(result.account);
  }
  const parsed = SettingsSchema.safeParse({
    accounts,
    defaultCountry: draft.defaultCountry,
    dialFormat: draft.dialFormat,
    declineCode: draft.declineCode,
    dispositions: dispositionLines(draft.dispositions),
    recordingRetentionDays: typedNumber(draft.recordingRetentionDays),
    recordingMaxMb: typedNumber(draft.recordingMaxMb),
    dndResponse: draft.dndResponse,
    dndRedirectTarget: draft.dndRedirectTarget,
    autoAnswer: draft.autoAnswer,
    autoAnswerDelaySeconds: typedNumber(draft.autoAnswerDelaySeconds),
    intercomAutoAnswer: draft.intercomAutoAnswer,
    audio: draft.audio,
    crm: draft.crm,
    afterCall: { ...draft.afterCall, callbackDueMinutes: typedNumber(draft.afterCall.callbackDueMinutes) },
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // The after-call fields are keyed by their own names (`callbackDueMinutes`).
      const field = issue.path[0] === 'afterCall' ? issue.path[1] : issue.path[0];
      if (typeof field === 'string' && field !== 'accounts' && !errors.has(field)) {
        errors.set(field, issueError(issue));
      }
    }
  }
  const redirectError = redirectTargetError(draft);
  if (redirectError && !errors.has('dndRedirectTarget')) errors.set('dndRedirectTarget', redirectError);
  if (!parsed.success || errors.size > 0) return { ok: false, errors };
  return { ok: true, settings: parsed.data, errors };
}

/**
 * A redirect is only useful with a target the PBX can route: with 302 it is required and must read
 * as something the agent could dial (it goes out in the account's domain).
 */
function redirectTargetError(draft: SettingsDraft): FieldError | undefined {
  // The field is shown (and checked) only with 302; a target kept from before is harmless.
  if (draft.dndResponse !== 302) return undefined;
  const target = draft.dndRedirectTarget.trim();
  if (target === '') return { key: 'settings.error.dndRedirectTarget' };
  const parsed = normalizeDialTarget(target, { defaultCountry: draft.defaultCountry, dialFormat: draft.dialFormat });
  return parsed.ok ? undefined : { key: 'settings.error.dndRedirectInvalid' };
}

/** The non-blank lines of the dispositions field, trimmed, in order. */
export function dispositionLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
