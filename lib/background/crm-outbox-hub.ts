import { browser } from '#imports';
import { crmOutboxPauseItem } from '@/lib/background/crm-outbox-pause';
import { createCrmOutboxService, type CrmOutboxService } from '@/lib/background/crm-outbox-service';
import type { CrmAdapter } from '@/lib/crm/crm-adapter';
import { db } from '@/lib/db/db';
import { WRAP_UP_GRACE_MS } from '@/lib/history/crm-outbox';
import { loadAfterCallRules, loadEffectiveSettings, loadLocalSettings, watchEffectiveSettings } from '@/lib/settings/settings-store';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('crm-outbox');

/** Alarm that wakes the worker when the CRM outbox's next attempt is due. */
const OUTBOX_ALARM = 'crm-outbox';

/**
 * The CRM outbox in the extension: its service over the history database, woken by an alarm at the
 * next due attempt (the worker may be stopped in between; Chrome fires alarms no sooner than 30 s
 * apart, which only rounds short backoffs up), when the browser comes back online, and when the
 * settings change (a new CRM connection lifts a pause). The phone hub drains it after each call
 * end and at every worker start.
 */
export function startCrmOutbox(adapter: () => Promise<CrmAdapter>): CrmOutboxService & { kick(): void } {
  const outbox = createCrmOutboxService({
    db,
    adapter,
    connectionKey: async () => JSON.stringify((await loadLocalSettings()).crm),
    crmChosen: async () => (await loadLocalSettings()).crm.kind !== 'none',
    pause: crmOutboxPauseItem,
    rules: loadAfterCallRules,
    // Notes and dispositions typed after hang-up go in the same write (Done in the editor ends the wait).
    wrapUpGraceMs: WRAP_UP_GRACE_MS,
    lineOf: async (accountId) => {
      const { settings } = await loadEffectiveSettings();
      return settings.accounts.find((account) => account.id === accountId)?.sipUri.split('@')[0];
    },
    scheduleWake: async (at) => {
      if (at === undefined) await browser.alarms.clear(OUTBOX_ALARM);
      else await browser.alarms.create(OUTBOX_ALARM, { when: at });
    },
  });
  const kick = (): void => {
    outbox.drain().catch((error: unknown) => log.warn('outbox drain failed', error));
  };
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) kick();
  });
  // `online` fires on the worker's global scope (Chrome) and the background page's window (Firefox).
  globalThis.addEventListener?.('online', kick);
  watchEffectiveSettings(kick);
  return { ...outbox, kick };
}
