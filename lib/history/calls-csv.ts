import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import { timePrefix } from '@/lib/db/time-ordered-id';

/**
 * CSV export of call history.
 *
 * - **RFC 4180**: comma-separated, CRLF line ends, a header row, and a cell holding the delimiter,
 *   a quote or a line break is quoted with its quotes doubled.
 * - **Comma, with a UTF-8 BOM.** The comma is the standard, and the BOM makes Excel read the file
 *   as UTF-8, so Cyrillic names survive. Excel in locales whose list separator is `;` (Russian,
 *   German…) still splits on `;` when a CSV is double-clicked, so `delimiter: ';'` is offered for
 *   them; a `sep=` line is not used because Excel then ignores the BOM.
 * - **Times** are ISO 8601 in UTC; **durations** are whole seconds.
 * - **Formula injection** (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, tab or
 *   CR is prefixed with `'`, so a spreadsheet shows it as text instead of running it. That includes
 *   E.164 numbers (`+7…`), which Excel would otherwise turn into a number without its `+`.
 */

export type CsvDelimiter = ',' | ';';

export interface CallsCsvOptions {
  /** @defaultValue `','` */
  delimiter?: CsvDelimiter;
  /** Text of the notes of each call (by history id), for the `notes` column. */
  notes?: ReadonlyMap<string, string>;
}

const BOM = '\ufeff';
const CRLF = '\r\n';

const iso = (at: number | undefined): string => (at === undefined ? '' : new Date(at).toISOString());
const seconds = (ms: number | undefined): string => (ms === undefined ? '' : String(Math.round(ms / 1000)));

/** The columns, in order: header name and how to read it from a call. */
export const CSV_COLUMNS: readonly (readonly [string, (call: CallRecord, notes: string | undefined) => string])[] = [
  ['started_at', (call) => iso(call.startedAt)],
  ['answered_at', (call) => iso(call.answeredAt)],
  ['ended_at', (call) => iso(call.endedAt)],
  ['direction', (call) => call.direction],
  ['outcome', (call) => call.outcome ?? ''],
  ['number', (call) => call.remoteE164 ?? call.numberKey],
  ['number_as_dialled', (call) => call.remoteRaw],
  ['name', (call) => call.remoteName ?? ''],
  ['account', (call) => call.accountId],
  ['ring_s', (call) => seconds(call.ringMs)],
  ['talk_s', (call) => seconds(call.talkMs)],
  ['hangup_by', (call) => call.hangupBy ?? ''],
  ['sip_code', (call) => (call.sipCode === undefined ? '' : String(call.sipCode))],
  ['end_reason', (call) => call.endReason ?? ''],
  ['disposition', (call) => call.disposition ?? ''],
  ['recording', (call) => (call.recordingId ? 'yes' : 'no')],
  ['crm_state', (call) => call.crmState ?? ''],
  ['notes', (_call, notes) => notes ?? ''],
  ['call_id', (call) => call.callId],
];

/** One cell, made safe for spreadsheets and quoted as RFC 4180 requires. */
export function escapeCsvCell(value: string, delimiter: CsvDelimiter = ','): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return safe.includes(delimiter) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV file of `calls` (in the order given), with BOM and header. */
export function callsToCsv(calls: readonly CallRecord[], options: CallsCsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const row = (cells: readonly string[]): string => cells.map((cell) => escapeCsvCell(cell, delimiter)).join(delimiter);
  const lines = [row(CSV_COLUMNS.map(([name]) => name))];
  for (const call of calls) lines.push(row(CSV_COLUMNS.map(([, read]) => read(call, options.notes?.get(call.id)))));
  return BOM + lines.join(CRLF) + CRLF;
}

/**
 * The CSV of the calls that started in `[from, to)`, oldest first, with their notes. Notes of the
 * range are found through the `callId` index as a range of history ids (ids are time-ordered).
 */
export async function exportCallsCsv(
  db: AppDb,
  range: { from: number; to: number },
  options: Pick<CallsCsvOptions, 'delimiter'> = {},
): Promise<string> {
  const [calls, notes] = await db.transaction('r', db.calls, db.notes, () =>
    Promise.all([
      db.calls.where('startedAt').between(range.from, range.to, true, false).toArray(),
      db.notes.where('callId').between(timePrefix(range.from), timePrefix(range.to), true, false).toArray(),
    ]),
  );
  const texts = new Map<string, string>();
  for (const note of notes) {
    if (note.callId) texts.set(note.callId, texts.has(note.callId) ? `${texts.get(note.callId)}\n${note.text}` : note.text);
  }
  return callsToCsv(calls, { ...options, notes: texts });
}
