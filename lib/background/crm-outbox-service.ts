import { callbackResultText, callbackTaskText, dispositionNoteText, dispositionWords } from '@/lib/background/after-call-words';
import { cacheIdOf } from '@/lib/background/caller-lookup';
import type { CrmOutboxPause } from '@/lib/background/crm-outbox-pause';
import { CrmError, type CrmAdapter, type CrmCallLog, type CrmEntityRef, type CrmWriteResult } from '@/lib/crm/crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import { callbackTaskId, crmTasksToComplete } from '@/lib/history/callback-tasks';
import type { CrmOutboxStatus } from '@/lib/history/crm-outbox-status';
import { tBackground } from '@/lib/i18n/background-messages';
import {
  clearCrmAttempt,
  crmWriteOf,
  markCrmAttempt,
  markCrmStep,
  type CrmAttempt,
  wrapUpHoldUntil,
  wrapUpOf,
  makePendingDue,
  markCrmFailed,
  markCrmRetry,
  markCrmSynced,
  markPendingSkipped,
  outboxDelayMs,
  pendingCrmWrites,
} from '@/lib/history/crm-outbox';
import { PLAIN_LOGGING_RULES, type AfterCallSettings } from '@/lib/settings/after-call-settings';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('crm-outbox');

/** Where the outbox's pause is kept (`crmOutboxPauseItem` in the extension). */
export interface CrmOutboxPauseStore {
  getValue(): Promise<CrmOutboxPause | null>;
  setValue(value: CrmOutboxPause | null): Promise<void>;
}

export interface CrmOutboxServiceOptions {
  db: AppDb;
  /** The CRM to write to now (`crmAdapterFor`). */
  adapter: () => Promise<CrmAdapter>;
  /** A key of the CRM connection in the settings; a pause lasts while it stays the same. */
  connectionKey: () => Promise<string>;
  /**
   * Whether a CRM is chosen in the settings. When one is but {@link adapter} answers the local one
   * (its host permission was taken back), calls stay pending instead of being skipped.
   * @defaultValue always `false`
   */
  crmChosen?: () => Promise<boolean>;
  pause: CrmOutboxPauseStore;
  /** Wakes the worker at `at` for the next drain (`browser.alarms`); `undefined` clears the wake-up. */
  scheduleWake: (at: number | undefined) => Promise<void>;
  /** @defaultValue `Date.now` */
  clock?: () => number;
  /** @defaultValue `Math.random` */
  random?: () => number;
  /**
   * The after-call rules in force (the settings' `afterCall`).
   * @defaultValue {@link PLAIN_LOGGING_RULES}: calls only, unknown numbers to the inbox
   */
  rules?: () => Promise<AfterCallSettings>;
  /**
   * How long a call the agent took part in waits for its wrap-up before it is sent
   * (`WRAP_UP_GRACE_MS` in the extension).
   * @defaultValue 0 (sent as soon as it ended)
   */
  wrapUpGraceMs?: number;
  /**
   * The agent's own line (the SIP user of the call's account), which the CRM shows as the number
   * that was called or called from (amoCRM's inbox `metadata.phone`). Without it the adapter names
   * the softphone instead.
   */
  lineOf?: (accountId: string) => Promise<string | undefined>;
}

export interface CrmOutboxService {
  /** Sends every due pending call, oldest first; one drain at a time (a second call joins the running one). */
  drain(): Promise<CrmOutboxStatus>;
  /** Lifts a pause, makes every pending call due, and drains. */
  retryNow(): Promise<CrmOutboxStatus>;
  status(): Promise<CrmOutboxStatus>;
}

/** The pause shown while a CRM is chosen but the browser no longer lets us call its host. */
const NO_HOST_ACCESS: CrmOutboxPause = {
  kind: 'forbidden',
  // Shown as the detail of the panel's outbox line, so in the user's language.
  message: tBackground('error.crmNoHostAccess'),
  connection: '',
  at: 0,
};

/**
 * Drains the CRM outbox (`lib/history/crm-outbox.ts`) through the connected CRM's adapter. Nothing
 * here lives only in memory: attempts, due times and the pause are in the database and storage, and
 * an alarm wakes the worker for the next due attempt, so the worker may be stopped at any second.
 *
 * A call whose write the CRM accepted but whose result was never stored (the worker stopped in
 * between) is simply sent again with the same history id as amoCRM's `uniq`: amoCRM recognises the
 * call by `uniq`, which is what makes the repeat safe. The fake amoCRM server of the tests records
 * every request's `uniq`, so the tests check that each call arrives exactly once, and that a repeat
 * after such a stop carries the same `uniq`.
 */
