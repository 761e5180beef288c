import Dexie from 'dexie';
import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { TaskRecord } from '@/lib/db/task-record';
import { isMissedToHandle } from '@/lib/history/missed-calls';

/**
 * Callback tasks: the local half of the "missed call → call back" rule. A missed call opens a task
 * in the `tasks` table, due a set time after the call; a callback that connects, or the agent's
 * *Done*, closes it. The rows are the truth: the reminder alarm, the panel's list and the CRM task
 * are all derived from them, so a stopped worker loses nothing.
 *
 * One open task per number: a caller who tries three times is one callback to make, and the first
 * missed call's due time is the promise to keep (a later miss does not move it).
 */

/** The task id of the callback a missed call opened: deterministic, so opening it twice is a no-op. */
export function callbackTaskId(callHistoryId: string): string {
  return `callback:${callHistoryId}`;
}

/** The open callback tasks of `numberKey`, or of every number. */
async function openTasks(db: AppDb, numberKey?: string): Promise<TaskRecord[]> {
  const rows = await db.tasks
    .where('[status+dueAt]')
    .between(['open', Dexie.minKey], ['open', Dexie.maxKey])
    .toArray();
  return rows.filter((task) => task.kind === 'callback' && (numberKey === undefined || task.numberKey === numberKey));
}

/**
 * Opens a callback task for each of `rows` that is a missed call still to handle, unless its number
 * already has an open one or the call opened one before.
 *
 * @returns the tasks opened.
 */
export async function openCallbackTasks(
  db: AppDb,
  rows: readonly CallRecord[],
  dueAfterMs: number,
  now: number,
): Promise<TaskRecord[]> {
  const missed = rows.filter((row) => row.direction === 'inbound' && isMissedToHandle(row));
  if (missed.length === 0) return [];
  return db.transaction('rw', db.tasks, async () => {
    const opened: TaskRecord[] = [];
    for (const row of missed) {
      const id = callbackTaskId(row.id);
      if (await db.tasks.get(id)) continue;
      if ((await openTasks(db, row.numberKey)).length > 0) continue;
      const task: TaskRecord = {
        id,
        kind: 'callback',
        title: row.remoteName || row.remoteRaw,
        status: 'open',
        dueAt: (row.endedAt ?? row.startedAt) + dueAfterMs,
        callId: row.id,
        numberKey: row.numberKey,
        ...(row.contactId ? { contactId: row.contactId } : {}),
        ...(row.remoteName ? { remoteName: row.remoteName } : {}),
        ...(row.remoteE164 || row.remoteRaw ? { dialTarget: row.remoteE164 || row.remoteRaw } : {}),
        createdAt: now,
        updatedAt: now,
      };
      await db.tasks.add(task);
      opened.push(task);
    }
    return opened;
  });
}

/**
 * Closes the open callback tasks of a number (a callback to it connected, or its missed calls were
 * marked done), of every number (`numberKey` absent: all missed calls marked done), or one task by id.
 *
 * @returns the tasks closed.
 */
export async function closeCallbackTasks(
  db: AppDb,
  which: { numberKey?: string | undefined } | { taskId: string },
  by: NonNullable<TaskRecord['doneBy']>,
  now: number,
): Promise<TaskRecord[]> {
  return db.transaction('rw', db.tasks, async () => {
    const tasks =
      'taskId' in which
        ? [await db.tasks.get(which.taskId)].filter(
            (task): task is TaskRecord => task !== undefined && task.status === 'open',
          )
        : await openTasks(db, which.numberKey);
    const closed = tasks.map((task) => ({ ...task, status: 'done' as const, doneAt: now, doneBy: by, updatedAt: now }));
    if (closed.length > 0) await db.tasks.bulkPut(closed);
    return closed;
  });
}

/** The open callback tasks, soonest due first. */
export async function openCallbackList(db: AppDb): Promise<TaskRecord[]> {
  // `[status+dueAt]` hands them over in due order already.
  return openTasks(db);
}

/** Open tasks whose reminder is due at `now` and not shown yet. */
export function dueReminders(tasks: readonly TaskRecord[], now: number): TaskRecord[] {
  return tasks.filter((task) => task.remindedAt === undefined && (task.dueAt ?? 0) <= now);
}

/** When the next reminder is due (the soonest open task not reminded yet), or `undefined`. */
export function nextReminderAt(tasks: readonly TaskRecord[]): number | undefined {
  const times = tasks.filter((task) => task.remindedAt === undefined && task.dueAt !== undefined).map((t) => t.dueAt!);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** Records that the reminders of `ids` were shown. */
export async function markReminded(db: AppDb, ids: readonly string[], now: number): Promise<void> {
  await db.tasks.where('id').anyOf([...ids]).modify({ remindedAt: now });
}

/**
 * Closed callbacks whose CRM task is still open: the CRM outbox completes them there. `[status+dueAt]`
 * finds the closed ones; few carry a CRM task not yet completed.
 */
export async function crmTasksToComplete(db: AppDb): Promise<TaskRecord[]> {
  const done = await db.tasks
    .where('[status+dueAt]')
    .between(['done', Dexie.minKey], ['done', Dexie.maxKey])
    .toArray();
  return done.filter((task) => task.crmTaskId !== undefined && task.crmCompletedAt === undefined);
}
