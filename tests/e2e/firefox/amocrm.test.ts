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

  beforeAll(async () => {
    amo = await startAmoCrmOverTls({ port: 443 });
    rig = await FirefoxPhoneRig.start({
      grantOrigins: ['https://*.amocrm.ru/*'],
      settings: { crm: amo.crmSettings },
      firefox: { prefs: amo.firefoxPrefs, acceptInsecureCerts: true },
      kamailio: { users: [...DEFAULT_USERS, { user: IVAN, password: `pw${IVAN}` }] },
    });
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered', 20_000);
    ivan = await rig.openFarEnd(IVAN);
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
    expect(item.call_result).toBe('Wants the invoice resent');
    expect(amo.fake.state.calls.filter((call) => call.uniq === uniq)).toHaveLength(1);
    // Nothing more arrives for it later (a second drain of the outbox sends nothing).
    await sleep(2000);
    expect(callPostsWithUniq(amo, uniq)).toHaveLength(1);
  });
});
