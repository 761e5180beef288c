import { cacheIdOf } from '@/lib/background/caller-lookup';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CrmOutboxPause } from '@/lib/background/crm-outbox-pause';
import { createCrmOutboxService, type CrmOutboxService } from '@/lib/background/crm-outbox-service';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import type { CrmAdapter } from '@/lib/crm/crm-adapter';
import { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import { addNote } from '@/lib/history/call-notes';
import { callbackTaskId, closeCallbackTasks, openCallbackTasks } from '@/lib/history/callback-tasks';
import {
  FOLLOW_UP_SETTLE_MS,
  markWrapUpDone,
  requeueChangedWrapUp,
  WRAP_UP_GRACE_MS,
  wrapUpHoldUntil,
} from '@/lib/history/crm-outbox';
import { DEFAULT_AFTER_CALL_SETTINGS, type AfterCallSettings } from '@/lib/settings/after-call-settings';
import { startFakeAmoCrm, type FakeAmoCrm } from '../fakes/amocrm-server';
import { callRow, freshIndexedDb, T0 } from '../fixtures/db/test-db';

const IVAN = '+79161234567';
const ANNA = '+79035556677';
const STRANGER = '+74991112233';
const MINUTE = 60_000;

/** Ivan's contact (responsible: the connection's own user 501) and Anna's (responsible: 502). */
const IVAN_CONTACT = 403181;
const ANNA_CONTACT = 403190;
/** Иван's only open lead: amoCRM places his calls (and so their notes) there. */
const IVAN_LEAD = 9001;

describe('wrapUpHoldUntil', () => {
  const answered = callRow({ callId: 'a', startedAt: T0, numberKey: IVAN, answeredAt: T0 + 1_000, endedAt: T0 + 60_000 });
  const missed = callRow({ callId: 'm', startedAt: T0, numberKey: IVAN, endedAt: T0 + 20_000 });
  const dialled = { ...callRow({ callId: 'o', startedAt: T0, numberKey: IVAN, endedAt: T0 + 20_000 }), direction: 'outbound' as const, outcome: 'busy' as const };

  it.each([
    ['an answered call waits for its wrap-up', answered, T0 + 60_000 + WRAP_UP_GRACE_MS],
    ['a call the agent dialled waits too, answered or not', dialled, T0 + 20_000 + WRAP_UP_GRACE_MS],
    ['a missed call goes at once (its callback is due soon)', missed, undefined],
    ['Done in the editor ends the wait', { ...answered, wrapUpDoneAt: T0 + 70_000 }, undefined],
  ])('%s', (_, call, until) => {
    expect(wrapUpHoldUntil(call, WRAP_UP_GRACE_MS)).toBe(until);
  });

  it('no grace, no wait', () => {
    expect(wrapUpHoldUntil(answered, 0)).toBeUndefined();
  });
});

describe('After-call automation through the CRM outbox, against the fake amoCRM account', () => {
  let fake: FakeAmoCrm;
  let deps: ReturnType<typeof freshIndexedDb>;
  let db: AppDb;
  let now: number;
  let adapter: CrmAdapter;
  let rules: AfterCallSettings;
  let wakes: Array<number | undefined>;
  let pauseValue: CrmOutboxPause | null;

  /** A database connection and a service, as a (re)started worker makes them. */
  const service = (options: { grace?: number; over?: CrmAdapter } = {}): CrmOutboxService =>
    createCrmOutboxService({
      db,
      adapter: async () => options.over ?? adapter,
      connectionKey: async () => 'amocrm',
      pause: {
        getValue: async () => pauseValue,
        setValue: async (value) => {
          pauseValue = value;
        },
      },
      scheduleWake: async (at) => {
        wakes.push(at);
      },
      clock: () => now,
      random: () => 0.5,
      rules: async () => rules,
      wrapUpGraceMs: options.grace ?? WRAP_UP_GRACE_MS,
    });

  /** The worker stops: the database connection goes; IndexedDB keeps everything written. */
  const restartWorker = (): void => {
    db.close();
    db = new AppDb('test-history', deps);
  };

  const answeredCall = (callId: string, number: string, endedAt: number): CallRecord =>
    callRow({ callId, numberKey: number, startedAt: endedAt - 60_000, answeredAt: endedAt - 55_000, endedAt, crmState: 'pending' });
  const missedCall = (callId: string, number: string, endedAt: number): CallRecord =>
    callRow({ callId, numberKey: number, startedAt: endedAt - 20_000, endedAt, crmState: 'pending' });

  const posted = (path: string) => fake.requestsTo(path, 'POST').filter((request) => request.status === 200);

  beforeEach(async () => {
    fake = await startFakeAmoCrm();
    fake.state.contacts.push({
      id: ANNA_CONTACT,
      name: 'Анна Петрова',
      phones: [{ value: '+7 903 555-66-77', enum_code: 'MOB' }],
      responsibleUserId: 502,
      leadIds: [],
      createdAt: 1_760_000_000,
      updatedAt: 1_760_000_000,
    });
    deps = freshIndexedDb();
    db = new AppDb('test-history', deps);
    now = T0 + 3_600_000;
    adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: { type: 'token', token: 'long-lived-token' }, region: 'RU' });
    rules = { ...DEFAULT_AFTER_CALL_SETTINGS };
    wakes = [];
    pauseValue = null;
  });

  afterEach(async () => {
    db.close();
    await fake.close();
  });

  it('a note typed during wrap-up reaches amoCRM: the call waits for Done, then goes once with the note', async () => {
    const call = { ...answeredCall('c1', IVAN, now - 10_000), disposition: 'Интерес' };
    const later = missedCall('c2', IVAN, now - 5_000);
    rules = { ...rules, callbackTask: false, answeredNote: false };
    await db.calls.bulkAdd([call, later]);

    // Hang-up: the call is held for its wrap-up; the missed call after it is not.
    let status = await service().drain();
    expect(status.pending).toBe(1);
    // The panel says it waits for the wrap-up rather than "sending…".
    expect(status.wrapUp).toBe(1);
    expect(posted('/api/v4/calls').map((request) => (request.body as Array<{ uniq: string }>)[0]!.uniq)).toEqual([later.id]);
    expect(wakes.at(-1)).toBe(call.endedAt! + WRAP_UP_GRACE_MS);

    // The agent types the note after hang-up, then presses Done.
    await addNote(db, { callId: call.id }, 'Перезвонить в пятницу', now + 20_000, { unique: 'n1' });
    now += 30_000;
    restartWorker();
    expect(await markWrapUpDone(db, call.id, now)).toBe(true);
    status = await service().drain();

    expect(status.pending).toBe(0);
    const logged = fake.state.calls.find((entry) => entry.uniq === call.id);
    expect(logged?.call_result).toBe('Интерес — Перезвонить в пятницу');
    expect(fake.state.calls.filter((entry) => entry.uniq === call.id)).toHaveLength(1);
    console.log(`[after-call] wrap-up: held ${(call.endedAt! + WRAP_UP_GRACE_MS - (now - 30_000)) / 1000} s more, sent on Done with the note`);
  });

  it('without Done the call goes when the grace ends, with whatever was typed by then', async () => {
    const call = answeredCall('c1', IVAN, now);
    rules = { ...rules, answeredNote: false };
    await db.calls.add(call);
    await service().drain();
    expect(posted('/api/v4/calls')).toHaveLength(0);
    await addNote(db, { callId: call.id }, 'Просил счёт', now + 60_000, { unique: 'n1' });
    now += WRAP_UP_GRACE_MS;
    await service().drain();
    expect(fake.state.calls.map((entry) => entry.call_result)).toEqual(['Просил счёт']);
  });

  it('a note changed after the call was logged reaches amoCRM as one follow-up note, once typing settles', async () => {
    rules = { ...rules, answeredNote: false };
    const call = { ...answeredCall('c1', IVAN, now - WRAP_UP_GRACE_MS - 1), disposition: 'Интерес' };
    await db.calls.add(call);
    await addNote(db, { callId: call.id }, 'Первый разговор', now - WRAP_UP_GRACE_MS, { unique: 'n1' });
    await service().drain();
    expect(await db.calls.get(call.id)).toMatchObject({
      crmState: 'synced',
      crmSentWrapUp: { note: 'Первый разговор', disposition: 'Интерес' },
    });

    // Two edits a few seconds apart (the editor autosaves), then the worker restarts.
    const [note] = await db.notes.where('callId').equals(call.id).toArray();
    await db.notes.update(note!.id, { text: 'Первый разговор; просит КП' });
    expect(await requeueChangedWrapUp(db, call.id, now)).toBe(true);
    now += 5_000;
    await db.notes.update(note!.id, { text: 'Первый разговор; просит КП до пятницы' });
    expect(await requeueChangedWrapUp(db, call.id, now)).toBe(true);
    let status = await service().drain();
    expect(status.pending).toBe(1);
    expect(posted('/api/v4/leads/notes')).toHaveLength(0);
    expect(wakes.at(-1)).toBe(now + FOLLOW_UP_SETTLE_MS);

    restartWorker();
    now += FOLLOW_UP_SETTLE_MS;
    status = await service().drain();
    await service().drain();
    expect(status.pending).toBe(0);
    const notes = posted('/api/v4/leads/notes').flatMap((request) => request.body as Array<Record<string, unknown>>);
    expect(notes).toEqual([
      {
        entity_id: IVAN_LEAD,
        note_type: 'common',
        params: {
          text: 'The call’s note was updated after it was logged:\nCall result: Интерес\nNote: Первый разговор; просит КП до пятницы',
        },
      },
    ]);
    expect(posted('/api/v4/calls')).toHaveLength(1);
    // A call not in the CRM yet needs no follow-up: its log will carry the change.
    const fresh = answeredCall('c2', IVAN, now);
    await db.calls.add(fresh);
    expect(await requeueChangedWrapUp(db, fresh.id, now)).toBe(false);
  });

  it('a missed call opens a callback task for the responsible user of the record, due when the local callback is', async () => {
    rules = { ...rules, callbackDueMinutes: 15 };
    const call = { ...missedCall('m1', ANNA, now - 1_000), remoteName: 'Анна' };
    await db.calls.add(call);
    const [local] = await openCallbackTasks(db, [call], rules.callbackDueMinutes * MINUTE, now);

    await service().drain();

    expect(fake.state.tasks).toHaveLength(1);
    const task = fake.state.tasks[0]!;
    expect(task).toMatchObject({
      task_type_id: 1,
      entity_type: 'contacts',
      entity_id: ANNA_CONTACT,
      responsible_user_id: 502,
      complete_till: Math.floor(local!.dueAt! / 1000),
    });
    expect(String(task.text)).toContain(ANNA);
    expect(String(task.text)).toContain('Анна');
    expect(local!.dueAt).toBe(call.endedAt! + 15 * MINUTE);
    expect(await db.calls.get(call.id)).toMatchObject({
      crmState: 'synced',
      crmSteps: ['call', 'task'],
      crmLoggedOn: { kind: 'contact', id: String(ANNA_CONTACT) },
    });
    console.log(`[after-call] missed call → task ${String(task.text)} due ${task.complete_till} for user ${task.responsible_user_id}`);
  });

  it('the caller’s card cached by the screen pop names the task’s owner without asking amoCRM for the record', async () => {
    const ref = { crm: 'amocrm' as const, kind: 'contact' as const, id: String(ANNA_CONTACT) };
    const card = await adapter.getCard(ref);
    await db.contacts.put({
      id: cacheIdOf(ref),
      name: card.name,
      numbers: [ANNA],
      source: 'crm',
      externalId: ref.id,
      updatedAt: now,
      fetchedAt: now,
      card,
    });
    const readsBefore = fake.requestsTo(`/api/v4/contacts/${ANNA_CONTACT}`, 'GET').length;
    const call = missedCall('m1', ANNA, now - 1_000);
    await db.calls.add(call);
    await openCallbackTasks(db, [call], rules.callbackDueMinutes * MINUTE, now);

    await service().drain();

    expect(fake.state.tasks).toHaveLength(1);
    expect(fake.state.tasks[0]).toMatchObject({ entity_id: ANNA_CONTACT, responsible_user_id: 502 });
    expect(fake.requestsTo(`/api/v4/contacts/${ANNA_CONTACT}`, 'GET')).toHaveLength(readsBefore);
  });

  it('the callback task is for the connection’s own user when the record has none of its own (an inbox lead)', async () => {
    const call = missedCall('m1', STRANGER, now);
    await db.calls.add(call);
    await openCallbackTasks(db, [call], 15 * MINUTE, now);
    await service().drain();
    expect(fake.state.unsorted).toHaveLength(1);
    expect(fake.state.tasks).toHaveLength(1);
    expect(fake.state.tasks[0]).toMatchObject({ entity_type: 'leads', responsible_user_id: 501 });
  });

  it('no CRM task when the callback was already made, when the rule is off, or for the second miss of a number', async () => {
    const made = missedCall('m1', IVAN, now - 50_000);
    const second = missedCall('m2', IVAN, now - 40_000);
    await db.calls.bulkAdd([made, second]);
    const opened = await openCallbackTasks(db, [made, second], 15 * MINUTE, now);
    expect(opened.map((task) => task.id)).toEqual([callbackTaskId(made.id)]);
    await closeCallbackTasks(db, { numberKey: IVAN }, 'callback', now);
    await service().drain();
    expect(posted('/api/v4/calls')).toHaveLength(2);
    expect(fake.state.tasks).toHaveLength(0);

    rules = { ...rules, callbackTask: false };
    const third = missedCall('m3', ANNA, now);
    await db.calls.add(third);
    await openCallbackTasks(db, [third], 15 * MINUTE, now);
    await service().drain();
    expect(fake.state.tasks).toHaveLength(0);
  });

  it('an answered call adds a common note with its disposition and the agent’s note (rule on), none when off', async () => {
    const call = { ...answeredCall('c1', IVAN, now - WRAP_UP_GRACE_MS - 1), disposition: 'Продажа' };
    await db.calls.add(call);
    await addNote(db, { callId: call.id }, 'Выставить счёт', now - 1_000, { unique: 'n1' });
    await service().drain();
    const notes = posted('/api/v4/leads/notes').flatMap((request) => request.body as Array<Record<string, unknown>>);
    expect(notes).toEqual([
      { entity_id: IVAN_LEAD, note_type: 'common', params: { text: 'Call result: Продажа\nNote: Выставить счёт' } },
    ]);
    expect((await db.calls.get(call.id))?.crmSteps).toEqual(['call', 'note']);

    rules = { ...rules, answeredNote: false };
    const quiet = { ...answeredCall('c2', IVAN, now - WRAP_UP_GRACE_MS - 1), disposition: 'Продажа' };
    await db.calls.add(quiet);
    await service().drain();
    expect(posted('/api/v4/leads/notes')).toHaveLength(1);
  });

  it.each([
    ['off', { contacts: 0, unsorted: 0, calls: 0, state: 'skipped' }],
    ['contact', { contacts: 1, unsorted: 0, calls: 1, state: 'synced' }],
    ['lead', { contacts: 0, unsorted: 1, calls: 0, state: 'synced' }],
  ] as const)('a new number with the rule "%s"', async (newNumber, expected) => {
    rules = { ...rules, newNumber, answeredNote: false };
    const call = { ...answeredCall('c1', STRANGER, now - WRAP_UP_GRACE_MS - 1), remoteName: 'ООО Вектор' };
    await db.calls.add(call);
    await service().drain();
    expect(posted('/api/v4/contacts')).toHaveLength(expected.contacts);
    expect(fake.state.unsorted).toHaveLength(expected.unsorted);
    expect(fake.state.calls).toHaveLength(expected.calls);
    expect((await db.calls.get(call.id))?.crmState).toBe(expected.state);
    if (newNumber === 'contact') {
      const contact = fake.state.contacts.at(-1)!;
      expect(contact).toMatchObject({ name: 'ООО Вектор', phones: [{ value: STRANGER, enum_code: 'WORK' }] });
      expect(fake.state.calls[0]).toMatchObject({ entity_id: contact.id, uniq: call.id });
    }
  });

  it('a worker stop between the call and its task: after the restart the task is created, the call not sent again', async () => {
    const call = missedCall('m1', ANNA, now);
    await db.calls.add(call);
    await openCallbackTasks(db, [call], 15 * MINUTE, now);
    // The worker "stops" right after amoCRM accepted the call: the task request never leaves.
    const stopping: CrmAdapter = Object.assign(Object.create(adapter) as CrmAdapter, {
      createTask: async () => {
        throw new Error('the service worker stopped');
      },
    });
    const first = await service({ over: stopping }).drain();
    expect(first.pending).toBe(1);
    expect(await db.calls.get(call.id)).toMatchObject({ crmState: 'pending', crmSteps: ['call'] });

    restartWorker();
    now = first.nextAttemptAt!;
    const second = await service().drain();

    expect(second.pending).toBe(0);
    expect(posted('/api/v4/calls')).toHaveLength(1);
    expect(fake.state.tasks).toHaveLength(1);
    // A third drain (another worker start) sends nothing at all.
    const before = fake.requests.length;
    restartWorker();
    await service().drain();
    expect(fake.requests.length).toBe(before);
    console.log(`[after-call] restart mid-way: ${posted('/api/v4/calls').length} call, ${fake.state.tasks.length} task`);
  });

  /** An adapter whose worker "stops" after amoCRM accepted `method`'s request: its answer is lost. */
  const losingAnswerOf = (method: 'createTask' | 'addNote'): CrmAdapter =>
    Object.assign(Object.create(adapter) as CrmAdapter, {
      [method]: async (...args: unknown[]) => {
        await (adapter[method] as (...a: unknown[]) => Promise<unknown>).apply(adapter, args);
        throw new Error('the service worker stopped');
      },
    });

  it('a worker stop after amoCRM accepted the callback task, before its answer was recorded: the task is found again, not created twice', async () => {
    const call = { ...missedCall('m1', ANNA, now), remoteName: 'Анна' };
    await db.calls.add(call);
    const [local] = await openCallbackTasks(db, [call], 15 * MINUTE, now);
    const first = await service({ over: losingAnswerOf('createTask') }).drain();
    expect(first.pending).toBe(1);
    expect(fake.state.tasks).toHaveLength(1);
    expect(await db.calls.get(call.id)).toMatchObject({ crmSteps: ['call'], crmAttempted: ['task'] });

    restartWorker();
    now = first.nextAttemptAt!;
    const second = await service().drain();

    expect(second.pending).toBe(0);
    expect(fake.state.tasks).toHaveLength(1);
    expect(fake.requestsTo('/api/v4/tasks', 'GET')).toHaveLength(1);
    const row = await db.calls.get(call.id);
    expect(row).toMatchObject({ crmState: 'synced', crmSteps: ['call', 'task'] });
    expect(row?.crmAttempted).toBeUndefined();
    // The task found is the one the callback completes when it is closed here.
    expect((await db.tasks.get(local!.id))?.crmTaskId).toBe(String(fake.state.tasks[0]!.id));
  });

  it('a task whose first request never reached amoCRM is created on the retry: nothing open on the record is taken for it', async () => {
    const call = missedCall('m1', ANNA, now);
    await db.calls.add(call);
    await openCallbackTasks(db, [call], 15 * MINUTE, now);
    // A task of someone else's on the same contact, due another time, and one already done.
    fake.state.tasks.push(
      { id: 77, task_type_id: 1, text: 'Отправить КП', complete_till: Math.floor(now / 1000) + 86_400, entity_type: 'contacts', entity_id: ANNA_CONTACT },
      { id: 78, task_type_id: 1, text: 'done', complete_till: Math.floor((now + 15 * MINUTE) / 1000), entity_type: 'contacts', entity_id: ANNA_CONTACT, is_completed: true },
    );
    const unreachable: CrmAdapter = Object.assign(Object.create(adapter) as CrmAdapter, {
      createTask: async () => {
        throw new Error('network down');
      },
    });
    const first = await service({ over: unreachable }).drain();
    restartWorker();
    now = first.nextAttemptAt!;
    await service().drain();

    const ours = fake.state.tasks.filter((task) => task.id !== 77 && task.id !== 78);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ entity_id: ANNA_CONTACT, complete_till: Math.floor((call.endedAt! + 15 * MINUTE) / 1000) });
  });

  it('a worker stop after amoCRM accepted the disposition note: after the restart it is found, not added twice', async () => {
    const call = { ...answeredCall('a1', IVAN, now - WRAP_UP_GRACE_MS - 1), disposition: 'Интерес' };
    await db.calls.add(call);
    await addNote(db, { callId: call.id }, 'Просит КП', now - WRAP_UP_GRACE_MS, { unique: 'n1' });
    const fixtureNotes = fake.state.notes.length;
    const common = () => fake.state.notes.slice(fixtureNotes).filter((note) => note.note_type === 'common');
    const first = await service({ over: losingAnswerOf('addNote') }).drain();
    expect(first.pending).toBe(1);
    expect(common()).toHaveLength(1);

    restartWorker();
    now = first.nextAttemptAt!;
    await service().drain();

    expect(common()).toHaveLength(1);
    expect(await db.calls.get(call.id)).toMatchObject({ crmState: 'synced', crmSteps: ['call', 'note'] });
  });

  it('a worker stop after amoCRM accepted a follow-up note: found after the restart; a later edit is a new note', async () => {
    rules = { ...rules, answeredNote: false };
    const call = { ...answeredCall('c1', IVAN, now - WRAP_UP_GRACE_MS - 1), disposition: 'Интерес' };
    await db.calls.add(call);
    await addNote(db, { callId: call.id }, 'Первый разговор', now - WRAP_UP_GRACE_MS, { unique: 'n1' });
    const fixtureNotes = fake.state.notes.length;
    await service().drain();
    const [note] = await db.notes.where('callId').equals(call.id).toArray();
    const common = () => fake.state.notes.slice(fixtureNotes).filter((candidate) => candidate.note_type === 'common');

    await db.notes.update(note!.id, { text: 'Просит КП' });
    await requeueChangedWrapUp(db, call.id, now);
    now += FOLLOW_UP_SETTLE_MS;
    const first = await service({ over: losingAnswerOf('addNote') }).drain();
    expect(common()).toHaveLength(1);
    restartWorker();
    now = Math.max(now, first.nextAttemptAt ?? now);
    await service().drain();
    expect(common()).toHaveLength(1);
    expect((await db.calls.get(call.id))?.crmAttempted).toBeUndefined();

    await db.notes.update(note!.id, { text: 'Просит КП до пятницы' });
    await requeueChangedWrapUp(db, call.id, now);
    now += FOLLOW_UP_SETTLE_MS;
    await service().drain();
    expect(common().map((candidate) => String(candidate.params.text).split('\n').at(-1))).toEqual([
      'Note: Просит КП',
      'Note: Просит КП до пятницы',
    ]);
  });

  it('the adapter completes a task in amoCRM with PATCH is_completed and a result', async () => {
    const call = missedCall('m1', IVAN, now);
    await db.calls.add(call);
    await openCallbackTasks(db, [call], 15 * MINUTE, now);
    await service().drain();
    const id = String(fake.state.tasks[0]!.id);
    await adapter.completeTask!(id, 'Перезвонили');
    expect(fake.state.tasks[0]).toMatchObject({ is_completed: true, result: { text: 'Перезвонили' } });
  });
});

