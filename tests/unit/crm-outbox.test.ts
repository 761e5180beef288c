import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CrmOutboxPause } from '@/lib/background/crm-outbox-pause';
import { createCrmOutboxService, type CrmOutboxService, type CrmOutboxPauseStore } from '@/lib/background/crm-outbox-service';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import type { CrmAdapter } from '@/lib/crm/crm-adapter';
import { createLocalCrmAdapter } from '@/lib/crm/local/local-crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import { addNote } from '@/lib/history/call-notes';
import {
  callLogOf,
  crmCallStatus,
  OUTBOX_BASE_DELAY_MS,
  OUTBOX_MAX_DELAY_MS,
  outboxDelayMs,
  pendingCrmWrites,
} from '@/lib/history/crm-outbox';
import { startFakeAmoCrm, type FakeAmoCrm, type RecordedRequest } from '../fakes/amocrm-server';
import { callRow, freshIndexedDb, openTestDb, T0 } from '../fixtures/db/test-db';

const IVAN = '+79161234567';
const OFFICE = '+74957654321';
const STRANGER = '+74991112233';

/** The account of the test rows (`callRow`), whose SIP user is line 101. */
const LINE_ACCOUNT = 'acc-1';

describe('CRM outbox rules', () => {
  it.each([
    [1, 0, OUTBOX_BASE_DELAY_MS / 2],
    [1, 0.999_999, OUTBOX_BASE_DELAY_MS],
    [2, 0, OUTBOX_BASE_DELAY_MS],
    [3, 0.5, OUTBOX_BASE_DELAY_MS * 3],
    [30, 0, OUTBOX_MAX_DELAY_MS / 2],
    [30, 0.999_999, OUTBOX_MAX_DELAY_MS],
  ])('attempt %i with random %f waits %i ms (capped exponential, equal jitter)', (attempts, random, expected) => {
    expect(outboxDelayMs(attempts, () => random)).toBe(expected);
  });

  it("the CRM's Retry-After wins when it is longer than the backoff", () => {
    expect(outboxDelayMs(1, () => 0, 60_000)).toBe(60_000);
    expect(outboxDelayMs(1, () => 0, 100)).toBe(OUTBOX_BASE_DELAY_MS / 2);
  });

  it.each([
    ['answered', undefined, 'answered'],
    ['missed', undefined, 'missed'],
    ['declined', undefined, 'no-answer'],
    ['busy', undefined, 'busy'],
    ['failed', undefined, 'failed'],
    ['cancelled', undefined, 'no-answer'],
    ['interrupted', T0, 'answered'],
    ['interrupted', undefined, 'failed'],
  ] as const)('outcome %s (answered at %s) is logged as %s', (outcome, answeredAt, status) => {
    expect(crmCallStatus({ outcome, answeredAt })).toBe(status);
  });

  it('a call row becomes the write: history id as the key, E.164 number, talk time in seconds, note and disposition', () => {
    const row = callRow({ callId: 'c1', startedAt: T0, numberKey: IVAN, answeredAt: T0 + 5_000, endedAt: T0 + 88_400 });
    expect(callLogOf({ ...row, disposition: 'Интерес' }, 'Перезвонить в пятницу')).toEqual({
      callId: row.id,
      direction: 'inbound',
      phone: IVAN,
      startedAt: T0,
      durationSec: 83,
      status: 'answered',
      note: 'Перезвонить в пятницу',
      disposition: 'Интерес',
    });
  });

  it('only finished pending calls are owed, oldest first', async () => {
    const db = openTestDb();
    await db.calls.bulkAdd([
      callRow({ callId: 'b', startedAt: T0 + 2, numberKey: IVAN, crmState: 'pending' }),
      callRow({ callId: 'a', startedAt: T0 + 1, numberKey: IVAN, crmState: 'pending' }),
      callRow({ callId: 'live', startedAt: T0 + 3, numberKey: IVAN, crmState: 'pending', outcome: undefined }),
      callRow({ callId: 'done', startedAt: T0, numberKey: IVAN, crmState: 'synced' }),
    ]);
    expect((await pendingCrmWrites(db)).map((call) => call.callId)).toEqual(['a', 'b']);
  });
});

/** A pause store that outlives the services made over it, as `local:` storage outlives the worker. */
function memoryPause(): CrmOutboxPauseStore & { value: CrmOutboxPause | null } {
  const store = {
    value: null as CrmOutboxPause | null,
    getValue: async () => store.value,
    setValue: async (value: CrmOutboxPause | null) => {
      store.value = value;
    },
  };
  return store;
}

