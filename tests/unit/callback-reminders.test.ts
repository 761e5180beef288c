import { signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCallbackReminders, type CallbackReminders } from '@/lib/background/callback-reminders';
import { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import type { TaskRecord } from '@/lib/db/task-record';
import type { CallbackList } from '@/lib/history/callback-list-item';
import { callbackTaskId, dueReminders, nextReminderAt, openCallbackTasks } from '@/lib/history/callback-tasks';
import { CallbackListModel, type CallbackListClient } from '@/lib/panel/callback-list-model';
import { DEFAULT_AFTER_CALL_SETTINGS, type AfterCallSettings } from '@/lib/settings/after-call-settings';
import { callRow, freshIndexedDb, T0 } from '../fixtures/db/test-db';

const IVAN = '+79161234567';
const ANNA = '+79035556677';
const MINUTE = 60_000;

describe('callback tasks', () => {
  let db: AppDb;
  beforeEach(() => {
    db = new AppDb('test-history', freshIndexedDb());
  });
  afterEach(() => db.close());

  const missed = (callId: string, number: string, endedAt: number, extra: Partial<CallRecord> = {}): CallRecord =>
    callRow({ callId, numberKey: number, startedAt: endedAt - 20_000, endedAt, ...extra });

  it('a missed call opens one callback, due N minutes after it ended; opening it again changes nothing', async () => {
    const call = missed('m1', IVAN, T0, { remoteName: 'Иван' });
    const [task] = await openCallbackTasks(db, [call], 15 * MINUTE, T0 + 1);
    expect(task).toMatchObject({
      id: callbackTaskId(call.id),
      kind: 'callback',
      status: 'open',
      dueAt: T0 + 15 * MINUTE,
      numberKey: IVAN,
      dialTarget: IVAN,
      remoteName: 'Иван',
    });
    expect(await openCallbackTasks(db, [call], 5 * MINUTE, T0 + 2)).toEqual([]);
    expect(await db.tasks.count()).toBe(1);
  });

  it.each([
    ['an answered call', { answeredAt: T0 - 10_000, outcome: 'answered' as const }],
    ['a missed call already handled', { missedHandledAt: T0, missedHandledBy: 'dismissed' as const }],
    ['an outbound call', { direction: 'outbound' as const, outcome: 'cancelled' as const }],
  ])('%s opens no callback', async (_, extra) => {
    expect(await openCallbackTasks(db, [missed('x', IVAN, T0, extra)], MINUTE, T0)).toEqual([]);
  });

  it('reminders: due ones not shown yet, and the next due time', () => {
    const task = (id: string, dueAt: number, remindedAt?: number): TaskRecord => ({
      id,
      title: id,
      status: 'open',
      dueAt,
      createdAt: T0,
      updatedAt: T0,
      ...(remindedAt ? { remindedAt } : {}),
    });
    const tasks = [task('a', T0 - 1, T0), task('b', T0), task('c', T0 + 5)];
    expect(dueReminders(tasks, T0).map((t) => t.id)).toEqual(['b']);
    expect(nextReminderAt(tasks)).toBe(T0);
    expect(nextReminderAt([tasks[0]!])).toBeUndefined();
  });
});

describe('CallbackReminders', () => {
  let deps: ReturnType<typeof freshIndexedDb>;
  let db: AppDb;
  let now: number;
  let rules: AfterCallSettings;
  let shown: string[];
  let cleared: string[];
  let wakes: Array<number | undefined>;
  let published: CallbackList[];

  const reminders = (): CallbackReminders =>
    createCallbackReminders({
      db,
      rules: async () => rules,
      notify: async (task) => {
        shown.push(task.id);
      },
      clearReminder: async (taskId) => {
        cleared.push(taskId);
      },
      scheduleWake: async (at) => {
        wakes.push(at);
      },
      publish: async (list) => {
        published.push(list);
      },
      clock: () => now,
    });

  beforeEach(() => {
    deps = freshIndexedDb();
    db = new AppDb('test-history', deps);
    now = T0;
    rules = { ...DEFAULT_AFTER_CALL_SETTINGS, callbackDueMinutes: 2 };
    shown = [];
    cleared = [];
    wakes = [];
    published = [];
  });
  afterEach(() => db.close());

  it('Ivan misses us: the callback is listed with its due time, the alarm is set for it, and at due time one reminder shows — once, across a worker restart', async () => {
    const call = callRow({ callId: 'm1', numberKey: IVAN, startedAt: T0 - 20_000, endedAt: T0 });
    await db.calls.add(call);
    await reminders().afterJournal([call]);
    const id = callbackTaskId(call.id);
    expect(published.at(-1)).toEqual({
      entries: [{ id, numberKey: IVAN, dialTarget: IVAN, dueAt: T0 + 2 * MINUTE, createdAt: T0 }],
    });
    expect(wakes.at(-1)).toBe(T0 + 2 * MINUTE);
    expect(shown).toEqual([]);

    now = T0 + 2 * MINUTE;
    db.close();
    db = new AppDb('test-history', deps);
    await reminders().refresh();
    await reminders().refresh();
    expect(shown).toEqual([id]);
    expect(wakes.at(-1)).toBeUndefined();
    // Still listed (overdue) until it is called back or done.
    expect(published.at(-1)?.entries.map((entry) => entry.id)).toEqual([id]);
  });

  it('a callback that connects closes the number’s callback and takes its reminder away', async () => {
    const call = callRow({ callId: 'm1', numberKey: IVAN, startedAt: T0 - 20_000, endedAt: T0 });
    await reminders().afterJournal([call]);
    const handled = { ...call, missedHandledAt: T0 + MINUTE, missedHandledBy: 'callback' as const };
    await reminders().afterJournal([handled]);
    expect(published.at(-1)).toEqual({ entries: [] });
    expect(cleared).toEqual([callbackTaskId(call.id)]);
    expect(await db.tasks.get(callbackTaskId(call.id))).toMatchObject({ status: 'done', doneBy: 'callback' });
  });

  it('Done closes one callback; the missed list’s Done closes a number’s, or all', async () => {
    const ivan = callRow({ callId: 'm1', numberKey: IVAN, startedAt: T0 - 20_000, endedAt: T0 });
    const anna = callRow({ callId: 'm2', numberKey: ANNA, startedAt: T0 - 10_000, endedAt: T0 + 1 });
    await reminders().afterJournal([ivan, anna]);
    expect(published.at(-1)?.entries.map((entry) => entry.numberKey)).toEqual([IVAN, ANNA]);
    expect(await reminders().complete(callbackTaskId(ivan.id))).toMatchObject({ status: 'done', doneBy: 'agent' });
    expect(published.at(-1)?.entries.map((entry) => entry.numberKey)).toEqual([ANNA]);
    await reminders().closeNumber(undefined);
    expect(published.at(-1)).toEqual({ entries: [] });
  });

  it('with the rule off, a missed call opens no callback', async () => {
    rules = { ...rules, callbackTask: false };
    await reminders().afterJournal([callRow({ callId: 'm1', numberKey: IVAN, startedAt: T0 - 20_000, endedAt: T0 })]);
    expect(await db.tasks.count()).toBe(0);
  });
});

describe('CallbackListModel', () => {
  const client = (): CallbackListClient & { done: string[]; dialled: string[] } => {
    const fake = {
      done: [] as string[],
      dialled: [] as string[],
      placeCall: async ({ target }: { target: string }) => {
        fake.dialled.push(target);
        return { callId: 'new' };
      },
      completeCallback: async ({ taskId }: { taskId: string }) => {
        fake.done.push(taskId);
        return null;
      },
    };
    return fake as CallbackListClient & { done: string[]; dialled: string[] };
  };

  it('lists callbacks soonest first with a live SLA timer; overdue rows say by how much', () => {
    const now = signal(T0);
    const model = new CallbackListModel({ client: client(), source: { getValue: async () => null, watch: () => () => {} }, now });
    model.receive({
      entries: [
        { id: 'b', numberKey: ANNA, dialTarget: ANNA, dueAt: T0 + 10 * MINUTE, createdAt: T0 },
        { id: 'a', numberKey: IVAN, remoteName: 'Иван', dialTarget: IVAN, dueAt: T0 + 90_000, createdAt: T0 },
      ],
    });
    expect(model.entries.value.map(({ id, label, detail, timer, overdue }) => ({ id, label, detail, timer, overdue }))).toEqual([
      { id: 'a', label: 'Иван', detail: IVAN, timer: '01:30', overdue: false },
      { id: 'b', label: ANNA, detail: undefined, timer: '10:00', overdue: false },
    ]);
    now.value = T0 + 95_000;
    expect(model.entries.value[0]).toMatchObject({ timer: '−00:05', overdue: true, timerText: 'Overdue by 00:05' });
    expect(model.entries.value[1]).toMatchObject({ timer: '08:25', overdue: false, timerText: 'Due in 08:25' });
    expect(model.overdueCount.value).toBe(1);
  });

  it('Call dials the number; Done sends the task id; a value that does not parse lists nothing', async () => {
    const background = client();
    const model = new CallbackListModel({ client: background, source: { getValue: async () => null, watch: () => () => {} }, now: signal(T0) });
    model.receive({ entries: [{ id: 'a', numberKey: IVAN, dialTarget: IVAN, dueAt: T0, createdAt: T0 }] });
    expect(await model.call('a')).toBe('new');
    expect(await model.done('a')).toBe(true);
    expect(background).toMatchObject({ dialled: [IVAN], done: ['a'] });
    model.receive({ entries: [{ id: 5 }] });
    expect(model.entries.value).toEqual([]);
  });
});
