import { callRecordId, type CallRecord } from '@/lib/db/call-record';
import type { ContactRecord } from '@/lib/db/contact-record';
import { toWords } from '@/lib/db/words';
import { deriveOutcome, hangupSide } from '@/lib/history/call-outcome';
import { numberKeyOf } from '@/lib/history/number-key';
import { CallState } from '@/lib/phone/call-state';
import type { CallSnapshot } from '@/lib/phone/phone-snapshot';

/**
 * How far along a call is. A snapshot never moves a row backwards: snapshots can be replayed
 * after a worker restart, or arrive late, and an older one must not undo a newer one.
 */
const PROGRESS: Readonly<Record<CallState, number>> = {
  [CallState.Dialing]: 0,
  [CallState.Incoming]: 0,
  [CallState.Ringing]: 1,
  [CallState.Answering]: 1,
  [CallState.Established]: 2,
  [CallState.Ending]: 3,
  [CallState.Ended]: 4,
};

/** States of a call that is not over; the `state` index finds such rows for crash recovery. */
export const LIVE_CALL_STATES: readonly CallState[] = Object.values(CallState).filter((s) => s !== CallState.Ended);

/** What the merge needs besides the snapshot. */
export interface MergeContext {
  /** Default country for reading national numbers (ISO 3166 alpha-2). */
  region: string;
  /** The cached contact of the number, looked up for a new row. */
  contact?: Pick<ContactRecord, 'id' | 'name'> | undefined;
}

/**
 * The history row for `snapshot` given the row stored so far, or `undefined` when the snapshot
 * changes nothing (so the same snapshot twice writes once).
 *
 * - A new call gets a row at once, while it dials or rings.
 * - A live row follows the snapshot but never goes back (state, answer time, name are kept).
 * - A finished row is frozen, except that an `interrupted` one takes the real ending if the engine
 *   still reports it (recovery ran before the engine's `recent` list was written).
 *
 * @param now the caller's clock (epoch ms); marks the first ring of an outbound call and the
 *   row's `updatedAt`/`lastSeenAt`.
 */
export function mergeCallSnapshot(
  existing: CallRecord | undefined,
  snapshot: CallSnapshot,
  now: number,
  context: MergeContext,
): CallRecord | undefined {
  if (existing?.outcome !== undefined) {
    if (existing.outcome !== 'interrupted' || snapshot.state !== CallState.Ended) return undefined;
  }
  const base =
    existing === undefined ? newRecord(snapshot, now, context) : existing.outcome ? reopen(existing) : existing;
  const next = advance(base, snapshot, now);
  if (existing && sameValue(existing, next)) return undefined;
  return { ...next, updatedAt: now, lastSeenAt: Math.max(existing?.lastSeenAt ?? now, now) };
}

/**
 * Closes a row whose call the engine no longer knows (the browser or the engine stopped) as
 * `interrupted`, ending at the last moment it was known alive; `undefined` if it is finished.
 */
export function interruptCall(row: CallRecord, now: number): CallRecord | undefined {
  if (row.outcome !== undefined) return undefined;
  const endedAt = Math.max(row.lastSeenAt, row.answeredAt ?? row.startedAt, row.ringingAt ?? row.startedAt);
  return withoutUndefined<CallRecord>({
    ...row,
    state: CallState.Ended,
    endedAt,
    outcome: 'interrupted',
    ringMs: ringDuration(row, endedAt),
    talkMs: row.answeredAt === undefined ? 0 : endedAt - row.answeredAt,
    crmState: row.crmState ?? 'pending',
    updatedAt: now,
  });
}

function newRecord(snapshot: CallSnapshot, now: number, context: MergeContext): CallRecord {
  const identity = numberKeyOf(snapshot.remoteNumber || snapshot.remoteUri, context.region);
  return withoutUndefined<CallRecord>({
    id: callRecordId(snapshot.id, snapshot.startedAt),
    callId: snapshot.id,
    accountId: snapshot.accountId,
    direction: snapshot.direction,
    remoteUri: snapshot.remoteUri,
    remoteRaw: snapshot.remoteNumber,
    remoteE164: identity.e164,
    numberKey: identity.key,
    remoteName: snapshot.remoteName,
    contactId: context.contact?.id,
    crmEntity: snapshot.crmEntity,
    state: snapshot.state,
    startedAt: snapshot.startedAt,
    refusal: snapshot.refusal,
    words: toWords(snapshot.remoteName, context.contact?.name),
    updatedAt: now,
    lastSeenAt: now,
  });
}

/** An interrupted row made live again, so a real ending can be applied to it. */
function reopen(row: CallRecord): CallRecord {
  return withoutUndefined<CallRecord>({
    ...row,
    state: row.direction === 'inbound' ? CallState.Incoming : CallState.Dialing,
    endedAt: undefined,
    outcome: undefined,
    ringMs: undefined,
    talkMs: undefined,
    hangupBy: undefined,
    endReason: undefined,
  });
}

function advance(base: CallRecord, snapshot: CallSnapshot, now: number): CallRecord {
  const state = PROGRESS[snapshot.state] >= PROGRESS[base.state] ? snapshot.state : base.state;
  const answeredAt = base.answeredAt ?? snapshot.answeredAt;
  const remoteName = snapshot.remoteName ?? base.remoteName;
  // Inbound calls ring from the start; an outbound one from the first 180/183 this layer sees.
  const ringingAt =
    base.ringingAt ??
    (base.direction === 'inbound'
      ? base.startedAt
      : snapshot.state === CallState.Ringing
        ? Math.max(now, base.startedAt)
        : undefined);
  const words =
    remoteName === base.remoteName ? base.words : [...new Set([...base.words, ...toWords(remoteName)])];
  const live: CallRecord = withoutUndefined<CallRecord>({
    ...base,
    state,
    remoteName,
    words,
    ringingAt,
    answeredAt,
    sipCode: snapshot.sipCode ?? base.sipCode,
    refusal: snapshot.refusal ?? base.refusal,
    // Set when the call is placed; kept if a later snapshot (an older engine's) lacks it.
    crmEntity: base.crmEntity ?? snapshot.crmEntity,
    // Live figures while up, the whole call's once it ended (the engine sums it up).
    quality: snapshot.quality ?? base.quality,
  });
  if (state !== CallState.Ended) return live;

  const endedAt = Math.max(snapshot.endedAt ?? now, answeredAt ?? base.startedAt, base.startedAt);
  return withoutUndefined<CallRecord>({
    ...live,
    endedAt,
    endReason: snapshot.endReason,
    outcome: deriveOutcome({
      direction: base.direction,
      answered: answeredAt !== undefined,
      endReason: snapshot.endReason,
      sipCode: live.sipCode,
      refused: live.refusal !== undefined,
    }),
    hangupBy: hangupSide(snapshot.endReason),
    ringMs: ringDuration(live, endedAt),
    talkMs: answeredAt === undefined ? 0 : endedAt - answeredAt,
    crmState: base.crmState ?? 'pending',
  });
}

/** From the first ring to the answer, or to the end if nobody answered; unknown if it never rang. */
function ringDuration(row: Pick<CallRecord, 'ringingAt' | 'answeredAt'>, endedAt: number): number | undefined {
  if (row.ringingAt === undefined) return undefined;
  return Math.max(0, (row.answeredAt ?? endedAt) - row.ringingAt);
}

/** The object without its `undefined` properties (IndexedDB would store them as such). */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Structural equality of stored values, where a missing property equals an `undefined` one. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!sameValue(left[key], right[key])) return false;
  return true;
}
