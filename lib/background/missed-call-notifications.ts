import { browser, type Browser } from '#imports';
import type { MissedCallsSummary, MissedEntry } from '@/lib/history/missed-calls-item';
import { currentLocale } from '@/lib/i18n/i18n';
import { tBackground } from '@/lib/i18n/background-messages';

const PREFIX = 'missed:';

/** Notification id of the missed calls of a number. */
export function missedNotificationId(numberKey: string): string {
  return `${PREFIX}${numberKey}`;
}

/** The number key of one of our missed-call notification ids, or `undefined`. */
export function numberKeyOfMissedNotification(notificationId: string): string | undefined {
  return notificationId.startsWith(PREFIX) ? notificationId.slice(PREFIX.length) : undefined;
}

/**
 * Keeps the missed-call notifications in step with the missed calls to handle: one per number,
 * shown (or updated, with the new count) when `added` says that number has just missed a call,
 * and cleared as soon as its calls are handled (a callback connected, *Done*). A notification the
 * agent closed is not shown again until the number calls again.
 */
export async function syncMissedCallNotifications(summary: MissedCallsSummary, added: readonly string[]): Promise<void> {
  const entries = new Map(summary.entries.map((entry) => [entry.numberKey, entry]));
  const shown = Object.keys(await browser.notifications.getAll()).filter((id) => id.startsWith(PREFIX));
  await Promise.all(
    shown
      .filter((id) => !entries.has(numberKeyOfMissedNotification(id)!))
      .map((id) => browser.notifications.clear(id)),
  );
  for (const numberKey of new Set(added)) {
    const entry = entries.get(numberKey);
    if (entry) await browser.notifications.create(missedNotificationId(numberKey), notificationOptions(entry));
  }
}

function notificationOptions(entry: MissedEntry): Browser.notifications.NotificationCreateOptions {
  const caller = entry.remoteName ? `${entry.remoteName} (${entry.remoteRaw})` : entry.remoteRaw;
  const time = new Date(entry.lastAt).toLocaleTimeString(currentLocale(), { hour: '2-digit', minute: '2-digit' });
  const from = tBackground('notification.missedFrom', { caller, time });
  const base = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title:
      entry.count === 1
        ? tBackground('notification.missedTitle')
        : tBackground('notification.missedTitleMany', { count: entry.count }),
    message:
      entry.refused > 0
        ? `${from}\n${tBackground('notification.missedRefused')}`
        : entry.busy > 0
          ? `${from}\n${tBackground('notification.missedBusy')}`
          : from,
  };
  // Firefox supports no buttons; a click there opens the sidebar, where the list is.
  if (import.meta.env.FIREFOX) return base;
  return {
    ...base,
    buttons: [{ title: tBackground('notification.callBack') }, { title: tBackground('notification.done') }],
  };
}
