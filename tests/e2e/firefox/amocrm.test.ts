import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../fakes/amocrm-server.ts';
import { startAmoCrmOverTls, type AmoCrmOverTls } from '../harness/amocrm-over-tls.ts';
import type { FarEnd } from '../harness/far-end.ts';
import { DEFAULT_USERS } from '../harness/kamailio.ts';
import type { SidePanelPage } from '../pages/side-panel-page.ts';
import { FirefoxPhoneRig } from '../support/firefox-phone-rig.ts';
import { AGENT, pollUntil, sleep } from '../support/phone-rig.ts';

/** Иван Иванов of the fake account: contact of ООО «Вектор», with an open lead in Переговоры. */
const IVAN = '+79161234567';
/** A number the fake account does not know. */
const STRANGER = '+74951112233';

/** The first item of a `POST /api/v4/calls` body. */
function firstItem(request: RecordedRequest | undefined): Record<string, unknown> {
  return ((request?.body as Array<Record<string, unknown>> | undefined) ?? [])[0] ?? {};
}

/** The `POST /api/v4/calls` requests the fake received for the call with `uniq`. */
function callPostsWithUniq(amo: AmoCrmOverTls, uniq: string): RecordedRequest[] {
  return amo.fake.requestsTo('/api/v4/calls', 'POST').filter((request) => firstItem(request).uniq === uniq);
}

/**
 * The amoCRM scenarios of `tests/e2e/amocrm.test.ts` on Firefox ESR: the add-on's real amoCRM
 * adapter, in its MV2 background page, calls `https://test.amocrm.ru` as it would a real account.
 * Иван Иванов calls: his card (company, open lead and its stage) pops before the agent answers;
 * every call lands in amoCRM once, with its direction, duration, status and the agent's note (sent
 * when the agent presses Done), also when amoCRM was unreachable during and after the call; a
 * stranger's call goes to the Unsorted inbox. (Chrome's scenario of the stopped service worker has no
 * counterpart: Firefox's MV2 background page is persistent.)
 *
 * How Firefox reaches the fake account over TLS on loopback, with nothing test-only in the add-on:
 * - the name: the pref `network.dns.localDomains` = `test.amocrm.ru` makes Firefox resolve the host
 *   to loopback itself. Firefox cannot map a host to another port (Chromium's
 *   `--host-resolver-rules` can), so the fake listens on 443, which the test may bind as root in
 *   isolated.sh's own network namespace;
 * - the throwaway certificate: the WebDriver BiDi session capability `acceptInsecureCerts`. Firefox's
 *   remote agent overrides certificate errors for the whole browser, not only for pages it drives:
 *   the background page's `fetch` is accepted too (the lookups the fake answers with 200 below prove
 *   it), so no CA is installed through policies.json and the file the policy scenarios own is left alone;
 * - the access: a copy of the build with `https://*.amocrm.ru/*` granted, as after the user allowed
 *   it, and the account's host and long-lived token in the stored settings.
 */
