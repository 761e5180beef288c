import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { TaskRecord } from '@/lib/db/task-record';
import type { CallbackEntry, CallbackList } from '@/lib/history/callback-list-item';
import {
  closeCallbackTasks,
  dueReminders,
  markReminded,
  nextReminderAt,
  openCallbackList,
  openCallbackTasks,
} from '@/lib/history/callback-tasks';
import type { AfterCallSettings } from '@/lib/settings/after-call-settings';

/** Options of {@link createCallbackReminders}. */
export interface CallbackRemindersOptions {
  db: AppDb;
  /** The after-call rules in force (the settings' `afterCall`). */
  rules: () => Promise<AfterCallSettings>;
  /** Shows the due-time reminder of a callback (a notification). */
  notify: (task: TaskRecord) => Promise<void>;
  /** Takes a callback's reminder away (the callback is closed). */
  clearReminder: (taskId: string) => Promise<void>;
  /** Wakes the worker at `at` for the next reminder (`browser.alarms`); `undefined` clears it. */
  scheduleWake: (at: number | undefined) => Promise<void>;
  /** Hands the open callbacks to the panel (`callbackListItem`). */
  publish: (list: CallbackList) => Promise<void>;
  /** @defaultValue `Date.now` */
  clock?: () => number;
}

/** The local callback reminders of missed calls, in the background. */
export interface CallbackReminders {
  /**
   * After the journal wrote `rows`: missed calls open their callbacks (when the rule is on), and a
   * callback that connected closes its number's. Then {@link refresh}.
   */
  afterJournal(rows: readonly CallRecord[]): Promise<CallbackList>;
  /** Shows the reminders that are due, lists the open callbacks and sets the alarm for the next one. */
  refresh(): Promise<CallbackList>;
  /** The agent's *Done* on one callback. */
  complete(taskId: string): Promise<TaskRecord | undefined>;
  /** The missed calls of a number (of every number: `undefined`) were marked done: so are their callbacks. */
  closeNumber(numberKey: string | undefined): Promise<void>;
}

/**
 * Creates the reminders. Nothing is kept in memory (the `tasks` rows and their `remindedAt` are the
 * state), so any number of instances agree and a worker stopped at any second resumes: an alarm for
 * the next due callback wakes it, and a reminder is shown once, whenever the worker gets to it.
 */
export function createCallbackReminders(options: CallbackRemindersOptions): CallbackReminders {
  const { db, clock = Date.now } = options;

  const refresh = async (): Promise<CallbackList> => {
    let open = await openCallbackList(db);
    const due = dueReminders(open, clock());
    if (due.length > 0) {
      // Recorded before showing: a worker stopped in between misses one reminder rather than
      // repeating it at every start; the list in the panel still shows the callback as overdue.
      await markReminded(db, due.map((task) => task.id), clock());
      await Promise.all(due.map((task) => options.notify(task)));
      open = await openCallbackList(db);
    }
    await options.scheduleWake(nextReminderAt(open));
    const list = { entries: open.map(entryOf) };
    await options.publish(list);
    return list;
  };

  const closed = async (tasks: readonly TaskRecord[]): Promise<void> => {
    await Promise.all(tasks.map((task) => options.clearReminder(task.id)));
  };

  return {
    async afterJournal(rows) {
      const rules = await options.rules();
      if (rules.callbackTask) await openCallbackTasks(db, rows, rules.callbackDueMinutes * 60_000, clock());
      for (const numberKey of new Set(rows.filter((row) => row.missedHandledBy === 'callback').map((r) => r.numberKey))) {
        await closed(await closeCallbackTasks(db, { numberKey }, 'callback', clock()));
      }
      return refresh();
    },
    refresh,
    async complete(taskId) {
      const [task] = await closeCallbackTasks(db, { taskId }, 'agent', clock());
      await closed(task ? [task] : []);
      await refresh();
      return task;
    },
    async closeNumber(numberKey) {
      await closed(await closeCallbackTasks(db, { numberKey }, 'agent', clock()));
      await refresh();
    },
  };
}

function entryOf(task: TaskRecord): CallbackEntry {
  return {
    id: task.id,
    numberKey: task.numberKey ?? '',
    ...(task.remoteName ? { remoteName: task.remoteName } : {}),
    ...(task.dialTarget ? { dialTarget: task.dialTarget } : {}),
    dueAt: task.dueAt ?? task.createdAt,
    createdAt: task.createdAt,
  };
}
