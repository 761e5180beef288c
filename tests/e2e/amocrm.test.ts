import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fakes/amocrm-server.ts';
import { startAmoCrmOverTls, type AmoCrmOverTls } from './harness/amocrm-over-tls.ts';
import type { FarEnd } from './harness/far-end.ts';
import { DEFAULT_USERS } from './harness/kamailio.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { AGENT, PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

/** Иван Иванов of the fake account: contact of ООО «Вектор», with an open lead in Переговоры. */
const IVAN = '+79161234567';
/** A number the fake account does not know. */
const STRANGER = '+74951112233';

/** The `POST /api/v4/calls` (or inbox) items the fake received with `uniq`, and what it answered. */
function postsWithUniq(requests: RecordedRequest[], uniq: string): RecordedRequest[] {
  return requests.filter((request) => {
    const [item] = (request.body as Array<Record<string, unknown>> | undefined) ?? [];
    const metadata = item?.metadata as Record<string, unknown> | undefined;
    return item?.uniq === uniq || metadata?.uniq === uniq;
  });
}

/** The history id of engine call `callId`: what the outbox sends to amoCRM as the call's `uniq`. */
async function historyIdOf(rig: PhoneRig, callId: string): Promise<string> {
  const row = await pollUntil(
    () => rig.callRecord(callId),
    (record) => record !== undefined,
  );
  return String(row?.id);
}

function firstItem(request: RecordedRequest | undefined): Record<string, unknown> {
  return ((request?.body as Array<Record<string, unknown>> | undefined) ?? [])[0] ?? {};
}

/**
 * The extension against amoCRM end to end: the real adapter in the service worker calls
 * `https://test.amocrm.ru`, which Chromium resolves (test-only flags) to the fake amoCRM account
 * served over TLS on loopback. Иван Иванов calls: his card (company, open lead and its stage) pops
 * before the agent answers; every call lands in amoCRM once, with its direction, duration, status and
 * the agent's note (sent when the agent presses Done on the wrap-up) — even when amoCRM is unreachable
 * during and after the call and the worker is stopped meanwhile; his missed calls open one callback
 * task for the lead's responsible user, which the agent's callback completes; a stranger's call goes
 * to the Unsorted inbox.
 */
