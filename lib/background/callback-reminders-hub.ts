import { browser, type Browser } from '#imports';
import { callerLabel } from '@/lib/background/after-call-words';
import { createCallbackReminders, type CallbackReminders } from '@/lib/background/callback-reminders';
import { createMissedCallsService } from '@/lib/background/missed-calls-service';
import { openPanel } from '@/lib/background/panel-presence';
import type { PhoneHub } from '@/lib/background/phone-hub';
import { db } from '@/lib/db/db';
import type { TaskRecord } from '@/lib/db/task-record';
import { callbackListItem } from '@/lib/history/callback-list-item';
import { currentLocale } from '@/lib/i18n/i18n';
import { tBackground } from '@/lib/i18n/background-messages';
import { loadAfterCallRules } from '@/lib/settings/settings-store';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('callbacks');

/** Alarm that wakes the worker when the next callback is due. */
const REMINDER_ALARM = 'callback-reminder';
/** Prefix of reminder notification ids (the rest is the task id). */
const PREFIX = 'reminder:';

/** The callback reminders over the extension's database, alarms, notifications and session storage. */
export function extensionCallbackReminders(): CallbackReminders {
  return createCallbackReminders({
    db,
    rules: loadAfterCallRules,
    notify: (task) => browser.notifications.create(`${PREFIX}${task.id}`, reminderOptions(task)).then(() => undefined),
    clearReminder: (taskId) => browser.notifications.clear(`${PREFIX}${taskId}`).then(() => undefined),
    scheduleWake: async (at) => {
      if (at === undefined) await browser.alarms.clear(REMINDER_ALARM);
      else await browser.alarms.create(REMINDER_ALARM, { when: at });
    },
    publish: (list) => callbackListItem.setValue(list),
  });
}

/**
 * Wakes the reminders at the next due callback, and answers their notifications: a click opens the
 * panel (where the callback list is); *Call back* dials (the callback closes once that call
 * connects); *Done* closes the callback and marks the number's missed calls done.
 */
export function startCallbackRemindersHub(hub: PhoneHub): CallbackReminders {
  const reminders = extensionCallbackReminders();
  const missedCalls = createMissedCallsService({ db });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== REMINDER_ALARM) return;
    reminders.refresh().catch((error: unknown) => log.warn('callback reminders failed', error));
  });
  browser.notifications.onClicked.addListener((notificationId) => {
    if (notificationId.startsWith(PREFIX)) void openPanel();
  });
  browser.notifications.onButtonClicked?.addListener((notificationId, buttonIndex) => {
    if (!notificationId.startsWith(PREFIX)) return;
    const taskId = notificationId.slice(PREFIX.length);
    const act = buttonIndex === 0 ? callBack(taskId) : done(taskId);
    act.catch((error: unknown) => log.warn('callback reminder action failed', error));
  });

  async function callBack(taskId: string): Promise<void> {
    const task = await db.tasks.get(taskId);
    await browser.notifications.clear(`${PREFIX}${taskId}`);
    void openPanel();
    if (task?.dialTarget) await hub.dial(task.dialTarget);
  }

  async function done(taskId: string): Promise<void> {
    const task = await reminders.complete(taskId);
    if (task?.numberKey) await missedCalls.dismiss(task.numberKey);
  }

  return reminders;
}

function reminderOptions(task: TaskRecord): Browser.notifications.NotificationCreateOptions {
  const caller = callerLabel({ remoteName: task.remoteName, remoteRaw: task.dialTarget ?? task.title });
  const time = new Date(task.createdAt).toLocaleTimeString(currentLocale(), { hour: '2-digit', minute: '2-digit' });
  const base = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: tBackground('notification.callbackDueTitle', { caller }),
    message: tBackground('notification.callbackDueText', { time }),
  };
  // Firefox supports no buttons; a click there opens the sidebar, where the list is.
  if (import.meta.env.FIREFOX) return base;
  return {
    ...base,
    buttons: [{ title: tBackground('notification.callBack') }, { title: tBackground('notification.done') }],
  };
}
