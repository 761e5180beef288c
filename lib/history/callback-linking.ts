import Dexie from 'dexie';
import type { AppDb } from '@/lib/db/app-db';
import { callbackTimes, type CallLink } from '@/lib/db/callback-links';
import type { CallRecord } from '@/lib/db/call-record';

/**
 * Keeps `callbackAt` of missed calls up to date as calls are written (inside the writer's
 * transaction, which must include `db.calls`):
 * - a new outbound call is the callback of the missed calls of its number since the previous
 *   outbound call (a short backwards walk of that number's calls);
 * - a call that has just been missed may already have its callback, when its last snapshot came
 *   after the agent dialled back (a worker restart): a forward look at that number's later calls.
 *
 * @param fresh ids of the rows among `written` that did not exist before.
 * @returns the rows updated.
 */
export async function linkCallbacks(
  db: AppDb,
  written: readonly CallRecord[],
  fresh: ReadonlySet<string>,
  now: number,
): Promise<CallRecord[]> {
  const updates = new Map<string, CallRecord>();
  for (const call of written) {
    if (call.direction !== 'outbound' || !fresh.has(call.id)) continue;
    const earlier = await db.calls
      .where('[numberKey+id]')
      .between([call.numberKey, Dexie.minKey], [call.numberKey, call.id], true, false)
      .reverse()
      .until((row) => row.direction === 'outbound')
      .toArray();
    for (const row of earlier) {
      if (row.outcome === 'missed' && row.callbackAt === undefined) {
        updates.set(row.id, { ...row, callbackAt: call.startedAt, updatedAt: Math.max(now, row.updatedAt) });
      }
    }
  }
  for (const call of written) {
    if (call.outcome !== 'missed' || call.callbackAt !== undefined || updates.has(call.id)) continue;
    const callback = await db.calls
      .where('[numberKey+id]')
      .between([call.numberKey, call.id], [call.numberKey, Dexie.maxKey], false, true)
      .filter((row) => row.direction === 'outbound')
      .first();
    if (callback) updates.set(call.id, { ...call, callbackAt: callback.startedAt, updatedAt: Math.max(now, call.updatedAt) });
  }
  if (updates.size > 0) await db.calls.bulkPut([...updates.values()]);
  return [...updates.values()];
}

/** Links every missed call to its callback anew, over the whole history (after an import). */
export async function relinkAllCallbacks(db: AppDb): Promise<void> {
  const links: CallLink[] = [];
  await db.calls.each(({ id, numberKey, direction, outcome, startedAt }) => {
    links.push({ id, numberKey, direction, outcome, startedAt });
  });
  const callbacks = callbackTimes(links);
  await db.calls
    .filter((call) => call.outcome === 'missed' && call.callbackAt !== callbacks.get(call.id))
    .modify((call) => {
      const callbackAt = callbacks.get(call.id);
      if (callbackAt === undefined) delete call.callbackAt;
      else call.callbackAt = callbackAt;
    });
}
