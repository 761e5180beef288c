import type { AppDb } from '@/lib/db/app-db';
import { BackupImportError, clearHistory, exportBackup, importBackup } from '@/lib/history/backup';
import { exportCallsCsv } from '@/lib/history/calls-csv';
import type { HistoryImportResult } from '@/lib/messaging/options-to-background';

export interface HistoryToolsDeps {
  db: AppDb;
  /** The current time (epoch ms). @defaultValue `Date.now` */
  now?: () => number;
}

/** What the options page can do with the whole history: export, back up, restore, clear. */
export interface HistoryTools {
  exportCallsCsv(): Promise<{ csv: string }>;
  exportBackup(options: { includeRecordings: boolean }): Promise<{ json: string }>;
  /** Imports a backup (merging by id); an invalid file writes nothing and returns its problems. */
  importBackup(json: string): Promise<HistoryImportResult>;
  clearHistory(): Promise<null>;
}

/** The history tools over `db` (only the background opens the database). */
export function createHistoryTools({ db, now = Date.now }: HistoryToolsDeps): HistoryTools {
  return {
    async exportCallsCsv() {
      // Every call: from the epoch to the end of time (ids are clamped to 13 digits anyway).
      return { csv: await exportCallsCsv(db, { from: 0, to: Number.MAX_SAFE_INTEGER }) };
    },

    async exportBackup({ includeRecordings }) {
      return { json: await exportBackup(db, { includeRecordings, now: now() }) };
    },

    async importBackup(json) {
      try {
        return { ok: true, counts: await importBackup(db, json) };
      } catch (error) {
        // An invalid file is an expected outcome for the user, not a failure of the message.
        if (error instanceof BackupImportError) return { ok: false, problems: [...error.problems] };
        throw error;
      }
    },

    async clearHistory() {
      await clearHistory(db);
      return null;
    },
  };
}
