import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

/**
 * Calls between the agent's extension (1001) and a customer's plain SIP.js softphone (1002), through
 * Kamailio with digest authentication, with real WebRTC audio in both directions.
 */
describe('calls through Kamailio', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;

  beforeAll(async () => {
    rig = await PhoneRig.start();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd('1002');
  });

  afterAll(async () => {
    await rig?.close();
  });

  /** Waits until RTP has flowed both ways on both ends; returns the figures for the report. */
  async function expectAudioBothWays(callId: string): Promise<string> {
    const agent = await pollUntil(
      () => rig.engineStats(callId),
      (s) => s.bytesReceived > 4000 && s.bytesSent > 4000,
    );
    const far = await pollUntil(
      () => customer.stats(),
      (s) => s.bytesReceived > 4000 && s.bytesSent > 4000,
    );
    expect(agent.bytesSent).toBeGreaterThan(4000);
    expect(agent.bytesReceived).toBeGreaterThan(4000);
    expect(far.bytesSent).toBeGreaterThan(4000);
    expect(far.bytesReceived).toBeGreaterThan(4000);
    return `agent sent ${agent.bytesSent} B / received ${agent.bytesReceived} B; customer sent ${far.bytesSent} B / received ${far.bytesReceived} B`;
  }

  it('the agent dials 1002 from the panel, the customer answers, audio flows both ways, the agent hangs up', async () => {
    await panel.dial('1002');
    const callId = await panel.waitForCall('ringing', 'outbound');
    await customer.waitForState('ringing-in');
    await customer.answer();
    await panel.waitForCall('established', 'outbound');
    await customer.waitForState('established');
    console.log(`[outbound] ${await expectAudioBothWays(callId)}`);
    await panel.hangup(callId);
    await customer.waitForState('terminated');
    expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    await panel.waitForNoCalls();
  });

  it('the customer hangs up an outbound call and the panel says so', async () => {
    await panel.dial('1002');
    await customer.waitForState('ringing-in');
    await customer.answer();
    const callId = await panel.waitForCall('established', 'outbound');
    await customer.hangup();
    expect(await panel.waitForEndedReason(callId)).toBe('remote-hangup');
    await panel.waitForNoCalls();
  });

  it('the customer calls, the panel rings, the agent answers, audio flows both ways, the customer hangs up', async () => {
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    expect(await panel.callText(callId, 'call-remote')).toContain('1002');
    await panel.answer(callId);
    await panel.waitForCall('established', 'inbound');
    await customer.waitForState('established');
    console.log(`[inbound] ${await expectAudioBothWays(callId)}`);
    await customer.hangup();
    expect(await panel.waitForEndedReason(callId)).toBe('remote-hangup');
    await panel.waitForNoCalls();
  });

  it('the agent declines a call and the customer hears busy (486)', async () => {
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    await panel.decline(callId);
    await customer.waitForState('terminated');
    expect((await customer.events()).join('\n')).toMatch(/\b486\b/);
    expect(await panel.waitForEndedReason(callId)).toBe('declined');
    await panel.waitForNoCalls();
  });

  it('the customer gives up before the agent answers: a missed call', async () => {
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    await customer.cancel();
    expect(await panel.waitForEndedReason(callId)).toBe('caller-cancelled');
    await panel.waitForNoCalls();
  });

  it('the agent cancels an outbound call while it rings', async () => {
    await panel.dial('1002');
    const callId = await panel.waitForCall('ringing', 'outbound');
    await customer.waitForState('ringing-in');
    await panel.hangup(callId);
    await customer.waitForState('terminated');
    expect(await panel.waitForEndedReason(callId)).toBe('cancelled');
  });

  it('a call that rings while no panel is open raises a notification with Answer/Decline, cleared when it stops ringing', async () => {
    await panel.close();
    await customer.call('1001');
    const ids = await pollUntil(
      () => rig.notificationIds(),
      (list) => list.some((id) => id.startsWith('incoming:')),
    );
    expect(ids.filter((id) => id.startsWith('incoming:'))).toHaveLength(1);
    expect(await rig.badgeText()).toBe('RING');
    await customer.cancel();
    const after = await pollUntil(
      () => rig.notificationIds(),
      (list) => !list.some((id) => id.startsWith('incoming:')),
    );
    expect(after.filter((id) => id.startsWith('incoming:'))).toHaveLength(0);
    panel = await rig.openPanel();
  });

  it('the service worker is stopped mid-call: the call goes on, and a re-opened panel shows it and can hang it up', async () => {
    await panel.dial('1002');
    await customer.waitForState('ringing-in');
    await customer.answer();
    const callId = await panel.waitForCall('established', 'outbound');
    await panel.close();

    await rig.stopServiceWorker();
    await pollUntil(async () => rig.serviceWorkerRunning(), (running) => !running, 5000);
    expect(rig.serviceWorkerRunning()).toBe(false);

    const before = await customer.stats();
    await sleep(2000);
    const after = await customer.stats();
    console.log(
      `[worker stopped] customer received ${after.bytesReceived - before.bytesReceived} B in 2 s with the worker stopped`,
    );
    expect(after.bytesReceived - before.bytesReceived).toBeGreaterThan(4000);
    expect(await customer.state()).toBe('established');

    panel = await rig.openPanel();
    expect(await panel.waitForCall('established', 'outbound')).toBe(callId);
    await panel.hangup(callId);
    await customer.waitForState('terminated');
    expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
  });

  it('mute is reflected in the panel and the engine', async () => {
    await panel.dial('1002');
    await customer.waitForState('ringing-in');
    await customer.answer();
    const callId = await panel.waitForCall('established', 'outbound');
    await panel.mute(callId);
    await panel.page.waitForSelector(`[data-testid="call-${callId}"] [data-testid="call-mute"][aria-pressed="true"]`);
    const offscreen = await rig.offscreen();
    const enabled = await offscreen.evaluate((id) => {
      const engine = (globalThis as unknown as { phoneEngine: { liveCall(id: string): { peerConnection(): RTCPeerConnection | undefined } | undefined } }).phoneEngine;
      return engine.liveCall(id)?.peerConnection()?.getSenders().map((s) => s.track?.enabled);
    }, callId);
    expect(enabled).toEqual([false]);
    await panel.hangup(callId);
    await customer.waitForState('terminated');
  });
});