describe('Callbacks closed here complete their amoCRM task', () => {
  it('a callback closed after its CRM task was created is completed in amoCRM once, across a worker restart', async () => {
    const fake = await startFakeAmoCrm();
    const deps = freshIndexedDb();
    let db = new AppDb('test-history', deps);
    const now = T0 + 3_600_000;
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: { type: 'token', token: 'long-lived-token' }, region: 'RU' });
    const service = () =>
      createCrmOutboxService({
        db,
        adapter: async () => adapter,
        connectionKey: async () => 'amocrm',
        pause: { getValue: async () => null, setValue: async () => undefined },
        scheduleWake: async () => undefined,
        clock: () => now,
        rules: async () => DEFAULT_AFTER_CALL_SETTINGS,
      });
    try {
      const call = callRow({ callId: 'm1', numberKey: IVAN, startedAt: now - 20_000, endedAt: now, crmState: 'pending' });
      await db.calls.add(call);
      const [local] = await openCallbackTasks(db, [call], 15 * MINUTE, now);
      await service().drain();
      expect((await db.tasks.get(local!.id))?.crmTaskId).toBe(String(fake.state.tasks[0]!.id));

      // The agent calls Ivan back and it connects: the local callback closes; the worker restarts.
      await closeCallbackTasks(db, { numberKey: IVAN }, 'callback', now + MINUTE);
      db.close();
      db = new AppDb('test-history', deps);
      await service().drain();
      await service().drain();

      const patches = fake.requestsTo('/api/v4/tasks/', 'PATCH');
      expect(patches).toHaveLength(1);
      expect(fake.state.tasks[0]).toMatchObject({ is_completed: true, result: { text: 'Called back from the softphone' } });
      expect((await db.tasks.get(local!.id))?.crmCompletedAt).toBe(now);
      console.log(`[after-call] callback connected → ${patches.length} PATCH ${patches[0]!.path}`);
    } finally {
      db.close();
      await fake.close();
    }
  });
});