// Without namespaces (isolated.sh could not make one) port 443 would be the machine's own loopback
// port, which a test has no business taking (nor, as another user, the right to).
describe.skipIf(process.env.HARNESS_ISOLATED === '0')('Firefox: amoCRM screen pop and call logging', () => {
  let amo: AmoCrmOverTls;
  let rig: FirefoxPhoneRig;
  let panel: SidePanelPage;
  let ivan: FarEnd;
  let stranger: FarEnd;

  beforeAll(async () => {
    amo = await startAmoCrmOverTls({ port: 443 });
    rig = await FirefoxPhoneRig.start({
      grantOrigins: ['https://*.amocrm.ru/*'],
      settings: { crm: amo.crmSettings },
      firefox: { prefs: amo.firefoxPrefs, acceptInsecureCerts: true },
      kamailio: {
        users: [...DEFAULT_USERS, { user: IVAN, password: `pw${IVAN}` }, { user: STRANGER, password: `pw${STRANGER}` }],
      },
    });
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered', 20_000);
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
      `[firefox amocrm] cold cache: INVITE at engine→card painted ${paintedAt - inviteAt} ms; far end call()→card ${paintedAt - calledAt} ms`,
    );
    expect(caller).toEqual({ status: 'known', name: 'Иван Иванов', company: 'ООО «Вектор»' });
    // The won lead is closed: only the open one is shown.
    expect(deals).toEqual(['Поставка оборудования — Продажи · Переговоры']);
    // Still ringing: the card came before the answer.
    expect(await panel.callStateText(callId)).not.toBe('');
    expect((await rig.engineCalls()).find((call) => call.id === callId)?.state).toBe('incoming');
    // The lookup reached the fake over TLS, from the background page.
    const lookups = amo.fake.requestsTo('/api/v4/contacts', 'GET');
    console.log(`[firefox amocrm] lookups seen by the fake: ${lookups.map((r) => `${r.path}?${r.query} → ${r.status}`).join('; ')}`);
    expect(lookups.some((r) => r.query.get('query') === IVAN.slice(1) && r.status === 200)).toBe(true);
    await ivan.cancel();
    await panel.waitForNoCalls();
    await ivan.waitForState('terminated');
  });

  it('after hang-up and Done, amoCRM holds the answered inbound call once, with its duration, status 4 and the note', async () => {
    await panel.page.bringToFront();
    const calledAt = Date.now();
    await panel.watchCallerCard();
    await ivan.call(AGENT.user);
    const callId = await panel.waitForCall('incoming', 'inbound');
    const inviteAt = await panel.inviteReceivedAt(callId);
    const { paintedAt } = await panel.screenPopTimes();
    console.log(
      `[firefox amocrm] warm cache: INVITE at engine→card painted ${paintedAt - inviteAt} ms; far end call()→card ${paintedAt - calledAt} ms`,
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
    const row = await pollUntil(
      () => rig.callRecord(callId),
      (record) => record !== undefined,
    );
    const uniq = String(row?.id);
    // The call waits out its wrap-up (the note may still change) until the agent presses Done.
    await sleep(1500);
    expect(callPostsWithUniq(amo, uniq)).toHaveLength(0);
    await panel.finishWrapUp(callId);
    const posts = await pollUntil(
      async () => callPostsWithUniq(amo, uniq),
      (list) => list.some((r) => r.status === 200),
      20_000,
    );
    const item = firstItem(posts.find((r) => r.status === 200));
    console.log(`[firefox amocrm] inbound call logged: ${JSON.stringify(item)}; talk time measured outside ${talkSeconds.toFixed(1)} s`);
    expect(posts).toHaveLength(1);
    expect(item.direction).toBe('inbound');
    expect(item.phone).toBe(IVAN);
    expect(item.call_status).toBe(4);
    expect(Math.abs(Number(item.duration) - talkSeconds)).toBeLessThanOrEqual(1);
    // The disposition in words (the agent's language), then the note.
    expect(item.call_result).toBe('Resolved — Wants the invoice resent');
    expect(amo.fake.state.calls.filter((call) => call.uniq === uniq)).toHaveLength(1);
    // After-call rule "answered call → note": the disposition and the note, once, on his open lead.
    const notes = await pollUntil(
      async () => amo.fake.state.notes.filter((note) => String(note.params?.text ?? '').includes('Wants the invoice resent')),
      (list) => list.length > 0,
      20_000,
    );
    console.log(`[firefox amocrm] answered-call note: ${JSON.stringify(notes[0])}`);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      entity: 'leads',
      entity_id: 9001,
      note_type: 'common',
      params: { text: 'Call result: Resolved\nNote: Wants the invoice resent' },
    });
    // Nothing more arrives for it later (a second drain of the outbox sends nothing).
    await sleep(2000);
    expect(callPostsWithUniq(amo, uniq)).toHaveLength(1);
  });

  it('an outgoing call to Иван is logged once as outbound with its duration', async () => {
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
    const row = await pollUntil(
      () => rig.callRecord(callId),
      (record) => record !== undefined,
    );
    const uniq = String(row?.id);
    await panel.finishWrapUp(callId);
    const posts = await pollUntil(
      async () => callPostsWithUniq(amo, uniq),
      (list) => list.some((r) => r.status === 200),
      20_000,
    );
    const item = firstItem(posts.find((r) => r.status === 200));
    console.log(`[firefox amocrm] outbound call logged: ${JSON.stringify(item)}; talk time measured outside ${talkSeconds.toFixed(1)} s`);
    expect(posts).toHaveLength(1);
    expect(item.direction).toBe('outbound');
    expect(item.phone).toBe(IVAN);
    expect(item.call_status).toBe(4);
    expect(Math.abs(Number(item.duration) - talkSeconds)).toBeLessThanOrEqual(1);
  });

  it('amoCRM unreachable during and after a call: the panel says the call is not yet logged, and it arrives exactly once when amoCRM is back', async () => {
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
    const row = await pollUntil(
      () => rig.callRecord(callId),
      (record) => record !== undefined,
    );
    const uniq = String(row?.id);
    await panel.finishWrapUp(callId);
    await panel.openHistory();
    // After Done the call is no longer in its wrap-up: the line says the send failed and when it is tried again.
    const pending = await panel.waitForOutboxText('1 call not yet logged to amoCRM — retrying in');
    console.log(`[firefox amocrm] while amoCRM is down: "${pending}"`);
    // Back, but answering 503 for a while: the outbox must keep the call and try again.
    amo.fake.failWith(503);
    await amo.fake.comeBack();
    const refused = await pollUntil(
      async () => callPostsWithUniq(amo, uniq),
      (list) => list.length > 0,
      60_000,
    );
    console.log(`[firefox amocrm] attempts answered while failing: ${refused.map((r) => r.status).join(', ')}`);
    expect(refused.every((r) => r.status === 503)).toBe(true);
    amo.fake.failWith(undefined);
    const backAt = Date.now();
    const cleared = await panel.waitForOutboxText('', 90_000);
    const attempts = callPostsWithUniq(amo, uniq);
    console.log(
      `[firefox amocrm] after recovery (${Date.now() - backAt} ms): outbox line "${cleared}", attempts for ${uniq}: ${attempts.map((r) => r.status).join(', ')}`,
    );
    expect(attempts.filter((r) => r.status === 200)).toHaveLength(1);
    expect(amo.fake.state.calls.filter((call) => call.uniq === uniq)).toHaveLength(1);
    await panel.showPhone();
  });

  it("a stranger's call goes to amoCRM's Unsorted inbox, once", async () => {
    await panel.page.bringToFront();
    const calledAt = Date.now();
    await stranger.call(AGENT.user);
    const callId = await panel.waitForCall('incoming', 'inbound');
    expect((await panel.waitForCaller(callId)).status).toBe('unknown');
    const unknownAt = Date.now();
    await panel.answer(callId);
    await stranger.waitForState('established');
    await sleep(1000);
    await panel.hangup(callId);
    await stranger.waitForState('terminated');
    await panel.finishWrapUp(callId);
    const doneAt = Date.now();
    const inbox = await pollUntil(
      async () => amo.fake.requestsTo('/api/v4/leads/unsorted/sip', 'POST').filter((r) => r.status === 200),
      (list) => list.length > 0,
      20_000,
    );
    const item = firstItem(inbox[0]);
    console.log(
      `[firefox amocrm] unsorted entry: ${JSON.stringify(item)}; call()→card "unknown" ${unknownAt - calledAt} ms, Done→inbox POST ${inbox[0]!.at - doneAt} ms`,
    );
    expect(inbox).toHaveLength(1);
    expect((item.metadata as Record<string, unknown>).from).toBe(STRANGER);
    expect(amo.fake.state.unsorted).toHaveLength(1);
    await panel.openHistory();
    expect(await panel.waitForOutboxText('')).toBe('');
  });
});
