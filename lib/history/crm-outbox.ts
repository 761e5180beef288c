import type { CrmCallLog, CrmCallStatus } from '@/lib/crm/crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import type { CallOutcome, CallRecord } from '@/lib/db/call-record';
import { notesOfCall } from '@/lib/history/call-notes';

/**
 * The CRM outbox: every finished call whose `crmState` is `pending` is a write still owed to the CRM.
 * It lives in the call rows themselves (the `calls.crmState` index finds them, in history-id order,
 * which is start order), so the queue needs no table of its own and survives worker stops and browser
 * restarts with the history it belongs to. Per call it keeps the failed attempts (`crmAttempts`), when
 * the next attempt is due (`crmNextAt`) and the last error (`crmError`).
 */

/** First retry delay of the outbox. */
export const OUTBOX_BASE_DELAY_MS = 5_000;
/** Longest delay between two attempts at the same call: a CRM down for hours is tried every 15 min. */
export const OUTBOX_MAX_DELAY_MS = 15 * 60_000;

/**
 * How long to wait before attempt `attempts + 1` of a call whose `attempts` attempts failed: capped
 * exponential backoff with equal jitter, as `lib/phone/backoff.ts` (the n-th delay is drawn from
 * [d/2, d], d = min(cap, base·2ⁿ⁻¹)), and never sooner than the CRM's own `Retry-After`.
 */
