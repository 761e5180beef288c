import type { CrmOutboxPause } from '@/lib/background/crm-outbox-pause';
import { CrmError, type CrmAdapter, type CrmCallLog, type CrmWriteResult } from '@/lib/crm/crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { CrmOutboxStatus } from '@/lib/history/crm-outbox-status';
import { tBackground } from '@/lib/i18n/background-messages';
import {
  crmWriteOf,
  makePendingDue,
  markCrmFailed,
  markCrmRetry,
  markCrmSynced,
  markPendingSkipped,
  outboxDelayMs,
  pendingCrmWrites,
} from '@/lib/history/crm-outbox';
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
 * Logs one call: against the record it was started on when it has one, else by its number, and an
 * unknown number into the CRM's inbox (amoCRM logs calls only against a number it knows).
 */
async function logCall(adapter: CrmAdapter, write: CrmCallLog): Promise<CrmWriteResult> {
  const { entity, ...byNumber } = write;
  // A record of another CRM (the user switched CRMs since the call) means nothing to this one.
  const onRecord = entity?.crm === adapter.kind ? entity : undefined;
  try {
    return await adapter.logCall(onRecord ? { ...byNumber, entity: onRecord } : byNumber);
  } catch (error) {
    if (!(error instanceof CrmError && error.kind === 'not-found')) throw error;
    // The card's record is gone (deleted or merged since the call): the CRM places it by number.
    if (onRecord) return logCall(adapter, byNumber);
    return adapter.createInboxEntry(byNumber);
  }
}

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
  const { db, clock = Date.now, random = Math.random, crmChosen = async () => false } = options;
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
    return {
      crm: pause === NO_HOST_ACCESS ? 'amocrm' : adapter.kind,
      pending: pending.length,
      ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
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

  /** Sends one call; answers whether the drain may go on to the next. */
  const send = async (adapter: CrmAdapter, call: CallRecord): Promise<boolean> => {
    const write = await crmWriteOf(db, call);
    try {
      const result = await logCall(adapter, write);
      await markCrmSynced(db, call.id, result.externalId, clock());
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

  const drainOnce = async (): Promise<CrmOutboxStatus> => {
    const adapter = await options.adapter();
    if (await unreachable(adapter)) {
      log.warn('a CRM is chosen but its host is not allowed: calls stay pending');
    } else if (adapter.kind === 'local') {
      // No CRM connected: the history itself is the log of calls.
      const skipped = await markPendingSkipped(db);
      if (skipped > 0) log.info(`${skipped} call(s) kept in local history only`);
    } else if (!(await activePause())) {
      for (const call of await pendingCrmWrites(db)) {
        // In order: a call waiting out its backoff holds the ones after it (the CRM is what failed).
        if ((call.crmNextAt ?? 0) > clock()) break;
        if (!(await send(adapter, call))) break;
      }
    }
    const now = await status();
    await options.scheduleWake(now.paused || now.pending === 0 ? undefined : (now.nextAttemptAt ?? clock()));
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
