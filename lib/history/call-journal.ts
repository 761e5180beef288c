import type { AppDb } from '@/lib/db/app-db';
import { callRecordId, type CallRecord } from '@/lib/db/call-record';
import type { ContactRecord } from '@/lib/db/contact-record';
import { linkCallbacks } from '@/lib/history/callback-linking';
import { interruptCall, LIVE_CALL_STATES, mergeCallSnapshot } from '@/lib/history/merge-call-snapshot';
import { isMissedToHandle, resolveMissedByCallbacks } from '@/lib/history/missed-calls';
import { recordNumbers } from '@/lib/history/number-directory';
import { dropDayTotalsAt } from '@/lib/history/stale-day-totals';
import { numberKeyOf } from '@/lib/history/number-key';
import type { CallSnapshot, PhoneSnapshot } from '@/lib/phone/phone-snapshot';

/** Options of {@link journalSnapshot}. */
export interface JournalOptions {
  /** Default country for reading national numbers (the settings' `defaultCountry`). */
  region: string;
}

/** What a journal write did. */
export interface JournalResult {
  /** History ids of the rows written (empty when the snapshot changed nothing). */
  written: string[];
  /**
   * What changed among the missed calls to handle: number keys of calls that have just been
   * missed, and how many were handled by a callback that has just connected. Absent when nothing.
   */
  missed?: { added: string[]; resolved: number };
}

/**
 * Write-ahead of call history: upserts a row for every call of an engine snapshot, live (`calls`)
 * or just ended (`recent`), in one transaction. The background calls it for every snapshot it
 * receives, so a call has a row from its first ring, and a worker stopped at any second loses at
 * most the change it was about to write, which the engine's next snapshot carries again.
 *
 * Idempotent and monotone: the same snapshot twice writes nothing the second time, and an older
 * snapshot replayed after a newer one changes nothing (`mergeCallSnapshot`).
 */
export async function journalSnapshot(
  db: AppDb,
  snapshot: Pick<PhoneSnapshot, 'calls' | 'recent'>,
  now: number,
  options: JournalOptions,
): Promise<JournalResult> {
  const snapshots = latestPerCall([...snapshot.calls, ...snapshot.recent]);
  if (snapshots.length === 0) return { written: [] };
  return db.transaction('rw', db.calls, db.numbers, db.contacts, db.dayTotals, async () => {
    const ids = snapshots.map((call) => callRecordId(call.id, call.startedAt));
    const existing = await db.calls.bulkGet(ids);
    const contacts = await Promise.all(
      snapshots.map((call, i) => (existing[i] ? undefined : contactOf(db, call, options.region))),
    );
    const written: CallRecord[] = [];
    snapshots.forEach((call, i) => {
      const next = mergeCallSnapshot(existing[i], call, now, { region: options.region, contact: contacts[i] });
      if (next) written.push(next);
    });
    if (written.length > 0) {
      await db.calls.bulkPut(written);
      await recordNumbers(db, written);
      const stored = new Set(existing.map((row) => row?.id));
      const fresh = new Set(written.map((row) => row.id).filter((id) => !stored.has(id)));
      const linked = await linkCallbacks(db, written, fresh, now);
      // Only finished calls are counted (an interrupted one that gets its real ending was finished too).
      await dropDayTotalsAt(
        db,
        [...written, ...linked].filter((row) => row.outcome !== undefined).map((row) => row.startedAt),
      );
      const before = new Map(ids.map((id, i) => [id, existing[i]]));
      // After linking, so the rows it rewrites carry both `callbackAt` and the handled state.
      const resolved = await resolveMissedByCallbacks(db, [...withUpdates(written, linked)], before, now);
      const added = written
        .filter((row) => before.get(row.id)?.outcome !== 'missed' && isMissedToHandle(row))
        .filter((row) => !resolved.some((r) => r.id === row.id))
        .map((row) => row.numberKey);
      const touched = new Set([...written, ...linked, ...resolved].map((row) => row.id));
      return {
        written: [...touched],
        ...(added.length > 0 || resolved.length > 0 ? { missed: { added: [...new Set(added)], resolved: resolved.length } } : {}),
      };
    }
    return { written: [] };
  });
}

/**
 * Closes, as `interrupted`, every unfinished row whose call the engine does not have live: after a
 * browser crash or a lost engine nothing stays "in progress" forever, and the call keeps the time
 * it was last known alive.
 *
 * Call it on a fresh start **after** journaling the engine's current snapshot (whose `recent`
 * may hold calls that ended while the worker was stopped), with the ids of its `calls`.
 *
 * @returns history ids of the rows closed.
 */
export async function recoverInterruptedCalls(
  db: AppDb,
  liveCallIds: Iterable<string>,
  now: number,
): Promise<string[]> {
  const live = new Set(liveCallIds);
  return db.transaction('rw', db.calls, db.dayTotals, async () => {
    const open = await db.calls.where('state').anyOf(LIVE_CALL_STATES).toArray();
    const closed = open
      .filter((row) => !live.has(row.callId))
      .map((row) => interruptCall(row, now))
      .filter((row) => row !== undefined);
    await db.calls.bulkPut(closed);
    await dropDayTotalsAt(db, closed.map((row) => row.startedAt));
    return closed.map((row) => row.id);
  });
}

/**
 * Heartbeat: records that the live calls were still alive at `now`, so a call cut by a crash ends
 * near the crash rather than at its last state change (an hour-long call with no changes would
 * otherwise lose its talk time). Meant for a periodic alarm while calls are up; `journalSnapshot`
 * itself stays idempotent and does not move this time when nothing changed.
 *
 * @returns how many rows were touched.
 */
export async function touchLiveCalls(db: AppDb, liveCallIds: Iterable<string>, now: number): Promise<number> {
  const live = new Set(liveCallIds);
  if (live.size === 0) return 0;
  return db.calls
    .where('state')
    .anyOf(LIVE_CALL_STATES)
    .filter((row) => live.has(row.callId) && row.lastSeenAt < now)
    .modify({ lastSeenAt: now });
}

/** `rows` with each replaced by its newer version from `updates`, when there is one. */
function withUpdates(rows: readonly CallRecord[], updates: readonly CallRecord[]): CallRecord[] {
  const newer = new Map(updates.map((row) => [row.id, row]));
  return rows.map((row) => newer.get(row.id) ?? row);
}

/** One snapshot per call; if a call is in both lists (a race in the engine), the later state wins. */
function latestPerCall(calls: readonly CallSnapshot[]): CallSnapshot[] {
  const byId = new Map<string, CallSnapshot>();
  for (const call of calls) {
    const seen = byId.get(call.id);
    if (!seen || (seen.endedAt === undefined && call.endedAt !== undefined)) byId.set(call.id, call);
  }
  return [...byId.values()];
}

async function contactOf(db: AppDb, call: CallSnapshot, region: string): Promise<ContactRecord | undefined> {
  const { key } = numberKeyOf(call.remoteNumber || call.remoteUri, region);
  return db.contacts.where('numbers').equals(key).first();
}
