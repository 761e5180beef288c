import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

/** Hold and resume with a real SIP.js far end through Kamailio, checked in its SDP and its RTP counters. */
describe('hold and resume', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;

  beforeAll(async () => {
    rig = await PhoneRig.start();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd('1002');
    await customer.autoAnswer(true);
  });

  afterAll(async () => {
    await rig?.close();
  });

  /** How many bytes the customer sends over `ms` (its outbound RTP counter). */
  async function customerSends(ms: number): Promise<number> {
    const before = (await customer.stats()).bytesSent;
    await sleep(ms);
    return (await customer.stats()).bytesSent - before;
  }

  it('hold is seen as sendonly in the far end SDP, its audio stops, and audio flows again after resume', async () => {
    await panel.dial('1002');
    const callId = await panel.waitForCall('established', 'outbound');
    await customer.waitForState('established');
    const talking = await customerSends(2000);

    await panel.toggleHold(callId);
    await panel.waitForHeld(callId, true);
    await pollUntil(() => panel.holdNotice(callId), (text) => text === 'On hold');
    const held = await customer.sdp();
    // Our offer (the far end's remote description) holds; its answer agrees not to send.
    expect(held.remote).toMatch(/^a=sendonly\r?$/m);
    expect(held.local).toMatch(/^a=(recvonly|inactive)\r?$/m);
    // Let the RTP that was in flight drain, then measure a quiet stretch.
    await sleep(500);
    const onHold = await customerSends(2000);

    await panel.toggleHold(callId);
    await panel.waitForHeld(callId, false);
    const resumed = await customer.sdp();
    expect(resumed.remote).toMatch(/^a=sendrecv\r?$/m);
    await sleep(500);
    const afterResume = await customerSends(2000);
    console.log(`[hold] customer sent ${talking} B talking, ${onHold} B on hold, ${afterResume} B after resume (2 s each)`);
    expect(talking).toBeGreaterThan(4000);
    expect(onHold).toBe(0);
    expect(afterResume).toBeGreaterThan(4000);
    expect(await panel.holdNotice(callId)).toBe('');

    await panel.hangup(callId);
    await panel.waitForEndedReason(callId);
  });

  it('the far end holding the agent is shown on the card until it resumes', async () => {
    await panel.dial('1002');
    const callId = await panel.waitForCall('established', 'outbound');
    await customer.waitForState('established');
    await customer.hold(true);
    await pollUntil(() => panel.holdNotice(callId), (text) => text === 'The other side put the call on hold');
    expect(await panel.holdNotice(callId)).toBe('The other side put the call on hold');
    await customer.hold(false);
    await pollUntil(() => panel.holdNotice(callId), (text) => text === '');
    expect(await panel.holdNotice(callId)).toBe('');
    await panel.hangup(callId);
    await panel.waitForEndedReason(callId);
  });
});
