import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import { mergeNumberEntry, type NumberEntry } from '@/lib/db/number-entry';

type CallNumber = Pick<CallRecord, 'numberKey' | 'startedAt' | 'remoteName'>;

/**
 * Brings the number directory (`numbers`) up to date with some calls. Run it inside the
 * transaction that writes the calls (it must include `db.numbers`), so the two never disagree.
 */
export async function recordNumbers(db: AppDb, calls: readonly CallNumber[]): Promise<void> {
  if (calls.length === 0) return;
  const keys = [...new Set(calls.map((call) => call.numberKey))];
  const stored = await db.numbers.bulkGet(keys);
  const entries = new Map<string, NumberEntry | undefined>(keys.map((key, i) => [key, stored[i]]));
  const changed = new Map<string, NumberEntry>();
  for (const call of calls) {
    const next = mergeNumberEntry(entries.get(call.numberKey), call);
    if (!next) continue;
    entries.set(call.numberKey, next);
    changed.set(call.numberKey, next);
  }
  if (changed.size > 0) await db.numbers.bulkPut([...changed.values()]);
}

/** Builds the number directory anew from all calls and messages (after an import). */
export async function rebuildNumberDirectory(db: AppDb): Promise<void> {
  const entries = new Map<string, NumberEntry>();
  await db.calls.each((call) => {
    const next = mergeNumberEntry(entries.get(call.numberKey), call);
    if (next) entries.set(call.numberKey, next);
  });
  // Numbers that only ever exchanged messages are searchable too (`message-journal.ts`).
  await db.messages.each((message) => {
    const next = mergeNumberEntry(entries.get(message.numberKey), {
      numberKey: message.numberKey,
      startedAt: message.at,
      remoteName: message.remoteName,
    });
    if (next) entries.set(message.numberKey, next);
  });
  await db.numbers.clear();
  await db.numbers.bulkPut([...entries.values()]);
}
