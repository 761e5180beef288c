/** What linking needs of a call. */
export interface CallLink {
  id: string;
  numberKey: string;
  direction: 'inbound' | 'outbound';
  outcome?: string | undefined;
  startedAt: number;
}

/**
 * The callback time of every missed call among `calls`, which must come in time (id) order: the
 * start of the first later outbound call to the same number. A pure pass over all calls, used by
 * the v2 upgrade and after a backup import; the journal links new calls incrementally.
 */
export function callbackTimes(calls: Iterable<CallLink>): Map<string, number> {
  const waiting = new Map<string, string[]>();
  const links = new Map<string, number>();
  for (const call of calls) {
    if (call.direction === 'outbound') {
      for (const id of waiting.get(call.numberKey) ?? []) links.set(id, call.startedAt);
      waiting.delete(call.numberKey);
    } else if (call.outcome === 'missed') {
      const ids = waiting.get(call.numberKey) ?? [];
      ids.push(call.id);
      waiting.set(call.numberKey, ids);
    }
  }
  return links;
}
