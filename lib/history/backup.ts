import { z } from 'zod';
import type { AppDb } from '@/lib/db/app-db';
import { CallRecordSchema } from '@/lib/db/call-record';
import { ContactRecordSchema } from '@/lib/db/contact-record';
import { MessageRecordSchema } from '@/lib/db/message-record';
import { NoteRecordSchema } from '@/lib/db/note-record';
import { RecordingRecordSchema, type RecordingRecord } from '@/lib/db/recording-record';
import { TaskRecordSchema } from '@/lib/db/task-record';
import { toWords } from '@/lib/db/words';
import { relinkAllCallbacks } from '@/lib/history/callback-linking';
import { rebuildNumberDirectory, recordNumbers } from '@/lib/history/number-directory';
import { Exception } from '@/lib/util/exception';
import { base64ToBytes, blobToBase64 } from '@/lib/util/base64';

/**
 * Backup of the whole history as one JSON file, and its import.
 *
 * The file starts with a header (`format`, `version`, when, from which schema version, whether the
 * recordings' audio is in it) and holds every table's rows. Recordings carry their audio as
 * base64, or are left out (`includeRecordings: false`; the calls keep their `recordingId`, which
 * then points at nothing, as after retention pruning). Derived data is not exported and is rebuilt
 * on import: the `words` of calls and notes, and the number directory (and, when merging, the
 * links of missed calls to their callbacks); the day totals of analytics are dropped and counted
 * again on the next analytics read.
 *
 * `version` is the version of this file format, not of the database schema: a newer schema can
 * still read and write version 1 files as long as this module maps them.
 */
export const BACKUP_FORMAT = 'crm-softphone/history';
export const BACKUP_VERSION = 1;

/** Tables a backup holds; `numbers` and `dayTotals` are derived and rebuilt. */
export const BACKUP_TABLES = ['calls', 'notes', 'recordings', 'contacts', 'messages', 'tasks'] as const;

const BackupRecordingSchema = RecordingRecordSchema.omit({ blob: true }).extend({
  /** The audio, base64; absent when the backup excludes recordings' audio. */
  data: z.base64().optional(),
});

export const HistoryBackupSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  exportedAt: z.iso.datetime(),
  schemaVersion: z.number().int().positive(),
  recordingsIncluded: z.boolean(),
  calls: z.array(CallRecordSchema.omit({ words: true })),
  notes: z.array(NoteRecordSchema.omit({ words: true })),
  recordings: z.array(BackupRecordingSchema),
  contacts: z.array(ContactRecordSchema),
  messages: z.array(MessageRecordSchema),
  tasks: z.array(TaskRecordSchema),
});
export type HistoryBackup = z.infer<typeof HistoryBackupSchema>;