export function createCrmOutboxService(options: CrmOutboxServiceOptions): CrmOutboxService {
  const {
    db,
    clock = Date.now,
    random = Math.random,
    crmChosen = async () => false,
    rules = async () => PLAIN_LOGGING_RULES,
    wrapUpGraceMs = 0,
  } = options;
  let running: Promise<CrmOutboxStatus> | undefined;
  let again = false;

  /** A CRM is chosen but cannot be reached from here: nothing is sent, nothing is skipped. */
  const unreachable = async (adapter: CrmAdapter): Promise<boolean> => adapter.kind === 'local' && (await crmChosen());

  const status = async (): Promise<CrmOutboxStatus> => {
    const adapter = await options.adapter();
    const pending = await pendingCrmWrites(db);
    const pause = (await unreachable(adapter)) ? NO_HOST_ACCESS : await activePause();
    // The queue goes strictly in order, so the oldest call's due time is the outbox's.
    const head = pending[0];
    const nextAttemptAt = head?.crmNextAt !== undefined && head.crmNextAt > clock() ? head.crmNextAt : undefined;
    const lastError = head?.crmError;
    const inWrapUp = pending.filter((call) => (wrapUpHoldUntil(call, wrapUpGraceMs) ?? 0) > clock()).length;
    return {
      crm: pause === NO_HOST_ACCESS ? 'amocrm' : adapter.kind,
      pending: pending.length,
      ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
      ...(inWrapUp > 0 ? { wrapUp: inWrapUp } : {}),
      ...(pause ? { paused: { kind: pause.kind, message: pause.message } } : {}),
      ...(lastError ? { lastError } : {}),
    };
  };

  /** The stored pause while the connection it failed with is still the one in the settings. */
  const activePause = async (): Promise<CrmOutboxPause | undefined> => {
    const pause = await options.pause.getValue();
    if (!pause) return undefined;
    if (pause.connection === (await options.connectionKey())) return pause;
    await options.pause.setValue(null);
    return undefined;
  };

  /**
   * The call log itself: against the record it was started on when it has one (a record deleted or
   * merged since, or one of another CRM the user has since left, means the CRM places it by number).
   * amoCRM logs calls only against a number it knows; an unknown number follows the "new number"
   * rule: a new contact (the call is then logged on it: a repeat after a worker stop finds the number
   * known and creates nothing twice), the inbox of unsorted leads, or nothing (`undefined`: the call
   * stays in local history).
   */
  const logCall = async (
    adapter: CrmAdapter,
    write: CrmCallLog,
    rule: AfterCallSettings['newNumber'],
    name: string,
  ): Promise<CrmWriteResult | undefined> => {
    const { entity, ...byNumber } = write;
    const onRecord = entity?.crm === adapter.kind ? entity : undefined;
    if (onRecord) {
      try {
        return await adapter.logCall({ ...byNumber, entity: onRecord });
      } catch (error) {
        if (!(error instanceof CrmError && error.kind === 'not-found')) throw error;
      }
    }
    try {
      return await adapter.logCall(byNumber);
    } catch (error) {
      if (!(error instanceof CrmError && error.kind === 'not-found')) throw error;
    }
    if (rule === 'off') return undefined;
    if (rule === 'contact' && adapter.createContact) {
      const contact = await adapter.createContact(byNumber.phone, name);
      const logged = await adapter.logCall(byNumber);
      return { ...logged, entity: logged.entity ?? contact.entity };
    }
    const entry = await adapter.createInboxEntry(byNumber);
    // The unsorted lead is what the agent accepts or declines in amoCRM: follow-ups go there.
    const created = entry.created?.find((ref) => ref.kind === 'lead') ?? entry.created?.[0];
    return { externalId: entry.externalId, ...(created ? { entity: created } : {}) };
  };

  /**
   * The caller's name for texts the CRM shows (a callback task, a new contact): the cached card of a
   * person with the number (a CRM contact, else a local contact), else the name the call came with.
   */
  const callerName = async (call: CallRecord): Promise<string> => {
    const cached = await db.contacts.where('numbers').equals(call.numberKey).toArray();
    const person =
      cached.find((row) => row.source === 'crm' && row.card?.ref.kind === 'contact') ??
      cached.find((row) => row.source === 'local');
    return person?.name || call.remoteName || call.remoteE164 || call.remoteRaw;
  };

  /** The user a callback task is for: the record's responsible user, else the connection's own user. */
  const taskOwner = async (adapter: CrmAdapter, entity: CrmEntityRef): Promise<string> => {
    // The caller's card the screen pop cached names its responsible user: no CRM request for that.
    const known = (await db.contacts.get(cacheIdOf(entity)))?.card?.responsibleUser;
    if (known) return known.id;
    // An inbox lead may not be readable as a record until someone accepts it: the own user then.
    const card = await adapter.getCard(entity).catch((error: unknown) => {
      if (error instanceof CrmError && error.kind === 'not-found') return undefined;
      throw error;
    });
    return card?.responsibleUser?.id ?? (await adapter.currentUser()).id;
  };

  /**
   * Sends a write the CRM knows by no id of ours (a task, a note) so that it lands once: it is marked
   * as attempted before the request goes; when it already was (the answer of an earlier attempt was
   * lost: a worker stop, a timeout), the CRM is asked first and a match is taken as that write.
   */
  const sendOnce = async (
    call: CallRecord,
    attempt: CrmAttempt,
    find: (() => Promise<CrmWriteResult | undefined>) | undefined,
    write: () => Promise<CrmWriteResult>,
  ): Promise<CrmWriteResult> => {
    if (find && call.crmAttempted?.includes(attempt)) {
      const found = await find();
      if (found) {
        log.info(`the ${attempt} of a call was already in the CRM (an earlier answer was lost): not sent again`);
        return found;
      }
    }
    await markCrmAttempt(db, call.id, attempt);
    return write();
  };

  /**
   * The CRM writes a call owes, each recorded in its row as soon as the CRM accepts it
   * (`crmSteps`): the call log, then — by the after-call rules — the callback task of a missed call
   * that opened a local callback still open, and the disposition note of an answered call.
   *
   * @returns the external id of the call log, or `undefined` when the call is not to be logged.
   */
  const writeCall = async (adapter: CrmAdapter, call: CallRecord): Promise<string | undefined> => {
    const write = await crmWriteOf(db, call);
    const rule = await rules();
    const done = new Set(call.crmSteps ?? []);
    let externalId = call.crmExternalId;
    let entity: CrmEntityRef | undefined = call.crmLoggedOn ? { crm: adapter.kind, ...call.crmLoggedOn } : undefined;
    const wrapUp = wrapUpOf(write);
    if (!done.has('call') || externalId === undefined) {
      // The call's result line carries the disposition in words, as the agent picked it.
      const disposition = dispositionWords(write.disposition);
      const worded: CrmCallLog = { ...write };
      if (disposition === undefined) delete worded.disposition;
      else worded.disposition = disposition;
      const line = await options.lineOf?.(call.accountId);
      if (line) worded.line = line;
      const logged = await logCall(adapter, worded, rule.newNumber, await callerName(call));
      if (!logged) return undefined;
      externalId = logged.externalId;
      entity = logged.entity;
      await db.calls.update(call.id, { crmExternalId: externalId, crmSentWrapUp: wrapUp });
      await markCrmStep(db, call.id, 'call', entity && { kind: entity.kind, id: entity.id });
    } else if (entity && JSON.stringify(call.crmSentWrapUp ?? {}) !== JSON.stringify(wrapUp)) {
      // Logged before, and the agent changed the note or disposition since: a follow-up note.
      const text = dispositionNoteText(wrapUp.disposition, wrapUp.note);
      if (text !== undefined) {
        const followUp = `${tBackground('note.updated')}\n${text}`;
        const on = entity;
        await sendOnce(
          call,
          'follow-up',
          adapter.findNote && (() => adapter.findNote!(on, followUp)),
          () => adapter.addNote(on, followUp),
        );
      }
      await db.calls.update(call.id, { crmSentWrapUp: wrapUp });
      await clearCrmAttempt(db, call.id, 'follow-up');
    }
    if (!entity) return externalId;
    if (!done.has('task') && rule.callbackTask && call.outcome === 'missed') {
      const local = await db.tasks.get(callbackTaskId(call.id));
      if (local?.status === 'open' && local.dueAt !== undefined) {
        const task = {
          key: local.id,
          entity,
          type: 'call' as const,
          text: callbackTaskText({ ...call, remoteName: await callerName(call) }),
          dueAt: local.dueAt,
          responsibleUserId: await taskOwner(adapter, entity),
        };
        const created = await sendOnce(
          call,
          'task',
          adapter.findTask && (() => adapter.findTask!(task)),
          () => adapter.createTask(task),
        );
        await markCrmStep(db, call.id, 'task');
        // Remembered on the local callback, so closing it here completes it in the CRM too.
        await db.tasks.update(local.id, { crmTaskId: created.externalId });
      }
    }
    if (!done.has('note') && rule.answeredNote && call.outcome === 'answered') {
      const text = dispositionNoteText(write.disposition, write.note);
      if (text !== undefined) {
        const on = entity;
        await sendOnce(call, 'note', adapter.findNote && (() => adapter.findNote!(on, text)), () => adapter.addNote(on, text));
        await markCrmStep(db, call.id, 'note');
      }
    }
    return externalId;
  };

  /** Sends one call; answers whether the drain may go on to the next. */
  const send = async (adapter: CrmAdapter, call: CallRecord): Promise<boolean> => {
    try {
      const externalId = await writeCall(adapter, call);
      if (externalId === undefined) {
        await db.calls.update(call.id, { crmState: 'skipped', crmNextAt: undefined });
        log.info('a call from a new number stays in local history (rule: off)');
      } else {
        await markCrmSynced(db, call.id, externalId, clock());
      }
      return true;
    } catch (error) {
      const crmError = error instanceof CrmError ? error : new CrmError('network', String(error));
      if (crmError.kind === 'auth' || crmError.kind === 'forbidden') {
        await options.pause.setValue({
          kind: crmError.kind,
          message: crmError.message,
          connection: await options.connectionKey(),
          at: clock(),
        });
        log.warn(`outbox paused: ${crmError.message}`);
        return false;
      }
      if (crmError.retryable) {
        const delay = outboxDelayMs((call.crmAttempts ?? 0) + 1, random, crmError.retryAfterMs);
        await markCrmRetry(db, call, crmError.message, clock() + delay);
        // The CRM is down or over its limit: the calls after this one would fail the same way.
        return false;
      }
      // `validation` (and a `not-found` from the inbox): the same request will never be accepted.
      await markCrmFailed(db, call.id, crmError.message);
      return true;
    }
  };

  /**
   * Callbacks closed here (a callback connected, or *Done*) whose CRM task is still open are
   * completed in the CRM (`PATCH is_completed`), once: the completion is recorded on the local task.
   * A CRM that fails is asked again at the next drain; the calls are not held up by it.
   */
  const completeClosedTasks = async (adapter: CrmAdapter): Promise<void> => {
    if (!adapter.completeTask) return;
    for (const task of await crmTasksToComplete(db)) {
      try {
        await adapter.completeTask(task.crmTaskId!, callbackResultText(task.doneBy));
        await db.tasks.update(task.id, { crmCompletedAt: clock() });
      } catch (error) {
        if (error instanceof CrmError && (error.kind === 'validation' || error.kind === 'not-found')) {
          // Deleted or refused in the CRM: nothing left to complete there.
          await db.tasks.update(task.id, { crmCompletedAt: clock() });
          continue;
        }
        log.warn('cannot complete a callback task in the CRM', error);
        return;
      }
    }
  };

  /** Until when a pending call waits for its wrap-up, if it still does. */
  const heldUntil = (call: CallRecord): number | undefined => {
    const until = wrapUpHoldUntil(call, wrapUpGraceMs);
    return until !== undefined && until > clock() ? until : undefined;
  };

  /**
   * When the next drain is due: the first call not in its wrap-up goes when its backoff ends (at
   * once when it has none), and each call in its wrap-up when that ends.
   */
  const nextWake = async (now: CrmOutboxStatus): Promise<number> => {
    const pending = await pendingCrmWrites(db);
    const holds = pending.map(heldUntil).filter((at): at is number => at !== undefined);
    const head = pending.find((call) => heldUntil(call) === undefined);
    const headAt = head ? Math.max(head.crmNextAt ?? clock(), clock()) : undefined;
    const times = [...holds, ...(headAt !== undefined ? [headAt] : [])];
    return times.length > 0 ? Math.min(...times) : (now.nextAttemptAt ?? clock());
  };

  const drainOnce = async (): Promise<CrmOutboxStatus> => {
    const adapter = await options.adapter();
    if (await unreachable(adapter)) {
      log.warn('a CRM is chosen but its host is not allowed: calls stay pending');
    } else if (adapter.kind === 'local') {
      // No CRM connected: the history itself is the log of calls.
      const skipped = await markPendingSkipped(db);
      if (skipped > 0) log.info(`${skipped} call(s) kept in local history only`);
    } else if (!(await activePause())) {
      await completeClosedTasks(adapter);
      for (const call of await pendingCrmWrites(db)) {
        // A call in its wrap-up is passed over, not waited for: the calls after it are complete.
        if (heldUntil(call) !== undefined) continue;
        // In order: a call waiting out its backoff holds the ones after it (the CRM is what failed).
        if ((call.crmNextAt ?? 0) > clock()) break;
        if (!(await send(adapter, call))) break;
      }
    }
    const now = await status();
    await options.scheduleWake(now.paused || now.pending === 0 ? undefined : await nextWake(now));
    return now;
  };

  // One drain at a time. A call that ends while a drain runs may have been read too late for it,
  // so a request during a drain makes the drain go round once more.
  const drain = (): Promise<CrmOutboxStatus> => {
    if (running) {
      again = true;
      return running;
    }
    const run = async (): Promise<CrmOutboxStatus> => {
      let status: CrmOutboxStatus;
      do {
        again = false;
        status = await drainOnce();
      } while (again);
      return status;
    };
    running = run().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    drain,
    async retryNow() {
      await running?.catch(() => undefined);
      await options.pause.setValue(null);
      await makePendingDue(db);
      return drain();
    },
    status,
  };
}