export function outboxDelayMs(attempts: number, random: () => number, retryAfterMs = 0): number {
  const ceiling = Math.min(OUTBOX_MAX_DELAY_MS, OUTBOX_BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.max(retryAfterMs, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

/** Our call outcome in the terms CRMs log calls with. */
export function crmCallStatus(call: Pick<CallRecord, 'outcome' | 'answeredAt'>): CrmCallStatus {
  const byOutcome: Record<CallOutcome, CrmCallStatus> = {
    answered: 'answered',
    missed: 'missed',
    // Declined by the agent (inbound) or with 603 (outbound): nobody talked.
    declined: 'no-answer',
    busy: 'busy',
    failed: 'failed',
    cancelled: 'no-answer',
    // Cut off by a crash: a conversation took place if it had been answered.
    interrupted: call.answeredAt === undefined ? 'failed' : 'answered',
  };
  return call.outcome ? byOutcome[call.outcome] : 'failed';
}

/** The CRM write of one finished call, with the agent's note and disposition from history. */
export function callLogOf(call: CallRecord, note: string | undefined): CrmCallLog {
  return {
    // The history id: the CRM's idempotency key (`uniq` in amoCRM).
    callId: call.id,
    direction: call.direction,
    phone: call.remoteE164 ?? call.remoteRaw,
    startedAt: call.startedAt,
    durationSec: Math.round((call.talkMs ?? 0) / 1000),
    status: crmCallStatus(call),
    ...(call.crmEntity ? { entity: call.crmEntity } : {}),
    ...(note ? { note } : {}),
    ...(call.disposition ? { disposition: call.disposition } : {}),
  };
}

/** Whether a call row is a write the outbox owes: finished and still pending. */
export function isOutboxItem(call: CallRecord): boolean {
  return call.crmState === 'pending' && call.outcome !== undefined;
}

/** The pending writes, oldest call first. */
export async function pendingCrmWrites(db: AppDb): Promise<CallRecord[]> {
  // Entries of one index key come in primary-key order: history ids are time-ordered.
  const rows = await db.calls.where('crmState').equals('pending').toArray();
  return rows.filter(isOutboxItem);
}

/** The CRM write of a pending call as it stands now (its first note is the note logged). */
export async function crmWriteOf(db: AppDb, call: CallRecord): Promise<CrmCallLog> {
  const [first] = await notesOfCall(db, call.id);
  return callLogOf(call, first?.text);
}

/** The CRM accepted the call: `synced` with the CRM's id; the bookkeeping is dropped. */
export async function markCrmSynced(db: AppDb, id: string, externalId: string, now: number): Promise<void> {
  await db.calls.update(id, {
    crmState: 'synced',
    crmSyncedAt: now,
    crmExternalId: externalId,
    crmError: undefined,
    crmAttempts: undefined,
    crmNextAt: undefined,
    crmSettleUntil: undefined,
  });
}

/** The CRM refused the data for good: `failed` with its reason, never retried. */
export async function markCrmFailed(db: AppDb, id: string, reason: string): Promise<void> {
  await db.calls.update(id, { crmState: 'failed', crmError: reason, crmNextAt: undefined });
}

/** One more failed attempt: the next one is due at `nextAt`. */
export async function markCrmRetry(db: AppDb, call: CallRecord, reason: string, nextAt: number): Promise<void> {
  await db.calls.update(call.id, { crmAttempts: (call.crmAttempts ?? 0) + 1, crmNextAt: nextAt, crmError: reason });
}

/** No CRM is connected: history is the local log, so pending calls are not to be sent anywhere. */
export async function markPendingSkipped(db: AppDb): Promise<number> {
  return db.calls
    .where('crmState')
    .equals('pending')
    .filter((call) => call.outcome !== undefined)
    .modify({ crmState: 'skipped', crmNextAt: undefined });
}

/** Makes every pending call due at once ("Retry now"). */
export async function makePendingDue(db: AppDb): Promise<void> {
  await db.calls.where('crmState').equals('pending').modify({ crmNextAt: undefined });
}

/**
 * How long a finished call the agent took part in waits for its note and disposition before it goes
 * to the CRM: the after-call editor stays open after hang-up, and what is typed there must reach the
 * CRM in the same write. *Done* in the editor ends the wait at once (`wrapUpDoneAt`).
 */
export const WRAP_UP_GRACE_MS = 2 * 60_000;

/**
 * Until when a pending call waits for its wrap-up, or `undefined` when it may go now. Only calls
 * with a conversation or dialled by the agent get a wrap-up; a missed call goes at once (its
 * callback task is due soon).
 */
export function wrapUpHoldUntil(call: CallRecord, graceMs: number): number | undefined {
  // A follow-up of a changed note waits for the typing to settle (`requeueChangedWrapUp`).
  const settle = call.crmSettleUntil;
  if (graceMs <= 0 || call.wrapUpDoneAt !== undefined || call.endedAt === undefined) return settle;
  if (call.answeredAt === undefined && call.direction !== 'outbound') return settle;
  return Math.max(call.endedAt + graceMs, settle ?? 0);
}

/** How long a changed note of a logged call waits for more typing before its follow-up note goes. */
export const FOLLOW_UP_SETTLE_MS = 30_000;

/** One CRM write of a call: the call log, the callback task, the disposition note. */
export type CrmStep = NonNullable<CallRecord['crmSteps']>[number];

/** A CRM write of a call that is not found again by an id of ours (see `CallRecord.crmAttempted`). */
export type CrmAttempt = NonNullable<CallRecord['crmAttempted']>[number];

/** Records, before the request goes, that write `attempt` of a call is being sent. */
export async function markCrmAttempt(db: AppDb, id: string, attempt: CrmAttempt): Promise<void> {
  await db.calls
    .where('id')
    .equals(id)
    .modify((row) => {
      row.crmAttempted = [...new Set([...(row.crmAttempted ?? []), attempt])];
    });
}

/** Write `attempt` of a call was answered: a later one of its kind is a new write, not a retry. */
export async function clearCrmAttempt(db: AppDb, id: string, attempt: CrmAttempt): Promise<void> {
  await db.calls
    .where('id')
    .equals(id)
    .modify((row) => {
      const left = (row.crmAttempted ?? []).filter((candidate) => candidate !== attempt);
      if (left.length > 0) row.crmAttempted = left;
      else delete row.crmAttempted;
    });
}

/**
 * Records that the CRM accepted `step` of a call (and, for the call log, where it landed), at once,
 * so a worker stopped before the next step resumes there.
 */
export async function markCrmStep(
  db: AppDb,
  id: string,
  step: CrmStep,
  entity?: CallRecord['crmLoggedOn'],
): Promise<void> {
  await db.calls
    .where('id')
    .equals(id)
    .modify((row) => {
      row.crmSteps = [...new Set([...(row.crmSteps ?? []), step])];
      if (entity) row.crmLoggedOn = entity;
      const left = (row.crmAttempted ?? []).filter((candidate) => candidate !== step);
      if (left.length > 0) row.crmAttempted = left;
      else delete row.crmAttempted;
    });
}

/** The agent pressed *Done* on the call's after-call editor: it may go to the CRM now. */
export async function markWrapUpDone(db: AppDb, id: string, now: number): Promise<boolean> {
  return (await db.calls.update(id, { wrapUpDoneAt: now })) > 0;
}

/**
 * The note or disposition of a call changed: a call already logged (and placed on a record) goes
 * back into the outbox, which sends the change as a follow-up note. A call not logged yet needs
 * nothing: its log will carry the change.
 *
 * @returns whether the call was queued again.
 */
export async function requeueChangedWrapUp(db: AppDb, id: string, now: number): Promise<boolean> {
  return db.transaction('rw', db.calls, async () => {
    const call = await db.calls.get(id);
    if (call === undefined || call.crmLoggedOn === undefined) return false;
    // Typing goes on: every save pushes the follow-up back a little, so one note goes, not one per pause.
    if (call.crmState === 'pending' && call.crmSettleUntil !== undefined) {
      await db.calls.update(id, { crmSettleUntil: now + FOLLOW_UP_SETTLE_MS });
      return true;
    }
    if (call.crmState !== 'synced') return false;
    await db.calls.update(id, {
      crmState: 'pending',
      crmNextAt: undefined,
      crmAttempts: undefined,
      crmSettleUntil: now + FOLLOW_UP_SETTLE_MS,
    });
    return true;
  });
}

/** The note and disposition of a write, as `crmSentWrapUp` keeps them. */
export function wrapUpOf(write: Pick<CrmCallLog, 'note' | 'disposition'>): NonNullable<CallRecord['crmSentWrapUp']> {
  return {
    ...(write.note?.trim() ? { note: write.note.trim() } : {}),
    ...(write.disposition?.trim() ? { disposition: write.disposition.trim() } : {}),
  };
}