/** The successful `POST /api/v4/calls` requests, as the `uniq` of each call they carried. */
function loggedUniqs(fake: FakeAmoCrm): string[] {
  return fake
    .requestsTo('/api/v4/calls', 'POST')
    .filter((request) => request.status === 200)
    .flatMap((request: RecordedRequest) => (request.body as Array<{ uniq: string }>).map((item) => item.uniq));
}

describe('CrmOutboxService against the fake amoCRM account', () => {
  let fake: FakeAmoCrm;
  let deps: ReturnType<typeof freshIndexedDb>;
  let db: AppDb;
  let now: number;
  let adapter: CrmAdapter;
  let connection: string;
  let pause: ReturnType<typeof memoryPause>;
  let wakes: Array<number | undefined>;

  const service = (database: AppDb = db, over: () => CrmAdapter = () => adapter): CrmOutboxService =>
    createCrmOutboxService({
      db: database,
      adapter: async () => over(),
      connectionKey: async () => connection,
      pause,
      scheduleWake: async (at) => {
        wakes.push(at);
      },
      clock: () => now,
      random: () => 0.5,
      lineOf: async (accountId) => (accountId === LINE_ACCOUNT ? '101' : undefined),
    });

  const finished = (callId: string, numberKey: string, offset: number, answered = true) =>
    callRow({
      callId,
      numberKey,
      startedAt: T0 + offset,
      ...(answered ? { answeredAt: T0 + offset + 3_000 } : {}),
      endedAt: T0 + offset + 63_000,
      crmState: 'pending',
    });

  beforeEach(async () => {
    fake = await startFakeAmoCrm();
    deps = freshIndexedDb();
    db = openTestDb(deps);
    now = T0 + 3_600_000;
    adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: { type: 'token', token: 'long-lived-token' }, region: 'RU' });
    connection = 'amocrm:long-lived-token';
    pause = memoryPause();
    wakes = [];
  });

  afterEach(async () => {
    db.close();
    await fake.close();
  });

  it('three finished calls are logged once each, with direction, duration, status and the agent note', async () => {
    const first = finished('c1', IVAN, 0);
    const second = { ...finished('c2', OFFICE, 100_000, false), direction: 'outbound' as const, outcome: 'busy' as const };
    const third = { ...finished('c3', IVAN, 200_000), disposition: 'Интерес' };
    await db.calls.bulkAdd([first, second, third]);
    await addNote(db, { callId: third.id }, 'Перезвонить в пятницу', T0 + 300_000, { unique: 'n1' });

    const status = await service().drain();

    expect(status).toMatchObject({ crm: 'amocrm', pending: 0 });
    expect(loggedUniqs(fake)).toEqual([first.id, second.id, third.id]);
    expect(fake.state.calls.map(({ direction, duration, call_status, call_result, phone }) => ({ direction, duration, call_status, call_result, phone }))).toEqual([
      { direction: 'inbound', duration: 60, call_status: 4, call_result: undefined, phone: IVAN },
      { direction: 'outbound', duration: 0, call_status: 7, call_result: undefined, phone: OFFICE },
      { direction: 'inbound', duration: 60, call_status: 4, call_result: 'Интерес — Перезвонить в пятницу', phone: IVAN },
    ]);
    const rows = await db.calls.toArray();
    expect(rows.map((row) => row.crmState)).toEqual(['synced', 'synced', 'synced']);
    expect(rows.map((row) => row.crmExternalId)).toEqual(fake.state.calls.map((call) => String(call.id)));
    expect(rows.every((row) => row.crmSyncedAt === now)).toBe(true);
    expect(wakes.at(-1)).toBeUndefined();
    console.log(`[outbox] 3 calls → ${fake.requestsTo('/api/v4/calls').length} POST /api/v4/calls`);
  });

  it('amoCRM answers 503 for a while: the oldest call is retried with growing delays, then everything arrives exactly once', async () => {
    const calls = [finished('c1', IVAN, 0), finished('c2', OFFICE, 1_000), finished('c3', IVAN, 2_000)];
    await db.calls.bulkAdd(calls);
    fake.failWith(503);
    const outbox = service();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const status = await outbox.drain();
      expect(status.pending).toBe(3);
      expect(status.nextAttemptAt).toBeGreaterThan(now);
      expect(wakes.at(-1)).toBe(status.nextAttemptAt);
      delays.push(status.nextAttemptAt! - now);
      // Nothing is sent before the due time.
      const before = fake.requests.length;
      await outbox.drain();
      expect(fake.requests.length).toBe(before);
      now = status.nextAttemptAt!;
    }
    // Random 0.5 takes ¾ of each ceiling: 5 s, 10 s, 20 s, 40 s ceilings.
    expect(delays).toEqual([3_750, 7_500, 15_000, 30_000]);
    const head = await db.calls.get(calls[0]!.id);
    expect(head).toMatchObject({ crmState: 'pending', crmAttempts: 4 });
    expect(head?.crmError).toContain('503');
    // One request per attempt: the calls behind the failing one waited.
    expect(fake.requestsTo('/api/v4/calls').map((request) => request.status)).toEqual([503, 503, 503, 503]);

    fake.failWith(undefined);
    const status = await outbox.drain();
    expect(status.pending).toBe(0);
    expect(loggedUniqs(fake)).toEqual(calls.map((call) => call.id));
    console.log(`[outbox] 503 ×4, delays ${delays.join('/')} ms, then ${loggedUniqs(fake).length} calls logged once each`);
  });

  it('over the rate limit (429): the outbox waits out Retry-After before the next attempt', async () => {
    const call = finished('c1', IVAN, 0);
    await db.calls.add(call);
    // Seven requests in the same second fill the account's window.
    await Promise.all(
      Array.from({ length: 7 }, () => fetch(`${fake.baseUrl}/api/v4/account`, { headers: { Authorization: 'Bearer long-lived-token' } })),
    );
    const status = await service().drain();
    expect(fake.requestsTo('/api/v4/calls').map((request) => request.status)).toEqual([429]);
    expect(status.pending).toBe(1);
    expect(status.nextAttemptAt! - now).toBeGreaterThanOrEqual(1_000);
    expect((await db.calls.get(call.id))?.crmAttempts).toBe(1);
    console.log(`[outbox] 429 → next attempt in ${status.nextAttemptAt! - now} ms`);
  });

  it('401: the whole outbox pauses with the reason until the connection changes', async () => {
    await db.calls.bulkAdd([finished('c1', IVAN, 0), finished('c2', IVAN, 1_000)]);
    adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: { type: 'token', token: 'revoked' }, region: 'RU' });
    connection = 'amocrm:revoked';
    const outbox = service();

    const paused = await outbox.drain();
    expect(paused).toMatchObject({ pending: 2, paused: { kind: 'auth' } });
    expect(paused.paused?.message).toMatch(/401|Authorization/);
    expect(wakes.at(-1)).toBeUndefined();
    const sent = fake.requests.length;
    now += 3_600_000;
    expect((await outbox.drain()).paused?.kind).toBe('auth');
    expect(fake.requests.length).toBe(sent);

    // The agent reconnects in the options: a new connection lifts the pause.
    adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: { type: 'token', token: 'long-lived-token' }, region: 'RU' });
    connection = 'amocrm:long-lived-token';
    const resumed = await outbox.drain();
    expect(resumed).toEqual({ crm: 'amocrm', pending: 0 });
    expect(pause.value).toBeNull();
  });

  it('Retry now lifts a pause and sends a call waiting out its backoff at once', async () => {
    await db.calls.add(finished('c1', IVAN, 0));
    fake.failWith(500);
    const outbox = service();
    expect((await outbox.drain()).nextAttemptAt).toBeGreaterThan(now);
    fake.failWith(undefined);
    expect((await outbox.retryNow()).pending).toBe(0);
  });

  it('400: the call is failed with the reason and not retried; the next call still goes', async () => {
    const bad = finished('c1', IVAN, 0);
    const good = finished('c2', IVAN, 1_000);
    await db.calls.bulkAdd([bad, good]);
    const real = adapter;
    adapter = {
      ...real,
      kind: 'amocrm',
      logCall: (write) => real.logCall(write.callId === bad.id ? { ...write, direction: 'sideways' as 'inbound' } : write),
      createInboxEntry: (write) => real.createInboxEntry(write),
    };
    const status = await service().drain();
    expect(status.pending).toBe(0);
    expect(await db.calls.get(bad.id)).toMatchObject({ crmState: 'failed' });
    expect((await db.calls.get(bad.id))?.crmError).toContain('direction');
    expect(loggedUniqs(fake)).toEqual([good.id]);
  });

  it('the worker stops in the middle of a drain: a new service over the same database loses nothing and sends nothing twice', async () => {
    const calls = [finished('c1', IVAN, 0), finished('c2', IVAN, 1_000), finished('c3', IVAN, 2_000)];
    await db.calls.bulkAdd(calls);
    const real = adapter;
    let sent = 0;
    // The worker dies as it is about to send the second call: that request never leaves.
    const dying: CrmAdapter = {
      ...real,
      kind: 'amocrm',
      logCall: (write) => (++sent === 2 ? new Promise(() => undefined) : real.logCall(write)),
      createInboxEntry: (write) => real.createInboxEntry(write),
    };
    void service(db, () => dying).drain();
    await until(() => sent === 2);

    const restarted = openTestDb(deps);
    const status = await service(restarted).drain();
    restarted.close();

    expect(status.pending).toBe(0);
    expect(loggedUniqs(fake)).toEqual(calls.map((call) => call.id));
    console.log(`[outbox] stop after 1 of 3: restarted worker logged ${loggedUniqs(fake).length - 1} more, each uniq once`);
  });

  it('the worker stops after amoCRM accepted a call but before the result was stored: it is sent again with the same uniq', async () => {
    const call = finished('c1', IVAN, 0);
    await db.calls.add(call);
    const real = adapter;
    let accepted = false;
    const dying: CrmAdapter = {
      ...real,
      kind: 'amocrm',
      logCall: async (write) => {
        await real.logCall(write);
        accepted = true;
        return new Promise(() => undefined);
      },
      createInboxEntry: (write) => real.createInboxEntry(write),
    };
    void service(db, () => dying).drain();
    await until(() => accepted);

    const restarted = openTestDb(deps);
    expect((await service(restarted).drain()).pending).toBe(0);
    expect((await restarted.calls.get(call.id))?.crmState).toBe('synced');
    restarted.close();
    // The same uniq twice: amoCRM recognises the repeat by it.
    expect(loggedUniqs(fake)).toEqual([call.id, call.id]);
  });

  it('a number amoCRM does not know goes to the Unsorted inbox, with the call', async () => {
    const call = finished('c1', STRANGER, 0);
    await db.calls.add(call);
    expect((await service().drain()).pending).toBe(0);
    expect(fake.state.unsorted).toHaveLength(1);
    // `phone` is the line that was called: the agent's SIP user, not the softphone's name.
    expect(fake.state.unsorted[0]?.metadata).toMatchObject({ from: STRANGER, phone: '101', uniq: call.id, duration: 60 });
    expect(await db.calls.get(call.id)).toMatchObject({ crmState: 'synced', crmExternalId: fake.state.unsorted[0]?.uid });
  });

  it('no CRM connected: pending calls are skipped, history is the local log', async () => {
    await db.calls.bulkAdd([finished('c1', IVAN, 0), finished('c2', STRANGER, 1_000)]);
    const local = createLocalCrmAdapter(db, async () => 'RU');
    const status = await service(db, () => local).drain();
    expect(status).toEqual({ crm: 'local', pending: 0 });
    expect((await db.calls.toArray()).map((row) => row.crmState)).toEqual(['skipped', 'skipped']);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('CrmOutboxService without a reachable CRM, and overlapping drains', () => {
  const options = (db: AppDb, adapter: CrmAdapter, chosen: boolean) => ({
    db,
    adapter: async () => adapter,
    connectionKey: async () => 'amocrm',
    crmChosen: async () => chosen,
    pause: memoryPause(),
    scheduleWake: async () => undefined,
    clock: () => T0 + 3_600_000,
    random: () => 0.5,
  });

  it('amoCRM is chosen but its host permission was taken back: calls stay pending, the outbox says it is refused', async () => {
    const db = openTestDb();
    await db.calls.add(callRow({ callId: 'c1', startedAt: T0, numberKey: IVAN, crmState: 'pending' }));
    const status = await createCrmOutboxService(options(db, createLocalCrmAdapter(db, async () => 'RU'), true)).drain();
    expect(status).toMatchObject({ crm: 'amocrm', pending: 1, paused: { kind: 'forbidden' } });
    expect((await db.calls.toArray())[0]?.crmState).toBe('pending');
  });

  it('a call that ends while a drain runs is sent by the same drain, going round once more', async () => {
    const db = openTestDb();
    const first = callRow({ callId: 'c1', startedAt: T0, numberKey: IVAN, crmState: 'pending' });
    const second = callRow({ callId: 'c2', startedAt: T0 + 1, numberKey: IVAN, crmState: 'pending' });
    await db.calls.add(first);
    const sent: string[] = [];
    let release!: () => void;
    const adapter = {
      kind: 'amocrm',
      logCall: async (write: { callId: string }) => {
        sent.push(write.callId);
        if (sent.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return { externalId: `x-${sent.length}` };
      },
    } as unknown as CrmAdapter;
    const outbox = createCrmOutboxService(options(db, adapter, true));
    const running = outbox.drain();
    await until(() => sent.length === 1);
    await db.calls.add(second);
    const joined = outbox.drain();
    release();
    expect(await joined).toEqual({ crm: 'amocrm', pending: 0 });
    expect(await running).toEqual({ crm: 'amocrm', pending: 0 });
    expect(sent).toEqual([first.id, second.id]);
  });
});

/** Waits (without a deadline of its own: the test's timeout is the limit) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}
