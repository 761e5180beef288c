import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from '../harness/far-end.ts';
import type { SidePanelPage } from '../pages/side-panel-page.ts';
import { AGENT, pollUntil, sleep } from '../support/phone-rig.ts';
import { FirefoxPhoneRig, rmsOf } from '../support/firefox-phone-rig.ts';

/**
 * The Firefox build (MV2, the engine in its background page) in Firefox ESR over WebDriver BiDi:
 * registration and calls with a customer's SIP.js softphone (1002, in Chromium) through Kamailio
 * with digest authentication, real WebRTC audio both ways.
 */
describe('Firefox: registration and calls through Kamailio', () => {
  let rig: FirefoxPhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;

  beforeAll(async () => {
    rig = await FirefoxPhoneRig.start({ agentPassword: 'wrong-password' });
    panel = await rig.openPanel();
  });

  afterAll(async () => {
    await rig?.close();
  });

  /**
   * Waits until audio has been heard on both ends (RTP bytes and a received level above silence);
   * returns the figures for the report.
   */
  async function expectAudioBothWays(callId: string): Promise<string> {
    const agent = await pollUntil(
      () => rig.engineStats(callId),
      (s) => s.bytesReceived > 4000 && s.bytesSent > 4000 && s.rms > 0.001,
    );
    const far = await pollUntil(
      () => customer.stats(),
      (s) => s.bytesReceived > 4000 && s.bytesSent > 4000 && rmsOf(s) > 0.001,
    );
    expect(agent.bytesSent).toBeGreaterThan(4000);
    expect(agent.bytesReceived).toBeGreaterThan(4000);
    expect(far.bytesSent).toBeGreaterThan(4000);
    expect(far.bytesReceived).toBeGreaterThan(4000);
    // Both fake microphones send a tone: silence would be an RMS of 0.
    expect(agent.rms).toBeGreaterThan(0.001);
    expect(rmsOf(far)).toBeGreaterThan(0.001);
    return (
      `agent (Firefox) sent ${agent.bytesSent} B / received ${agent.bytesReceived} B, ` +
      `received RMS ${agent.rms.toFixed(4)} over ${(agent.audioSeconds ?? 0).toFixed(1)} s; ` +
      `customer (Chromium) sent ${far.bytesSent} B / received ${far.bytesReceived} B, ` +
      `received RMS ${rmsOf(far).toFixed(4)} over ${(far.audioSeconds ?? 0).toFixed(1)} s`
    );
  }

  /** After a call ended: no call in the engine, the mirror or the panel, and the badge back to ON. */
  async function expectIdleEverywhere(): Promise<void> {
    await panel.waitForNoCalls();
    expect(await pollUntil(() => rig.engineCalls(), (calls) => calls.length === 0)).toEqual([]);
    expect(await pollUntil(() => rig.mirroredCalls(), (calls) => calls.length === 0)).toEqual([]);
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'ON')).toBe('ON');
  }

  it('a wrong password is reported in words, with the badge showing the failure, and the server is not hammered', async () => {
    await panel.waitForRegistration('failed', 20_000);
    const words = await panel.failureText();
    console.log(`[firefox registration] wrong password: "${words}"`);
    expect(words).toMatch(/user name or password/i);
    expect(await pollUntil(() => rig.badgeText(), (text) => text === '!')).toBe('!');
    await sleep(3000);
    // The challenge and one answer with the wrong digest: no retry loop against the server.
    expect(rig.kamailio.registerCount(AGENT.user)).toBe(2);
  });

  it('with the right password saved, the add-on registers by itself; the panel and the badge say so', async () => {
    const before = rig.kamailio.registerCount(AGENT.user);
    const savedAt = Date.now();
    await rig.configureAgent();
    await panel.waitForRegistration('registered', 20_000);
    console.log(`[firefox registration] registered ${Date.now() - savedAt} ms after the settings were saved`);
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'ON')).toBe('ON');
    // The engine in the background page reads the microphone as allowed: no warning in the panel.
    expect(await panel.page.$('[data-testid="mic-warning"]')).toBeNull();
    // One challenge round: 401, then the REGISTER with the digest.
    expect(rig.kamailio.registerCount(AGENT.user) - before).toBe(2);
    customer = await rig.openFarEnd('1002');
  });

  it('the agent dials 1002, the customer answers, audio flows both ways, the agent hangs up: panel, badge and history agree', async () => {
    await panel.dial('1002');
    const callId = await panel.waitForCall('ringing', 'outbound');
    await customer.waitForState('ringing-in');
    expect(await customer.lastInvite()).toMatch(/^From: "Agent" <sip:1001@demo\.local>/im);
    await customer.answer();
    await panel.waitForCall('established', 'outbound');
    await customer.waitForState('established');
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'CALL')).toBe('CALL');
    console.log(`[firefox outbound] ${await expectAudioBothWays(callId)}`);

    await panel.hangup(callId);
    await customer.waitForState('terminated');
    expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    await expectIdleEverywhere();
    const row = await pollUntil(() => rig.callRecord(callId), (r) => r?.state === 'ended');
    expect(row).toMatchObject({ direction: 'outbound', state: 'ended', outcome: 'answered', hangupBy: 'local' });
    expect(await panel.historyOutcome(callId)).toBe('answered');
    await panel.showPhone();
  });

  it('the customer hangs up an outbound call: the panel says so, and nothing is left in the engine or the badge', async () => {
    await panel.dial('1002');
    await customer.waitForState('ringing-in');
    await customer.answer();
    const callId = await panel.waitForCall('established', 'outbound');
    await customer.hangup();
    expect(await panel.waitForEndedReason(callId)).toBe('remote-hangup');
    await expectIdleEverywhere();
    const row = await pollUntil(() => rig.callRecord(callId), (r) => r?.state === 'ended');
    expect(row).toMatchObject({ direction: 'outbound', outcome: 'answered', hangupBy: 'remote' });
  });

  it('the customer calls, the panel and the badge ring, the agent answers, audio flows both ways, the customer hangs up', async () => {
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    expect(await panel.callText(callId, 'call-remote')).toContain('1002');
    expect(await pollUntil(() => rig.badgeText(), (text) => text === 'RING')).toBe('RING');
    await panel.answer(callId);
    await panel.waitForCall('established', 'inbound');
    await customer.waitForState('established');
    console.log(`[firefox inbound] ${await expectAudioBothWays(callId)}`);
    await customer.hangup();
    expect(await panel.waitForEndedReason(callId)).toBe('remote-hangup');
    await expectIdleEverywhere();
    const row = await pollUntil(() => rig.callRecord(callId), (r) => r?.state === 'ended');
    expect(row).toMatchObject({ direction: 'inbound', outcome: 'answered', hangupBy: 'remote' });
  });

  it('the agent hangs up an answered inbound call: the customer is released and the history says who ended it', async () => {
    await customer.call('1001');
    const callId = await panel.waitForCall('incoming', 'inbound');
    await panel.answer(callId);
    await panel.waitForCall('established', 'inbound');
    await customer.waitForState('established');
    await panel.hangup(callId);
    await customer.waitForState('terminated');
    expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    await expectIdleEverywhere();
    const row = await pollUntil(() => rig.callRecord(callId), (r) => r?.state === 'ended');
    expect(row).toMatchObject({ direction: 'inbound', outcome: 'answered', hangupBy: 'local' });
  });
});
