import Dexie from 'dexie';
import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';

/**
 * Missed calls "to handle": an inbound call that was missed (or refused under Do not disturb)
 * stays to handle until a callback to its number **connects** — an outbound call to the same
 * number key, after it, that the far end answered — or the agent marks it done. The handled state
 * is stored on the row (`missedHandledAt`, `missedHandledBy`).
 *
 * No index serves "unhandled" (the schema gets no new version for it): reads walk the existing
 * `[outcome+id]` index newest first and filter, with a bound on how many rows they look at.
 */

/** Most missed rows a summary looks at; older unhandled ones beyond it are not counted. */
export const MISSED_SCAN_LIMIT = 2000;

/** Whether a row is a missed call nobody has dealt with yet. */
export function isMissedToHandle(row: Pick<CallRecord, 'outcome' | 'missedHandledAt'>): boolean {
  return row.outcome === 'missed' && row.missedHandledAt === undefined;
}

/** Whether a row is a connected callback: an outbound call the far end answered. */
export function isConnectedCallback(row: Pick<CallRecord, 'direction' | 'answeredAt'>): boolean {
  return row.direction === 'outbound' && row.answeredAt !== undefined;
}

/** The missed calls of one number still to handle: one entry of the list. */
export interface MissedGroup {
  numberKey: string;
  /** History ids of the calls, newest first. */
  ids: string[];
  /** When the newest of them started. */
  lastAt: number;
  /** The number as the newest call presented it. */
  remoteRaw: string;
  remoteE164?: string;
  /** The latest name any of them presented. */
  remoteName?: string;
  /** How many of them were refused under Do not disturb (they never rang). */
  refused: number;
  /** How many of them heard busy because two calls were up already (they never rang). */
  busy: number;
}

/**
 * Groups missed calls listed newest first by number, keeping the order of each number's newest
 * call: "3 missed calls from Alice, last at 14:05" is one entry. Handled rows are left out.
 */
export function groupMissedCalls(rows: readonly CallRecord[]): MissedGroup[] {
  const groups = new Map<string, MissedGroup>();
  for (const row of rows) {
    if (!isMissedToHandle(row)) continue;
    const group = groups.get(row.numberKey);
    if (group) {
      group.ids.push(row.id);
      group.remoteName ??= row.remoteName;
      if (row.refusal === 'dnd') group.refused += 1;
      if (row.refusal === 'lines-busy') group.busy += 1;
      continue;
    }
    groups.set(row.numberKey, {
      numberKey: row.numberKey,
      ids: [row.id],
      lastAt: row.startedAt,
      remoteRaw: row.remoteRaw,
      ...(row.remoteE164 ? { remoteE164: row.remoteE164 } : {}),
      ...(row.remoteName ? { remoteName: row.remoteName } : {}),
      refused: row.refusal === 'dnd' ? 1 : 0,
      busy: row.refusal === 'lines-busy' ? 1 : 0,
    });
  }
  return [...groups.values()];
}

/**
 * The rows among `earlier` (one number's calls before `callback`) that `callback` handles: the
 * missed calls to handle of the same number that started before it, marked handled by callback
 * at the moment it was answered. Empty unless `callback` connected.
 */
export function handledByCallback(earlier: readonly CallRecord[], callback: CallRecord, now: number): CallRecord[] {
  if (!isConnectedCallback(callback)) return [];
  return earlier
    .filter((row) => row.numberKey === callback.numberKey && row.id < callback.id && isMissedToHandle(row))
    .map((row) => ({
      ...row,
      missedHandledAt: callback.answeredAt!,
      missedHandledBy: 'callback' as const,
      updatedAt: Math.max(now, row.updatedAt),
    }));
}

/**
 * Marks missed calls handled by the callbacks among `written` that have just connected (answered
 * now and not in `before`), inside the writer's transaction (which must include `db.calls`). Each
 * walk goes back through the number's calls only to the previous connected callback, which
 * handled everything older.
 *
 * @param before the rows as they were before this write (`undefined` for new rows), by history id.
 * @returns the rows updated.
 */
export async function resolveMissedByCallbacks(
  db: AppDb,
  written: readonly CallRecord[],
  before: ReadonlyMap<string, CallRecord | undefined>,
  now: number,
): Promise<CallRecord[]> {
  const updates: CallRecord[] = [];
  for (const call of written) {
    if (!isConnectedCallback(call) || before.get(call.id)?.answeredAt !== undefined) continue;
    const earlier = await db.calls
      .where('[numberKey+id]')
      .between([call.numberKey, Dexie.minKey], [call.numberKey, call.id], true, false)
      .reverse()
      .until((row) => isConnectedCallback(row))
      .toArray();
    updates.push(...handledByCallback(earlier, call, now));
  }
  // A call whose last snapshot is journaled only after its callback connected (a worker that
  // stopped in between): look forward for that callback.
  for (const call of written) {
    if (!isMissedToHandle(call) || before.get(call.id)?.outcome === 'missed') continue;
    if (updates.some((row) => row.id === call.id)) continue;
    const callback = await db.calls
      .where('[numberKey+id]')
      .between([call.numberKey, call.id], [call.numberKey, Dexie.maxKey], false, true)
      .filter(isConnectedCallback)
      .first();
    if (callback) updates.push(...handledByCallback([call], callback, now));
  }
  if (updates.length > 0) await db.calls.bulkPut(updates);
  return updates;
}

/** The missed calls to handle, grouped by number. */
export interface MissedCallsToHandle {
  groups: MissedGroup[];
  /** Missed calls to handle in all (a number's several calls count one by one). */
  count: number;
  /** More missed rows exist than were looked at ({@link MISSED_SCAN_LIMIT}): `count` is a floor. */
  more: boolean;
}

/** Reads the missed calls to handle, newest first (see {@link MISSED_SCAN_LIMIT}). */
export async function missedCallsToHandle(db: AppDb, scanLimit: number = MISSED_SCAN_LIMIT): Promise<MissedCallsToHandle> {
  let scanned = 0;
  const rows = await db.calls
    .where('[outcome+id]')
    .between(['missed', Dexie.minKey], ['missed', Dexie.maxKey])
    .reverse()
    .until(() => ++scanned > scanLimit)
    .filter(isMissedToHandle)
    .toArray();
  return { groups: groupMissedCalls(rows), count: rows.length, more: scanned > scanLimit };
}

/**
 * The agent's *Done*: marks the missed calls to handle of `numberKey` (or of every number, when
 * it is `undefined`) as handled by dismissal.
 *
 * @returns how many calls were marked.
 */
export async function dismissMissedCalls(db: AppDb, numberKey: string | undefined, now: number): Promise<number> {
  const collection =
    numberKey === undefined
      ? db.calls.where('[outcome+id]').between(['missed', Dexie.minKey], ['missed', Dexie.maxKey])
      : db.calls.where('[numberKey+id]').between([numberKey, Dexie.minKey], [numberKey, Dexie.maxKey]);
  return collection.filter(isMissedToHandle).modify((row) => {
    row.missedHandledAt = now;
    row.missedHandledBy = 'dismissed';
    row.updatedAt = Math.max(now, row.updatedAt);
  });
}
