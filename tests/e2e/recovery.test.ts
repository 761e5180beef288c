import { afterEach, describe, expect, it } from 'vitest';
import type { FarEnd, FarEndStats } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { AGENT, PhoneRig, pollUntil, sleep, type CallFacts } from './support/phone-rig.ts';

/**
 * Recovery: the agent's connection to Kamailio breaks during a call (a cut WebSocket, a restarted
 * server, a connection that stays down), and afterwards the engine, the background's mirror, the
 * panel and the badge all tell the same story: the call is up again, or it ended with a reason.
 */
describe('recovery', () => {
  let rig: PhoneRig | undefined;

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  /** The customer (1002, connected to Kamailio directly) calls the agent, who answers; returns the call id. */
  async function establishCall(panel: SidePanelPage, customer: FarEnd): Promise<string> {
    await customer.call(AGENT.user);
    const callId = await panel.waitForCall('incoming', 'inbound');
    await panel.answer(callId);
    await panel.waitForCall('established', 'inbound');
    await customer.waitForState('established');
    return callId;
  }

  /** Audio counters of both ends, once both have received some audio. */
  async function bothEnds(callId: string, customer: FarEnd, moreThan = { agent: 4000, customer: 4000 }) {
    const agent = await pollUntil(
      () => rig!.engineStats(callId),
      (s) => s.bytesReceived > moreThan.agent,
      15_000,
    );
    const far = await pollUntil(
      () => customer.stats(),
      (s) => s.bytesReceived > moreThan.customer,
      15_000,
    );
    return { agent, customer: far };
  }

  function bytes(label: string, stats: { agent: FarEndStats; customer: FarEndStats }): string {
    return `${label}: agent received ${stats.agent.bytesReceived} B, customer received ${stats.customer.bytesReceived} B`;
  }

  /** The ICE username fragment of an SDP (it changes when ICE restarts, RFC 8839 §5.4). */
  function iceUfrag(sdp: string): string {
    return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] ?? '';
  }

  /**
   * The engine's own snapshot, the background's mirror (read by panels and the badge) and the
   * panel on screen list the same calls in the same states, and the badge matches them.
   */
  async function expectAgreement(panel: SidePanelPage, expected: CallFacts[]): Promise<void> {
    const sameAs = (facts: CallFacts[]) => JSON.stringify(facts) === JSON.stringify(expected);
    const engine = await pollUntil(() => rig!.engineCalls(), sameAs);
    const mirror = await pollUntil(() => rig!.mirroredCalls(), sameAs);
    const onScreen = await pollUntil(() => panel.calls(), sameAs);
    expect(engine).toEqual(expected);
    expect(mirror).toEqual(expected);
    expect(onScreen).toEqual(expected);
    const badge = await pollUntil(
      () => rig!.badgeText(),
      (text) => (expected.length > 0 ? text === 'CALL' : text !== 'CALL'),
    );
    if (expected.length > 0) expect(badge).toBe('CALL');
    else expect(badge).not.toBe('CALL');
  }

  it('a WebSocket cut during a call: the agent re-registers, the call survives with audio both ways, and panel, badge and engine agree', async () => {
    rig = await PhoneRig.start({ webSocketProxy: true });
    const proxy = rig.proxy!;
    const panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    const customer = await rig.openFarEnd('1002');
    const callId = await establishCall(panel, customer);
    const before = await bothEnds(callId, customer);
    const ufragBefore = iceUfrag((await customer.sdp()).remote);
    const registersBefore = rig.kamailio.registerCount(AGENT.user);

    // Cut the agent's connection and keep it down for a moment, so "Reconnecting…" can be seen.
    proxy.refuse();
    const cut = proxy.cutAll();
    const cutAt = Date.now();
    await panel.waitForReconnecting(callId, true);
    expect(await panel.callStateText(callId)).toMatch(/reconnecting/i);
    await expectAgreement(panel, [{ id: callId, state: 'established', reconnecting: true }]);

    proxy.accept();
    await panel.waitForReconnecting(callId, false, 30_000);
    await panel.waitForRegistration('registered');
    const recoveredMs = Date.now() - cutAt;
    expect(rig.kamailio.registerCount(AGENT.user)).toBeGreaterThan(registersBefore);

    // The far end got a re-INVITE whose offer restarted ICE (a new ufrag).
    const ufragAfter = iceUfrag((await customer.sdp()).remote);
    expect(ufragAfter).not.toBe('');
    expect(ufragAfter).not.toBe(ufragBefore);
    expect((await customer.events()).some((line) => line.includes('re-INVITE received'))).toBe(true);

    const after = await bothEnds(callId, customer, {
      agent: before.agent.bytesReceived + 4000,
      customer: before.customer.bytesReceived + 4000,
    });
    expect(after.agent.bytesReceived).toBeGreaterThan(before.agent.bytesReceived + 4000);
    expect(after.customer.bytesReceived).toBeGreaterThan(before.customer.bytesReceived + 4000);
    await expectAgreement(panel, [{ id: callId, state: 'established', reconnecting: false }]);
    console.log(
      `[ws cut] cut ${cut} connection(s); call restored ${recoveredMs} ms after the cut (reconnections were refused until "Reconnecting…" was on screen); ` +
        `${bytes('before', before)}; ${bytes('after', after)}; ICE ufrag ${ufragBefore} -> ${ufragAfter}; proxy accepted ${proxy.accepted}, refused ${proxy.refused}`,
    );

    // The customer can reach the agent over the new connection: its BYE ends the call here.
    await customer.hangup();
    expect(await panel.waitForEndedReason(callId)).toBe('remote-hangup');
    await expectAgreement(panel, []);
    expect(await rig.badgeText()).toBe('ON');
  });

  it('the network changes and the open WebSocket silently died: the connection check finds it, the agent reconnects, and the call survives', async () => {
    rig = await PhoneRig.start({ webSocketProxy: true });
    const proxy = rig.proxy!;
    const panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    const customer = await rig.openFarEnd('1002');
    const callId = await establishCall(panel, customer);
    const before = await bothEnds(callId, customer);
    const ufragBefore = iceUfrag((await customer.sdp()).remote);
    const acceptedBefore = proxy.accepted;

    // The connection carries nothing any more and nobody is told (no FIN, no RST), as after a
    // switch of network; then Chromium reports the change (navigator.connection "change").
    expect(proxy.blackholeAll()).toBe(1);
    const offscreen = await rig.offscreen();
    const changedAt = Date.now();
    await offscreen.evaluate(() => {
      (navigator as Navigator & { connection: EventTarget }).connection.dispatchEvent(new Event('change'));
    });
    // Its OPTIONS gets no answer within the check's 5 s: the line drops the connection and
    // connects anew; the call shows "Reconnecting…" until its re-INVITE is answered.
    await panel.waitForReconnecting(callId, true, 15_000);
    const foundMs = Date.now() - changedAt;

    await panel.waitForReconnecting(callId, false, 30_000);
    await panel.waitForRegistration('registered');
    const recoveredMs = Date.now() - changedAt;
    expect(proxy.accepted).toBeGreaterThan(acceptedBefore);
    const ufragAfter = iceUfrag((await customer.sdp()).remote);
    expect(ufragAfter).not.toBe(ufragBefore);

    const after = await bothEnds(callId, customer, {
      agent: before.agent.bytesReceived + 4000,
      customer: before.customer.bytesReceived + 4000,
    });
    await expectAgreement(panel, [{ id: callId, state: 'established', reconnecting: false }]);
    console.log(
      `[network change] dead connection found ${foundMs} ms after the change, call restored after ${recoveredMs} ms; ` +
        `${bytes('before', before)}; ${bytes('after', after)}; ICE ufrag ${ufragBefore} -> ${ufragAfter}`,
    );

    await customer.hangup();
    expect(await panel.waitForEndedReason(callId)).toBe('remote-hangup');
    await expectAgreement(panel, []);
  });

  it('Kamailio restarts during a call: the agent re-registers, the call survives while its media does, and ends as "connection lost" once the customer is gone', async () => {
    rig = await PhoneRig.start();
    const panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    const customer = await rig.openFarEnd('1002');
    const callId = await establishCall(panel, customer);
    const before = await bothEnds(callId, customer);
    const registersBefore = rig.kamailio.registerCount(AGENT.user);
    const logFrom = rig.kamailio.log().length;
    const restartedAt = Date.now();
    await rig.kamailio.restart();

    // The agent reconnects and registers again (the restarted server has an empty location table).
    await pollUntil(async () => rig!.kamailio.registerCount(AGENT.user), (n) => n >= registersBefore + 2, 20_000);
    await panel.waitForRegistration('registered');
    const reregisteredMs = Date.now() - restartedAt;
    // Then it sends its ICE-restart re-INVITE, which Kamailio cannot deliver: the customer's own
    // WebSocket died with the server, and the alias in the customer's Contact names that dead
    // connection. Kamailio answers with a server error, which (unlike 408 or 481) does not say
    // the dialog is gone, so the session stays as it was (RFC 3261 §14.1). The dialogs live in
    // the endpoints and the media flows between them without the proxy, so the call survives.
    await rig.kamailio.waitForLog(/HARNESS-BRANCH INVITE/, 20_000, logFrom);
    await rig.kamailio.waitForLog(/for WebSocket could not be found/, 10_000, logFrom);
    await panel.waitForReconnecting(callId, false);
    const after = await bothEnds(callId, customer, {
      agent: before.agent.bytesReceived + 4000,
      customer: before.customer.bytesReceived + 4000,
    });
    expect(after.agent.bytesReceived).toBeGreaterThan(before.agent.bytesReceived + 4000);
    expect(after.customer.bytesReceived).toBeGreaterThan(before.customer.bytesReceived + 4000);
    await expectAgreement(panel, [{ id: callId, state: 'established', reconnecting: false }]);

    // The customer hangs up. Its BYE cannot reach the agent (no connection of its own), so only
    // the media can tell: no audio and ICE disconnected, the one ICE restart refused, and the
    // call ends here as "connection lost" instead of staying on screen as a ghost.
    await customer.hangup().catch(() => undefined);
    const hungUpAt = Date.now();
    expect(await panel.waitForEndedReason(callId, 60_000)).toBe('connection-lost');
    const noticedMs = Date.now() - hungUpAt;
    await expectAgreement(panel, []);
    expect(await rig.badgeText()).toBe('ON');
    console.log(
      `[kamailio restart] re-registered ${reregisteredMs} ms after the restart began; call kept: ${bytes('before', before)}; ${bytes('after', after)}; ` +
        `after the customer hung up unheard, the media watchdog ended the call as connection-lost in ${noticedMs} ms`,
    );
  });

  it('the connection stays down longer than the grace period: the call ends as "connection lost" everywhere, and registration recovers once connections are accepted again', async () => {
    rig = await PhoneRig.start({ webSocketProxy: true });
    const proxy = rig.proxy!;
    const panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    const customer = await rig.openFarEnd('1002');
    const callId = await establishCall(panel, customer);

    proxy.refuse();
    proxy.cutAll();
    const cutAt = Date.now();
    await panel.waitForReconnecting(callId, true);
    expect(await panel.waitForEndedReason(callId, 40_000)).toBe('connection-lost');
    const endedMs = Date.now() - cutAt;
    await expectAgreement(panel, []);
    const badgeWhileDown = await rig.badgeText();
    expect(badgeWhileDown).toBe('!');
    const row = await pollUntil(
      () => rig!.callRecord(callId),
      (r) => r?.endReason === 'connection-lost',
    );
    expect(row).toMatchObject({ endReason: 'connection-lost', outcome: 'answered' });

    proxy.accept();
    const acceptedAt = Date.now();
    await panel.waitForRegistration('registered', 70_000);
    expect(await rig.badgeText()).toBe('ON');
    console.log(
      `[grace] call ended as connection-lost ${endedMs} ms after the cut; badge while down "${badgeWhileDown}"; ` +
        `re-registered ${Date.now() - acceptedAt} ms after connections were accepted again (backoff); refused ${proxy.refused} attempt(s) meanwhile`,
    );
    await customer.hangup().catch(() => undefined);
  });
});
