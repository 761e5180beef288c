import { browser } from '#imports';
import { extensionCallbackReminders } from '@/lib/background/callback-reminders-hub';
import { createMissedCallsService } from '@/lib/background/missed-calls-service';
import type { PhoneHubObserver } from '@/lib/background/phone-hub';
import { db } from '@/lib/db/db';
import { journalSnapshot, recoverInterruptedCalls, touchLiveCalls } from '@/lib/history/call-journal';
import { phoneSnapshotItem } from '@/lib/phone/snapshot-store';
import { loadEffectiveSettings } from '@/lib/settings/settings-store';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('history');

/** Alarm that records, once a minute, that live calls are still alive (see `touchLiveCalls`). */
const HEARTBEAT = 'call-heartbeat';

/**
 * Call history in the background: every engine snapshot is journaled (write-ahead: a call has its row
 * from the first ring), calls cut off by a crash are closed as interrupted when the worker starts,
 * and a heartbeat alarm keeps the last-known-alive time of long calls fresh.
 */
export function startHistoryHub(): PhoneHubObserver {
  // Missed calls to handle are counted again whenever the journal says they changed.
  const missedCalls = createMissedCallsService({ db });
  // Missed calls open callbacks and connected callbacks close them, from the rows just written.
  const reminders = extensionCallbackReminders();
  const remind = async (written: readonly string[]): Promise<void> => {
    const rows = (await db.calls.bulkGet([...written])).filter((row) => row !== undefined);
    await reminders.afterJournal(rows).catch((error: unknown) => log.warn('callback reminders failed', error));
  };

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== HEARTBEAT) return;
    void phoneSnapshotItem
      .getValue()
      .then((snapshot) => touchLiveCalls(db, snapshot.calls.map((call) => call.id), Date.now()))
      .catch((error: unknown) => log.warn('heartbeat failed', error));
  });

  const heartbeat = async (live: boolean): Promise<void> => {
    const existing = await browser.alarms.get(HEARTBEAT);
    if (live && !existing) await browser.alarms.create(HEARTBEAT, { periodInMinutes: 1 });
    if (!live && existing) await browser.alarms.clear(HEARTBEAT);
  };

  return {
    async onSnapshot(snapshot) {
      const { settings } = await loadEffectiveSettings();
      const { missed, written } = await journalSnapshot(db, snapshot, Date.now(), { region: settings.defaultCountry });
      // The phone hub redraws the badge right after, with the count stored here.
      if (missed) await missedCalls.refresh({ added: missed.added });
      if (written.length > 0) await remind(written);
      await heartbeat(snapshot.calls.length > 0);
    },
    async onReconciled(snapshot) {
      const { settings } = await loadEffectiveSettings();
      // Journal first: calls that ended while the worker was stopped are in the snapshot's `recent`.
      const { missed, written } = await journalSnapshot(db, snapshot, Date.now(), { region: settings.defaultCountry });
      // Also with nothing written: session storage is empty after a browser restart.
      await remind(written);
      const closed = await recoverInterruptedCalls(db, snapshot.calls.map((call) => call.id), Date.now());
      if (closed.length > 0) log.info(`closed ${closed.length} interrupted call(s)`);
      // Session storage is empty after a browser restart: count from the database at every start.
      await missedCalls.refresh({ added: missed?.added ?? [], badge: true });
      await heartbeat(snapshot.calls.length > 0);
    },
  };
}