/** A backup file that cannot be imported; {@link problems} lists why, one line per problem. */
export class BackupImportError extends Exception {
  constructor(readonly problems: readonly string[]) {
    super(`The backup cannot be imported:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  }
}

/** Most problems listed in a {@link BackupImportError}; the rest are counted. */
const MAX_PROBLEMS = 20;

export interface ExportBackupOptions {
  /** Whether the recordings' audio goes into the file (it can be large). */
  includeRecordings: boolean;
  /** The export time (epoch ms). */
  now: number;
}

/** The whole history as backup JSON. */
export async function exportBackup(db: AppDb, options: ExportBackupOptions): Promise<string> {
  const [calls, notes, recordings, contacts, messages, tasks] = await db.transaction('r', db.tables, () =>
    Promise.all([
      db.calls.toArray(),
      db.notes.toArray(),
      options.includeRecordings ? db.recordings.toArray() : Promise.resolve([] as RecordingRecord[]),
      db.contacts.toArray(),
      db.messages.toArray(),
      db.tasks.toArray(),
    ]),
  );
  // Blobs are read after the transaction: awaiting anything but IndexedDB inside it would end it.
  const backup: HistoryBackup = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: new Date(options.now).toISOString(),
    schemaVersion: db.verno,
    recordingsIncluded: options.includeRecordings,
    calls: calls.map(({ words: _words, ...call }) => call),
    notes: notes.map(({ words: _words, ...note }) => note),
    recordings: await Promise.all(
      recordings.map(async ({ blob, ...recording }) => ({ ...recording, data: await blobToBase64(blob) })),
    ),
    contacts,
    messages,
    tasks,
  };
  return JSON.stringify(backup);
}

export interface ImportBackupOptions {
  /**
   * `merge` adds the backup's rows to the history, replacing rows with the same id; `replace`
   * clears the history first.
   * @defaultValue `'merge'`
   */
  mode?: 'merge' | 'replace';
}

/** How many rows of each table an import wrote. */
export type ImportSummary = Record<(typeof BACKUP_TABLES)[number], number>;

/**
 * Imports backup JSON. The file is checked completely first (JSON, the schema, duplicate ids,
 * sizes of the audio, and that every note and recording belongs to a call in the backup or the
 * database); then everything is written in one transaction. On any problem nothing is written and
 * the promise rejects with a {@link BackupImportError} listing all the problems found.
 */
export async function importBackup(db: AppDb, json: string, options: ImportBackupOptions = {}): Promise<ImportSummary> {
  const backup = parseBackup(json);
  const recordings: RecordingRecord[] = [];
  const problems: string[] = [...duplicateIds(backup)];
  backup.recordings.forEach(({ data, ...recording }, i) => {
    if (data === undefined) return; // audio excluded: nothing to restore
    const bytes = base64ToBytes(data);
    if (bytes.byteLength !== recording.size) {
      problems.push(`recordings[${i}].size: is ${recording.size} but the audio has ${bytes.byteLength} bytes`);
    }
    recordings.push({ ...recording, blob: new Blob([bytes], { type: recording.type }) });
  });
  if (problems.length > 0) throw new BackupImportError(limited(problems));

  const contactNames = new Map(backup.contacts.map((contact) => [contact.id, contact.name]));
  const calls = backup.calls.map((call) => ({
    ...call,
    words: toWords(call.remoteName, call.contactId ? contactNames.get(call.contactId) : undefined),
  }));
  const notes = backup.notes.map((note) => ({ ...note, words: toWords(note.text) }));
  const replace = options.mode === 'replace';

  await db.transaction('rw', db.tables, async () => {
    if (replace) await Promise.all(db.tables.map((table) => table.clear()));
    await checkCallReferences(db, backup, new Set(calls.map((call) => call.id)));
    await db.contacts.bulkPut(backup.contacts);
    await db.calls.bulkPut(calls);
    await db.notes.bulkPut(notes);
    await db.recordings.bulkPut(recordings);
    await db.messages.bulkPut(backup.messages);
    await db.tasks.bulkPut(backup.tasks);
    if (replace) await rebuildNumberDirectory(db);
    else {
      const messageNumbers = backup.messages.map((m) => ({ numberKey: m.numberKey, startedAt: m.at, remoteName: m.remoteName }));
      await recordNumbers(db, [...calls, ...messageNumbers]);
    }
    // Imported calls may answer missed calls already stored, and the other way round.
    if (!replace) await relinkAllCallbacks(db);
    // Imported calls can fall on any day, and relinking changes earlier days: count every day anew.
    if (!replace) await db.dayTotals.clear();
  });
  return {
    calls: calls.length,
    notes: notes.length,
    recordings: recordings.length,
    contacts: backup.contacts.length,
    messages: backup.messages.length,
    tasks: backup.tasks.length,
  };
}

/** Deletes all history: every table, in one transaction. */
export async function clearHistory(db: AppDb): Promise<void> {
  await db.transaction('rw', db.tables, () => Promise.all(db.tables.map((table) => table.clear())));
}

function parseBackup(json: string): HistoryBackup {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new BackupImportError([`not JSON: ${(error as Error).message}`]);
  }
  const header = z.object({ format: z.string(), version: z.number() }).safeParse(data);
  if (!header.success || header.data.format !== BACKUP_FORMAT) {
    throw new BackupImportError([`not a history backup: format must be "${BACKUP_FORMAT}"`]);
  }
  if (header.data.version !== BACKUP_VERSION) {
    throw new BackupImportError([`backup format version ${header.data.version} is not supported (this version reads ${BACKUP_VERSION})`]);
  }
  const parsed = HistoryBackupSchema.safeParse(data);
  if (!parsed.success) {
    throw new BackupImportError(limited(parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`)));
  }
  return parsed.data;
}

function* duplicateIds(backup: HistoryBackup): Generator<string> {
  for (const table of BACKUP_TABLES) {
    const seen = new Set<string>();
    for (const [i, row] of backup[table].entries()) {
      if (seen.has(row.id)) yield `${table}[${i}].id: "${row.id}" appears more than once`;
      seen.add(row.id);
    }
  }
}

/** Every note and recording of the backup must belong to a call of the backup or of the database. */
async function checkCallReferences(db: AppDb, backup: HistoryBackup, importedCalls: ReadonlySet<string>): Promise<void> {
  const rows = [
    ...backup.notes.map((row, i) => ({ where: `notes[${i}]`, callId: row.callId })),
    ...backup.recordings.map((row, i) => ({ where: `recordings[${i}]`, callId: row.callId })),
  ].filter((row): row is { where: string; callId: string } => row.callId !== undefined && !importedCalls.has(row.callId));
  if (rows.length === 0) return;
  const stored = await db.calls.bulkGet(rows.map((row) => row.callId));
  const problems = rows
    .filter((_, i) => stored[i] === undefined)
    .map((row) => `${row.where}.callId: no call "${row.callId}" in the backup or the history`);
  if (problems.length > 0) throw new BackupImportError(limited(problems));
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function limited(problems: readonly string[]): string[] {
  if (problems.length <= MAX_PROBLEMS) return [...problems];
  return [...problems.slice(0, MAX_PROBLEMS), `…and ${problems.length - MAX_PROBLEMS} more`];
}
