import { signal, type ReadonlySignal } from '@preact/signals';
import {
  formatSettingsFile,
  parseSettingsFile,
  SETTINGS_FILE_NAME,
  type SettingsFileProblem,
} from '@/lib/options/settings-file';
import type { Settings } from '@/lib/settings/settings-schema';
import { loadLocalSettings, saveLocalSettings } from '@/lib/settings/settings-store';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/**
 * Import of a settings file:
 *
 * ```text
 * idle ──► reading ──► confirming ──► saving ──► done
 *             │            │             │
 *             ▼            ▼ (cancel)    ▼
 *          invalid       idle          failed
 * ```
 */
export type ImportState =
  | { state: 'idle' }
  | { state: 'reading'; fileName: string }
  | { state: 'invalid'; fileName: string; problems: SettingsFileProblem[] }
  | { state: 'confirming'; fileName: string; settings: Settings }
  | { state: 'saving'; fileName: string }
  | { state: 'done'; fileName: string }
  | { state: 'failed'; fileName: string; message: string };

/** A file the user picked (the DOM `File` is one). */
export interface PickedFile {
  readonly name: string;
  text(): Promise<string>;
}

export interface SettingsTransferModelDeps {
  /** Offers `text` to the user as a download named `fileName`. */
  download: (fileName: string, text: string) => void;
  /** Called with the settings an import has just saved. */
  onImported: (settings: Settings) => void;
}

export interface SettingsTransferModel {
  /** Whether exports contain the SIP passwords. @defaultValue false */
  readonly includePasswords: ReadonlySignal<boolean>;
  readonly importState: ReadonlySignal<ImportState>;
  setIncludePasswords(include: boolean): void;
  /** Downloads the saved settings as `softphone-settings.json`. */
  exportSettings(): Promise<void>;
  /** Reads and validates a file; a valid one waits for {@link confirmImport}. */
  readFile(file: PickedFile): Promise<void>;
  /** Saves the settings of the file being confirmed, replacing the user's. */
  confirmImport(): Promise<void>;
  cancelImport(): void;
}

/** Export and import of the user's settings on the options page. */
export function createSettingsTransferModel(deps: SettingsTransferModelDeps): SettingsTransferModel {
  const includePasswords = signal(false);
  const importState = signal<ImportState>({ state: 'idle' });

  return {
    includePasswords,
    importState,

    setIncludePasswords(include) {
      includePasswords.value = include;
    },

    async exportSettings() {
      const settings = await loadLocalSettings();
      const text = formatSettingsFile(settings, { includePasswords: includePasswords.value });
      deps.download(SETTINGS_FILE_NAME, text);
    },

    async readFile(file) {
      importState.value = { state: 'reading', fileName: file.name };
      try {
        const [text, current] = await Promise.all([file.text(), loadLocalSettings()]);
        const result = parseSettingsFile(text, current);
        importState.value = result.ok
          ? { state: 'confirming', fileName: file.name, settings: result.settings }
          : { state: 'invalid', fileName: file.name, problems: result.problems };
      } catch (error) {
        log.warn('reading the settings file failed', error);
        importState.value = {
          state: 'failed',
          fileName: file.name,
          message: error instanceof Error ? error.message : String(error),
        };
      }
    },

    async confirmImport() {
      const pending = importState.value;
      if (pending.state !== 'confirming') return;
      importState.value = { state: 'saving', fileName: pending.fileName };
      try {
        await saveLocalSettings(pending.settings);
      } catch (error) {
        log.error('saving imported settings failed', error);
        importState.value = {
          state: 'failed',
          fileName: pending.fileName,
          message: error instanceof Error ? error.message : String(error),
        };
        return;
      }
      deps.onImported(pending.settings);
      importState.value = { state: 'done', fileName: pending.fileName };
    },

    cancelImport() {
      importState.value = { state: 'idle' };
    },
  };
}