describe('amoCRM end to end', () => {
  let amo: AmoCrmOverTls;
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let ivan: FarEnd;
  let stranger: FarEnd;

  beforeAll(async () => {
    amo = await startAmoCrmOverTls();
    rig = await PhoneRig.start({
      grantOrigins: ['https://*.amocrm.ru/*'],
      chromiumArgs: amo.chromiumArgs,
      settings: { crm: amo.crmSettings },
      kamailio: {
        users: [...DEFAULT_USERS, { user: IVAN, password: `pw${IVAN}` }, { user: STRANGER, password: `pw${STRANGER}` }],
      },
    });
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    ivan = await rig.openFarEnd(IVAN);
    stranger = await rig.openFarEnd(STRANGER);
  });

  afterAll(async () => {
    await rig?.close();
    await amo?.close();
  });

  it('Иван calls: before answering, the panel shows his name, company and open lead with its stage (INVITE→card timed)', async () => {
    await panel.page.bringToFront();
    await panel.watchCallerCard();
    const calledAt = Date.now();
    await ivan.call(AGENT.user);
    const callId = await panel.waitForCall('incoming', 'inbound');
    const inviteAt = await panel.inviteReceivedAt(callId);
    await panel.waitForCallerName(callId, 'Иван Иванов');
    const { paintedAt } = await panel.screenPopTimes();
    const caller = await panel.waitForCaller(callId);
    const deals = await panel.callerDeals(callId);
    console.log(
      `[amocrm] cold cache: INVITE at engine→card painted ${paintedAt - inviteAt} ms; far end call()→card ${paintedAt - calledAt} ms`,
    );
    expect(caller).toEqual({ status: 'known', name: 'Иван Иванов', company: 'ООО «Вектор»' });
    // The won lead is closed: only the open one is shown.
    expect(deals).toEqual(['Поставка оборудования — Продажи · Переговоры']);
    expect(await panel.callStateText(callId)).not.toBe('');
    // The lookup reached the fake over TLS, from the service worker.
    const lookups = amo.fake.requestsTo('/api/v4/contacts', 'GET');
    console.log(`[amocrm] lookups seen by the fake: ${lookups.map((r) => `${r.path}?${r.query} → ${r.status}`).join('; ')}`);
    expect(lookups.some((r) => r.query.get('query') === IVAN.slice(1) && r.status === 200)).toBe(true);
    await ivan.cancel();
    await panel.waitForNoCalls();
  });

  it('with the panel closed, the ringing notification names Иван, his company and the open lead with its stage', async () => {
    await panel.close();
    await rig.recordNotificationTexts();
    await ivan.waitForState('terminated');
    await ivan.call(AGENT.user);
    const texts = await pollUntil(
      () => rig.notificationTexts(),
      (list) => list.some((text) => text.includes('Переговоры')),
    );
    console.log(`[amocrm] notification: ${JSON.stringify(texts.at(-1))}`);
    expect(texts.at(-1)).toContain('Иван Иванов, ООО «Вектор»');
    expect(texts.at(-1)).toContain('Поставка оборудования — Продажи · Переговоры');
    await ivan.cancel();
    await pollUntil(
      () => rig.notificationIds(),
      (ids) => !ids.some((id) => id.startsWith('incoming:')),
    );
    // Both calls Иван gave up on were missed: one callback, so one task in amoCRM, on the record the
    // calls were placed on (his only open lead), for that record's responsible user, due in 15 minutes.
    const missedCalls = await pollUntil(
      async () => amo.fake.requestsTo('/api/v4/calls', 'POST').filter((r) => r.status === 200 && firstItem(r).call_status === 3),
      (list) => list.length >= 2,
      20_000,
    );
    const tasks = await pollUntil(
      async () => amo.fake.requestsTo('/api/v4/tasks', 'POST').filter((r) => r.status === 200),
      (list) => list.length > 0,
      20_000,
    );
    const task = firstItem(tasks[0]);
    console.log(`[amocrm] missed calls logged: ${missedCalls.length}; callback task: ${JSON.stringify(task)}`);
    expect(tasks).toHaveLength(1);
    expect(amo.fake.state.tasks).toHaveLength(1);
    expect(task).toMatchObject({ task_type_id: 1, entity_type: 'leads', entity_id: 9001, responsible_user_id: 501 });
    expect(String(task.text)).toContain('Иван Иванов');
    const lastMissedAt = Math.max(...missedCalls.map((r) => Number(firstItem(r).created_at) + Number(firstItem(r).duration)));
    expect(Math.abs(Number(task.complete_till) - (lastMissedAt + 15 * 60))).toBeLessThanOrEqual(120);
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
  });

  it('after hang-up amoCRM holds the answered inbound call with its duration, status, note and disposition', async () => {
    const before = new Set(amo.fake.requestsTo('/api/v4/calls', 'POST').map((r) => firstItem(r).uniq));
    await ivan.waitForState('terminated');
    await panel.page.bringToFront();
    await panel.watchCallerCard();
    const calledAt = Date.now();
    await ivan.call(AGENT.user);
    const callId = await panel.waitForCall('incoming', 'inbound');
    const inviteAt = await panel.inviteReceivedAt(callId);
    const { paintedAt } = await panel.screenPopTimes();
    console.log(
      `[amocrm] warm cache: INVITE at engine→card painted ${paintedAt - inviteAt} ms; far end call()→card ${paintedAt - calledAt} ms`,
    );
    await panel.answer(callId);
    await ivan.waitForState('established');
    const talkFrom = Date.now();
    await panel.typeCallNote(callId, 'Wants the invoice resent');
    await panel.chooseDisposition(callId, 'resolved');
    await panel.waitForNoteStatus(callId, 'saved');
    await sleep(3000);
    await panel.hangup(callId);
    await ivan.waitForState('terminated');
    const talkSeconds = (Date.now() - talkFrom) / 1000;
    const uniq = await historyIdOf(rig, callId);
    // The call waits out its wrap-up (the note may still change) until the agent presses Done.
    await sleep(1500);
    expect(postsWithUniq(amo.fake.requestsTo('/api/v4/calls', 'POST'), uniq)).toHaveLength(0);
    await panel.finishWrapUp(callId);
    const posts = await pollUntil(
      async () => postsWithUniq(amo.fake.requestsTo('/api/v4/calls', 'POST'), uniq),
      (list) => list.some((r) => r.status === 200),
      20_000,
    );
    const item = firstItem(posts.find((r) => r.status === 200));
    console.log(`[amocrm] inbound call logged: ${JSON.stringify(item)}; talk time measured outside ${talkSeconds.toFixed(1)} s`);
    expect(before.has(uniq)).toBe(false);
    expect(posts).toHaveLength(1);
    expect(item.direction).toBe('inbound');
    expect(item.phone).toBe(IVAN);
    expect(item.call_status).toBe(4);
    expect(Math.abs(Number(item.duration) - talkSeconds)).toBeLessThanOrEqual(1);
    // The disposition in words (the agent's language), not its stored code.
    expect(item.call_result).toBe('Resolved — Wants the invoice resent');
    expect(amo.fake.state.calls.filter((call) => call.uniq === item.uniq)).toHaveLength(1);
    // After-call rule "answered call → note": the disposition and the note, once, on the same record.
    const notes = await pollUntil(
      async () => amo.fake.state.notes.filter((note) => String(note.params?.text ?? '').includes('Wants the invoice resent')),
      (list) => list.length > 0,
      20_000,
    );
    console.log(`[amocrm] answered-call note: ${JSON.stringify(notes[0])}`);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      entity: 'leads',
      entity_id: 9001,
      note_type: 'common',
      params: { text: 'Call result: Resolved\nNote: Wants the invoice resent' },
    });
  });

  it('an outgoing call to Иван is logged once as outbound with its duration', async () => {
    const before = new Set(amo.fake.requestsTo('/api/v4/calls', 'POST').map((r) => firstItem(r).uniq));
    await panel.dial(IVAN);
    await ivan.waitForState('ringing-in');
    const callId = await panel.waitForCall('ringing', 'outbound');
    await ivan.answer();
    await panel.waitForCall('established', 'outbound');
    const talkFrom = Date.now();
    await sleep(2000);
    await panel.hangup(callId);
    await ivan.waitForState('terminated');
    const talkSeconds = (Date.now() - talkFrom) / 1000;
    const uniq = await historyIdOf(rig, callId);
    await panel.finishWrapUp(callId);
    const posts = await pollUntil(
      async () => postsWithUniq(amo.fake.requestsTo('/api/v4/calls', 'POST'), uniq),
      (list) => list.some((r) => r.status === 200),
      20_000,
    );
    const item = firstItem(posts.find((r) => r.status === 200));
    console.log(`[amocrm] outbound call logged: ${JSON.stringify(item)}; talk time measured outside ${talkSeconds.toFixed(1)} s`);
    expect(before.has(uniq)).toBe(false);
    expect(posts).toHaveLength(1);
    expect(item.direction).toBe('outbound');
    expect(item.phone).toBe(IVAN);
    expect(item.call_status).toBe(4);
    expect(Math.abs(Number(item.duration) - talkSeconds)).toBeLessThanOrEqual(1);
    // This call answered Иван's missed calls: the callback is closed, and so is its task in amoCRM, once.
    const completions = await pollUntil(
      async () => amo.fake.requestsTo('/api/v4/tasks', 'PATCH').filter((r) => r.status === 200),
      (list) => list.length > 0,
      20_000,
    );
    console.log(`[amocrm] callback task completed: ${JSON.stringify(completions.map((r) => r.body))}`);
    expect(completions).toHaveLength(1);
    expect(amo.fake.state.tasks[0]).toMatchObject({ is_completed: true });
  });

  it('amoCRM unreachable during and after a call, worker stopped meanwhile: the call arrives exactly once when it is back', async () => {
    const before = new Set(amo.fake.requestsTo('/api/v4/calls', 'POST').map((r) => firstItem(r).uniq));
    await ivan.waitForState('terminated');
    await ivan.call(AGENT.user);
    const callId = await panel.waitForCall('incoming', 'inbound');
    await panel.answer(callId);
    await ivan.waitForState('established');
    // Connection refused from now on.
    await amo.fake.goDown();
    await sleep(1000);
    await panel.hangup(callId);
    await ivan.waitForState('terminated');
    const uniq = await historyIdOf(rig, callId);
    await panel.finishWrapUp(callId);
    await panel.openHistory();
    // After Done the call is no longer in its wrap-up: the line says the send failed and when it is tried again.
    const pending = await panel.waitForOutboxText('1 call not yet logged to amoCRM — retrying in');
    console.log(`[amocrm] while amoCRM is down: "${pending}"`);

    await rig.stopServiceWorker();
    await pollUntil(async () => rig.serviceWorkerRunning(), (running) => !running, 5000);
    // Back, but answering 503 for a while: the outbox must keep the call and try again.
    amo.fake.failWith(503);
    await amo.fake.comeBack();
    expect(before.has(uniq)).toBe(false);
    const refused = await pollUntil(
      async () => postsWithUniq(amo.fake.requestsTo('/api/v4/calls', 'POST'), uniq),
      (list) => list.length > 0,
      60_000,
    );
    console.log(`[amocrm] attempts answered while failing: ${refused.map((r) => r.status).join(', ')}`);
    expect(refused.every((r) => r.status === 503)).toBe(true);
    amo.fake.failWith(undefined);

    const cleared = await panel.waitForOutboxText('', 90_000);
    const attempts = postsWithUniq(amo.fake.requestsTo('/api/v4/calls', 'POST'), uniq);
    console.log(
      `[amocrm] after recovery: outbox line "${cleared}", attempts for ${uniq}: ${attempts.map((r) => r.status).join(', ')}`,
    );
    expect(attempts.filter((r) => r.status === 200)).toHaveLength(1);
    expect(amo.fake.state.calls.filter((call) => call.uniq === uniq)).toHaveLength(1);

    // Nothing twice: a later worker start drains again and sends nothing more.
    await rig.stopServiceWorker();
    await pollUntil(async () => rig.serviceWorkerRunning(), (running) => !running, 5000);
    const reopened = await rig.openPanel();
    await reopened.waitForRegistration('registered');
    await reopened.openHistory();
    expect(await reopened.waitForOutboxText('')).toBe('');
    await reopened.close();
    expect(postsWithUniq(amo.fake.requestsTo('/api/v4/calls', 'POST'), uniq).filter((r) => r.status === 200)).toHaveLength(1);
    expect(amo.fake.state.calls.filter((call) => call.uniq === uniq)).toHaveLength(1);
  });

  it("a stranger's call goes to amoCRM's Unsorted inbox, once", async () => {
    await panel.page.bringToFront();
    await stranger.call(AGENT.user);
    const callId = await panel.waitForCall('incoming', 'inbound');
    expect((await panel.waitForCaller(callId)).status).toBe('unknown');
    await panel.answer(callId);
    await stranger.waitForState('established');
    await sleep(1000);
    await panel.hangup(callId);
    await stranger.waitForState('terminated');
    await panel.finishWrapUp(callId);
    const inbox = await pollUntil(
      async () => amo.fake.requestsTo('/api/v4/leads/unsorted/sip', 'POST').filter((r) => r.status === 200),
      (list) => list.length > 0,
      20_000,
    );
    const item = firstItem(inbox[0]);
    console.log(`[amocrm] unsorted entry: ${JSON.stringify(item)}`);
    expect(inbox).toHaveLength(1);
    expect((item.metadata as Record<string, unknown>).from).toBe(STRANGER);
    // The line that was called: the agent's own SIP user.
    expect((item.metadata as Record<string, unknown>).phone).toBe(AGENT.user);
    expect(amo.fake.state.unsorted).toHaveLength(1);
    await panel.openHistory();
    expect(await panel.waitForOutboxText('')).toBe('');
  });
});
