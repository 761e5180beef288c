import { z } from 'zod';
import { isOptionsMessageKey, type OptionsMessageKey } from '@/lib/i18n/options-messages';
import { POLICY_ACCOUNT_ID } from '@/lib/settings/effective-settings';
import { SettingsSchema, type Settings } from '@/lib/settings/settings-schema';

/**
 * The settings file the options page exports and imports:
 *
 * ```json
 * { "format": "crm-softphone-settings", "version": 1, "settings": { "accounts": [...], ... } }
 * ```
 *
 * Only the user's own settings travel; administrator policy is never part of it.
 */
export const SETTINGS_FILE_FORMAT = 'crm-softphone-settings';
export const SETTINGS_FILE_VERSION = 1;
export const SETTINGS_FILE_NAME = 'softphone-settings.json';

export interface SettingsFile {
  format: typeof SETTINGS_FILE_FORMAT;
  version: typeof SETTINGS_FILE_VERSION;
  /** Without passwords the CRM connection is left out (an import then keeps the current one). */
  settings: ExportedSettings;
}

/** The settings as a file carries them. */
export type ExportedSettings = Omit<Settings, 'crm'> & Partial<Pick<Settings, 'crm'>>;

export interface SettingsFileOptions {
  /** Whether SIP passwords are written; otherwise they are `""`. @defaultValue false */
  includePasswords?: boolean;
}

/** The settings to export: without passwords, the CRM connection (it is all secrets) stays out. */
function withoutCrmSecrets(settings: Settings, includeSecrets: boolean): ExportedSettings {
  if (includeSecrets) return settings;
  const { crm: _crm, ...rest } = settings;
  return rest;
}

/** The object to export. */
export function buildSettingsFile(settings: Settings, options: SettingsFileOptions = {}): SettingsFile {
  return {
    format: SETTINGS_FILE_FORMAT,
    version: SETTINGS_FILE_VERSION,
    settings: {
      ...withoutCrmSecrets(settings, options.includePasswords ?? false),
      accounts: settings.accounts.map((account) => ({
        ...account,
        password: options.includePasswords ? account.password : '',
      })),
    },
  };
}

/** The text of the file to export. */
export function formatSettingsFile(settings: Settings, options: SettingsFileOptions = {}): string {
  return `${JSON.stringify(buildSettingsFile(settings, options), null, 2)}\n`;
}

/** What is wrong with an imported file, as a message key and where. */
export interface SettingsFileProblem {
  key: OptionsMessageKey;
  params?: Record<string, string | number>;
  /** Position in the settings, e.g. `['accounts', 1, 'wsServer']`; empty for the file as a whole. */
  path: (string | number)[];
}

export type SettingsFileImport =
  | { ok: true; settings: Settings }
  | { ok: false; problems: SettingsFileProblem[] };

const EnvelopeSchema = z.object({
  format: z.literal(SETTINGS_FILE_FORMAT),
  version: z.number().int().positive(),
  settings: z.record(z.string(), z.unknown()),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads an exported file and validates it. An account whose password is empty keeps the password
 * saved for the account with the same id in `current` (files exported without passwords).
 */
export function parseSettingsFile(text: string, current: Settings): SettingsFileImport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problems: [{ key: 'import.error.notJson', path: [] }] };
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    return { ok: false, problems: [{ key: 'import.error.notSettingsFile', path: [] }] };
  }
  const { version, settings } = envelope.data;
  if (version !== SETTINGS_FILE_VERSION) {
    return { ok: false, problems: [{ key: 'import.error.version', params: { version }, path: [] }] };
  }

  const problems: SettingsFileProblem[] = [];
  const savedPasswords = new Map(current.accounts.map((account) => [account.id, account.password]));
  const seenIds = new Set<unknown>();
  const missingPassword = new Set<number>();
  const accounts = Array.isArray(settings.accounts)
    ? settings.accounts.map((account: unknown, index) => {
        if (!isRecord(account)) return account;
        if (account.id === POLICY_ACCOUNT_ID) {
          problems.push({ key: 'import.error.reservedId', path: ['accounts', index, 'id'] });
        } else if (seenIds.has(account.id)) {
          problems.push({ key: 'import.error.duplicateId', path: ['accounts', index, 'id'] });
        }
        seenIds.add(account.id);
        if (account.password !== undefined && account.password !== '') return account;
        const saved = typeof account.id === 'string' ? savedPasswords.get(account.id) : undefined;
        if (saved === undefined) missingPassword.add(index);
        return { ...account, password: saved ?? '' };
      })
    : settings.accounts;

  // A file written without passwords has no CRM connection (its token is a secret): keep the current one.
  const crm = settings.crm ?? current.crm;
  const parsed = SettingsSchema.safeParse({ ...settings, accounts, crm });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((part) => typeof part !== 'symbol');
      const [first, index, field] = path;
      const isMissingPassword =
        first === 'accounts' && typeof index === 'number' && field === 'password' && missingPassword.has(index);
      if (isMissingPassword) {
        problems.push({ key: 'import.error.passwordMissing', path });
      } else {
        problems.push({
          key: isOptionsMessageKey(issue.message) ? issue.message : 'settings.error.invalid',
          path,
        });
      }
    }
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, settings: parsed.data };
}
