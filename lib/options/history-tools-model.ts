import { signal, type ReadonlySignal } from '@preact/signals';
import type { HistoryImportResult } from '@/lib/messaging/options-to-background';
import type { OptionsClient } from '@/lib/options/options-model';
import type { PickedFile } from '@/lib/options/settings-transfer-model';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/** How many rows of each history table an import wrote. */
export type HistoryImportCounts = Extract<HistoryImportResult, { ok: true }>['counts'];

/**
 * Import of a history backup. The background validates the whole file before writing anything, so
 * an invalid file ends in `invalid` with the database untouched:
 *
 * ```text
 * idle ──► reading ──► confirming ──► importing ──► done
 *             │            │              │
 *             ▼            ▼ (cancel)     ├──► invalid
 *          invalid       idle             ▼
 *                                       failed
 * ```
 */
export type HistoryImportState =
  | { state: 'idle' }
  | { state: 'reading'; fileName: string }
  | { state: 'invalid'; fileName: string; problems: string[] }
  | { state: 'confirming'; fileName: string; json: string; calls: number }
  | { state: 'importing'; fileName: string }
  | { state: 'done'; fileName: string; counts: HistoryImportCounts }
  | { state: 'failed'; fileName: string; message: string };

/**
 * The outcome of the last export or clearing, for the status line:
 *
 * ```text
 * idle ──► busy ──► exported | cleared | failed
 * ```
 */
export type HistoryActionStatus =
  | { state: 'idle' }
  | { state: 'busy' }
  | { state: 'exported'; fileName: string }
  | { state: 'cleared' }
  | { state: 'failed'; message: string };

export interface HistoryToolsModelDeps {
  client: Pick<OptionsClient, 'exportCallsCsv' | 'exportHistoryBackup' | 'importHistoryBackup' | 'clearHistory'>;
  /** Offers `text` to the user as a download named `fileName`. */
  download: (fileName: string, text: string, type?: string) => void;
  /** The current time (epoch ms), for file names. @defaultValue `Date.now` */
  now?: () => number;
}

export interface HistoryToolsModel {
  /** Whether backups contain the recordings' audio. @defaultValue false */
  readonly includeRecordings: ReadonlySignal<boolean>;
  readonly status: ReadonlySignal<HistoryActionStatus>;
  readonly importState: ReadonlySignal<HistoryImportState>;
  /** The first step of clearing was taken; {@link confirmClear} finishes it. */
  readonly clearArmed: ReadonlySignal<boolean>;
  setIncludeRecordings(include: boolean): void;
  /** Downloads the whole call log as `calls-YYYY-MM-DD.csv`. */
  exportCsv(): Promise<void>;
  /** Downloads the whole history as `history-YYYY-MM-DD.json`. */
  exportBackup(): Promise<void>;
  /** Reads a backup file; a readable one waits for {@link confirmImport}. */
  readFile(file: PickedFile): Promise<void>;
  /** Imports the file being confirmed (the background validates it before writing). */
  confirmImport(): Promise<void>;
  cancelImport(): void;
  /** First step of clearing: asks for confirmation. */
  requestClear(): void;
  /** Second step: deletes all history. */
  confirmClear(): Promise<void>;
  cancelClear(): void;
}

/** `YYYY-MM-DD` of `at` in local time (the user's "today"). */
export function localDateStamp(at: number): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Export, backup, restore and clearing of call history on the options page. */
export function createHistoryToolsModel({ client, download, now = Date.now }: HistoryToolsModelDeps): HistoryToolsModel {
  const includeRecordings = signal(false);
  const status = signal<HistoryActionStatus>({ state: 'idle' });
  const importState = signal<HistoryImportState>({ state: 'idle' });
  const clearArmed = signal(false);

  async function run(action: () => Promise<HistoryActionStatus>): Promise<void> {
    if (status.value.state === 'busy') return;
    status.value = { state: 'busy' };
    try {
      status.value = await action();
    } catch (error) {
      log.warn('history action failed', error);
      status.value = { state: 'failed', message: messageOf(error) };
    }
  }

  return {
    includeRecordings,
    status,
    importState,
    clearArmed,

    setIncludeRecordings(include) {
      includeRecordings.value = include;
    },

    exportCsv: () =>
      run(async () => {
        const { csv } = await client.exportCallsCsv({});
        const fileName = `calls-${localDateStamp(now())}.csv`;
        download(fileName, csv, 'text/csv');
        return { state: 'exported', fileName };
      }),

    exportBackup: () =>
      run(async () => {
        const { json } = await client.exportHistoryBackup({ includeRecordings: includeRecordings.value });
        const fileName = `history-${localDateStamp(now())}.json`;
        download(fileName, json, 'application/json');
        return { state: 'exported', fileName };
      }),

    async readFile(file) {
      importState.value = { state: 'reading', fileName: file.name };
      let json: string;
      try {
        json = await file.text();
      } catch (error) {
        log.warn('reading the history backup failed', error);
        importState.value = { state: 'failed', fileName: file.name, message: messageOf(error) };
        return;
      }
      let data: unknown;
      try {
        data = JSON.parse(json);
      } catch (error) {
        importState.value = { state: 'invalid', fileName: file.name, problems: [`not JSON: ${messageOf(error)}`] };
        return;
      }
      const calls = (data as { calls?: unknown } | null)?.calls;
      importState.value = {
        state: 'confirming',
        fileName: file.name,
        json,
        calls: Array.isArray(calls) ? calls.length : 0,
      };
    },

    async confirmImport() {
      const pending = importState.value;
      if (pending.state !== 'confirming') return;
      importState.value = { state: 'importing', fileName: pending.fileName };
      try {
        const result = await client.importHistoryBackup({ json: pending.json });
        importState.value = result.ok
          ? { state: 'done', fileName: pending.fileName, counts: result.counts }
          : { state: 'invalid', fileName: pending.fileName, problems: result.problems };
      } catch (error) {
        log.error('importing the history backup failed', error);
        importState.value = { state: 'failed', fileName: pending.fileName, message: messageOf(error) };
      }
    },

    cancelImport() {
      importState.value = { state: 'idle' };
    },

    requestClear() {
      clearArmed.value = true;
    },

    async confirmClear() {
      if (!clearArmed.value) return;
      clearArmed.value = false;
      await run(async () => {
        await client.clearHistory({});
        return { state: 'cleared' };
      });
    },

    cancelClear() {
      clearArmed.value = false;
    },
  };
}
