import { browser } from '#imports';
import { extensionCallbackReminders } from '@/lib/background/callback-reminders-hub';
import { missedNotificationId, numberKeyOfMissedNotification } from '@/lib/background/missed-call-notifications';
import { createMissedCallsService } from '@/lib/background/missed-calls-service';
import { openPanel } from '@/lib/background/panel-presence';
import type { PhoneHub } from '@/lib/background/phone-hub';
import { db } from '@/lib/db/db';
import { missedCallsItem, missedDialTarget } from '@/lib/history/missed-calls-item';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('missed');

/**
 * The missed-call notifications' buttons: *Call back* dials the number (the missed calls are
 * handled once that call connects), *Done* marks them handled. A click on the notification itself
 * opens the panel, where the list is (Firefox shows no buttons).
 */
export function startMissedCallsHub(hub: PhoneHub): void {
  const missedCalls = createMissedCallsService({ db });

  browser.notifications.onButtonClicked?.addListener((notificationId, buttonIndex) => {
    const numberKey = numberKeyOfMissedNotification(notificationId);
    if (numberKey === undefined) return;
    const act = buttonIndex === 0 ? callBack(numberKey) : done(numberKey);
    act.catch((error: unknown) => log.warn('missed-call notification action failed', error));
  });
  browser.notifications.onClicked.addListener((notificationId) => {
    if (numberKeyOfMissedNotification(notificationId) !== undefined) void openPanel();
  });

  /** The number's missed calls are dealt with, and so are its callbacks. */
  async function done(numberKey: string): Promise<void> {
    await missedCalls.dismiss(numberKey);
    await extensionCallbackReminders().closeNumber(numberKey);
  }

  async function callBack(numberKey: string): Promise<void> {
    const { entries } = await missedCallsItem.getValue();
    const entry = entries.find((e) => e.numberKey === numberKey);
    const target = entry && missedDialTarget(entry);
    if (!target) return;
    await browser.notifications.clear(missedNotificationId(numberKey));
    void openPanel();
    await hub.dial(target);
  }
}
