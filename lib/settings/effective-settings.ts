import type { AfterCallSettings } from '@/lib/settings/after-call-settings';
import { AfterCallPolicySchema, type ManagedPolicy } from '@/lib/settings/managed-policy';
import { AccountSchema, CountrySchema, type Settings } from '@/lib/settings/settings-schema';

/** Id of the account an administrator provisions by policy. */
export const POLICY_ACCOUNT_ID = 'policy';

/** One after-call rule fixed by policy, as `locked` names it (`afterCall.callbackDueMinutes`). */
export type LockableAfterCallRule = `afterCall.${keyof AfterCallSettings}`;

/** Settings an administrator's policy can fix; the after-call rules are locked one by one. */
export type LockableSetting =
  | 'defaultCountry'
  | 'dialFormat'
  | 'declineCode'
  | 'dispositions'
  | 'accounts'
  | 'recordingRetentionDays'
  | 'recordingMaxMb'
  | LockableAfterCallRule;

/** Settings as used, with what the administrator locked. */
export interface EffectiveSettings {
  settings: Settings;
  /** Settings fixed by policy (shown read-only): top-level ones, and after-call rules one by one. */
  locked: ReadonlySet<LockableSetting>;
  /** Whether a policy account exists (it is read-only as a whole). */
  hasPolicyAccount: boolean;
  /** Policy keys that were present but invalid, for the options page to report. */
  policyErrors: string[];
}

/**
 * Merges the user's settings with the administrator's policy; the policy wins.
 *
 * A policy with `wsServer`, `sipUri` and `password` provisions an account that comes first; with
 * `allowUserAccounts: false` it is the only one.
 */
export function mergeSettings(local: Settings, policy: ManagedPolicy): EffectiveSettings {
  const locked = new Set<LockableSetting>();
  const policyErrors: string[] = [];
  const settings: Settings = { ...local, accounts: [...local.accounts] };

  if (policy.defaultCountry !== undefined) {
    const country = CountrySchema.safeParse(policy.defaultCountry);
    if (country.success) {
      settings.defaultCountry = country.data;
      locked.add('defaultCountry');
    } else policyErrors.push('defaultCountry');
  }
  if (policy.dialFormat !== undefined) {
    settings.dialFormat = policy.dialFormat;
    locked.add('dialFormat');
  }
  if (policy.declineCode !== undefined) {
    settings.declineCode = policy.declineCode;
    locked.add('declineCode');
  }
  if (policy.dispositions !== undefined) {
    settings.dispositions = policy.dispositions;
    locked.add('dispositions');
  }
  if (policy.recordingRetentionDays !== undefined) {
    settings.recordingRetentionDays = policy.recordingRetentionDays;
    locked.add('recordingRetentionDays');
  }
  if (policy.recordingMaxMb !== undefined) {
    settings.recordingMaxMb = policy.recordingMaxMb;
    locked.add('recordingMaxMb');
  }
  if (policy.afterCall !== undefined) {
    // Per rule: an administrator may fix only the callback SLA and leave the rest to the agent.
    const fixed = policy.afterCall;
    settings.afterCall = {
      callbackTask: fixed.callbackTask ?? local.afterCall.callbackTask,
      callbackDueMinutes: fixed.callbackDueMinutes ?? local.afterCall.callbackDueMinutes,
      answeredNote: fixed.answeredNote ?? local.afterCall.answeredNote,
      newNumber: fixed.newNumber ?? local.afterCall.newNumber,
    };
    for (const rule of AfterCallPolicySchema.keyof().options) {
      if (fixed[rule] !== undefined) locked.add(`afterCall.${rule}`);
    }
  }

  let hasPolicyAccount = false;
  if (policy.wsServer !== undefined || policy.sipUri !== undefined) {
    const account = AccountSchema.safeParse({
      id: POLICY_ACCOUNT_ID,
      enabled: true,
      wsServer: policy.wsServer,
      sipUri: policy.sipUri,
      authUser: policy.authUser ?? '',
      password: policy.password,
      displayName: policy.displayName ?? '',
      iceServers: policy.iceServers ?? [],
      recording: policy.recording ?? 'off',
      recordingNotice: policy.recordingNotice ?? false,
      dtmfMethod: policy.dtmfMethod ?? 'rfc4733',
    });
    if (account.success) {
      hasPolicyAccount = true;
      const own = settings.accounts.filter((a) => a.id !== POLICY_ACCOUNT_ID);
      settings.accounts = policy.allowUserAccounts === false ? [account.data] : [account.data, ...own];
    } else {
      policyErrors.push(...account.error.issues.map((issue) => issue.path.join('.')));
    }
  }
  if (policy.allowUserAccounts === false) {
    locked.add('accounts');
    if (!hasPolicyAccount) settings.accounts = [];
  }
  return { settings, locked, hasPolicyAccount, policyErrors };
}
