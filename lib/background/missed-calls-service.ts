import { showBadge } from '@/lib/background/badge';
import { syncMissedCallNotifications } from '@/lib/background/missed-call-notifications';
import type { AppDb } from '@/lib/db/app-db';
import {
  MAX_MISSED_ENTRIES,
  missedCallsItem,
  type MissedCallsSummary,
  type MissedEntry,
} from '@/lib/history/missed-calls-item';
import { dismissMissedCalls, missedCallsToHandle, type MissedGroup } from '@/lib/history/missed-calls';
import { phoneSnapshotItem } from '@/lib/phone/snapshot-store';

export interface MissedCallsServiceOptions {
  db: AppDb;
  /** @defaultValue `Date.now` */
  clock?: () => number;
}

/** Options of {@link MissedCallsService.refresh}. */
export interface MissedRefresh {
  /** Number keys that have just missed a call: their notification is shown or updated. */
  added?: readonly string[];
  /**
   * Also redraw the badge from the mirrored snapshot. Not needed while a snapshot is being
   * mirrored: the phone hub redraws it right after, with the count stored here.
   */
  badge?: boolean;
}

/** The missed calls to handle, in the background: counted from the database, shown, dismissed. */
export interface MissedCallsService {
  /** Counts the missed calls to handle anew, stores the summary, and brings the notifications in step. */
  refresh(options?: MissedRefresh): Promise<MissedCallsSummary>;
  /** The agent's *Done* for one number's missed calls, or for all of them. */
  dismiss(numberKey?: string): Promise<MissedCallsSummary>;
}

/**
 * Counting and storing run one at a time in this worker, whichever service instance asks: a count
 * that started before a *Done* must not overwrite the count after it.
 */
let turn: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const next = turn.then(task, task);
  turn = next.catch(() => undefined);
  return next;
}

/** Creates the service; it keeps nothing in memory, so any number of them agree. */
export function createMissedCallsService({ db, clock = Date.now }: MissedCallsServiceOptions): MissedCallsService {
  const count = async ({ added = [], badge = false }: MissedRefresh = {}): Promise<MissedCallsSummary> => {
    const found = await missedCallsToHandle(db);
    const summary: MissedCallsSummary = {
      count: found.count,
      more: found.more,
      entries: found.groups.slice(0, MAX_MISSED_ENTRIES).map(toEntry),
    };
    await missedCallsItem.setValue(summary);
    await syncMissedCallNotifications(summary, added);
    if (badge) await showBadge(await phoneSnapshotItem.getValue(), { missed: summary.count, missedMore: summary.more });
    return summary;
  };
  return {
    refresh: (options) => oneAtATime(() => count(options)),
    dismiss: (numberKey) =>
      oneAtATime(async () => {
        await dismissMissedCalls(db, numberKey, clock());
        return count({ badge: true });
      }),
  };
}

function toEntry(group: MissedGroup): MissedEntry {
  return {
    numberKey: group.numberKey,
    count: group.ids.length,
    lastAt: group.lastAt,
    lastId: group.ids[0]!,
    remoteRaw: group.remoteRaw,
    ...(group.remoteE164 ? { remoteE164: group.remoteE164 } : {}),
    ...(group.remoteName ? { remoteName: group.remoteName } : {}),
    refused: group.refused,
    busy: group.busy,
  };
}
