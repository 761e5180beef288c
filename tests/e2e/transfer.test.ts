import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd, FarEndStats } from './harness/far-end.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { PhoneRig, pollUntil, sleep } from './support/phone-rig.ts';

/** The caller the agent transfers, and the colleague it is transferred to (SIP.js far ends). */
const CALLER = '1002';
const TARGET = '1003';
/** A little over half a second of Opus in each direction. */
const AUDIO_BYTES = 4000;

/**
 * Blind and attended ("ask first") transfer through Kamailio, with the caller and the target as
 * real SIP.js phones: the caller follows the REFER, the target accepts an INVITE with Replaces, and
 * the audio between them is measured in their own RTP counters.
 */
describe('call transfer', () => {
  let rig: PhoneRig;
  let panel: SidePanelPage;
  let caller: FarEnd;
  let target: FarEnd;

  beforeAll(async () => {
    rig = await PhoneRig.start();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    caller = await rig.openFarEnd(CALLER);
    target = await rig.openFarEnd(TARGET);
    await caller.autoAnswer(true);
    await target.autoAnswer(true);
  });

  afterAll(async () => {
    await rig?.close();
  });

  /** The agent calls the caller, who answers by itself; returns the call's id. */
  async function callCaller(): Promise<string> {
    await panel.dial(CALLER);
    const callId = await panel.waitForCall('established', 'outbound');
    await caller.waitForState('established');
    return callId;
  }

  /** How a call of the agent ended, as the engine says (its recent calls). */
  async function engineEndReason(callId: string): Promise<string | undefined> {
    const offscreen = await rig.offscreen();
    const read = () =>
      offscreen.evaluate((id) => {
        const engine = (globalThis as unknown as { phoneEngine: { snapshot(): { recent: { id: string; endReason?: string }[] } } })
          .phoneEngine;
        return engine.snapshot().recent.find((call) => call.id === id)?.endReason;
      }, callId);
    return pollUntil(read, (reason) => reason !== undefined);
  }

  /** Waits until both far ends sent and received audio on their current call; returns the figures. */
  async function audioBetweenCallerAndTarget(): Promise<string> {
    const enough = (s: FarEndStats) => s.bytesSent > AUDIO_BYTES && s.bytesReceived > AUDIO_BYTES;
    const a = await pollUntil(() => caller.stats(), enough);
    const b = await pollUntil(() => target.stats(), enough);
    expect(a.bytesSent).toBeGreaterThan(AUDIO_BYTES);
    expect(a.bytesReceived).toBeGreaterThan(AUDIO_BYTES);
    expect(b.bytesSent).toBeGreaterThan(AUDIO_BYTES);
    expect(b.bytesReceived).toBeGreaterThan(AUDIO_BYTES);
    return `${CALLER} sent ${a.bytesSent} B / received ${a.bytesReceived} B; ${TARGET} sent ${b.bytesSent} B / received ${b.bytesReceived} B`;
  }

  /** Ends whatever the far ends still have, so the next test starts clean. */
  async function hangUpFarEnds(): Promise<void> {
    await caller.hangup();
    await target.hangup();
    await pollUntil(async () => [await caller.state(), await target.state()], (states) =>
      states.every((state) => state === 'terminated' || state === 'idle'),
    );
    await panel.waitForNoCalls();
  }

  it('blind transfer: the caller follows the REFER to 1003, the two talk with audio both ways, and the agent’s call ends as transferred', async () => {
    const callId = await callCaller();
    try {
      await panel.blindTransfer(callId, TARGET);
      await target.waitForState('established');
      // The caller's phone now talks to the target in a new session.
      await pollUntil(
        async () => (await caller.events()).some((line) => line.includes('session refer Established')),
        (found) => found,
      );
      expect(await engineEndReason(callId)).toBe('transferred');
      const refer = await caller.lastRefer();
      expect(refer).toMatch(new RegExp(`^Refer-To: <?sip:${TARGET}@`, 'm'));
      console.log(`[blind transfer] agent's call ended transferred; ${await audioBetweenCallerAndTarget()}`);
      await panel.waitForNoCalls();
    } finally {
      await hangUpFarEnds();
    }
  });

  it('blind transfer refused with 405: the card says why in words and the call with the caller goes on', async () => {
    await caller.refuseRefer(405);
    const callId = await callCaller();
    try {
      await panel.blindTransfer(callId, TARGET);
      const text = await panel.waitForTransfer(callId, 'failed', true);
      console.log(`[blind transfer refused] card: "${text}"`);
      expect(text).toBe('The transfer to 1003 was refused — Not allowed by the other side. The call goes on.');
      expect(await panel.waitForCall('established', 'outbound')).toBe(callId);
      expect(await caller.state()).toBe('established');
      expect(await target.state()).not.toBe('established');
      const before = (await caller.stats()).bytesReceived;
      await sleep(2000);
      const after = (await caller.stats()).bytesReceived;
      console.log(`[blind transfer refused] caller still received ${after - before} B from the agent in 2 s`);
      expect(after - before).toBeGreaterThan(AUDIO_BYTES);
      await panel.hangup(callId);
      expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    } finally {
      await caller.refuseRefer(0);
      await hangUpFarEnds();
    }
  });

  it('attended transfer, complete: the caller is held, 1003 answers the consult call, REFER with Replaces connects 1002 and 1003 with audio, and both agent calls end as transferred', async () => {
    const callId = await callCaller();
    try {
      await panel.askFirst(callId, TARGET);
      await panel.waitForHeld(callId, true);
      const consultId = await panel.waitForConsultCall('established');
      await target.waitForState('established');
      expect(await panel.waitForTransfer(callId, 'consulting')).toContain('1003');

      await panel.completeTransfer(callId);
      expect(await engineEndReason(callId)).toBe('transferred');
      expect(await engineEndReason(consultId)).toBe('transferred');
      await panel.waitForNoCalls();
      // The target's phone got the caller's INVITE naming the consult dialog (RFC 3891).
      expect(await target.lastInvite()).toMatch(/^Replaces: /m);
      expect(await caller.lastRefer()).toMatch(/^Refer-To: .*\?Replaces=/m);
      await pollUntil(
        async () => (await target.events()).some((line) => line.includes('session replaces Established')),
        (found) => found,
      );
      console.log(`[attended transfer] both agent calls ended transferred; ${await audioBetweenCallerAndTarget()}`);
    } finally {
      await hangUpFarEnds();
    }
  });

  it('attended transfer, cancel: the consult call is hung up, the caller is resumed and audio flows again', async () => {
    const callId = await callCaller();
    try {
      await panel.askFirst(callId, TARGET);
      await panel.waitForHeld(callId, true);
      const consultId = await panel.waitForConsultCall('established');
      await target.waitForState('established');
      await sleep(500);
      const heldBefore = (await caller.stats()).bytesSent;
      await sleep(2000);
      const sentWhileHeld = (await caller.stats()).bytesSent - heldBefore;

      await panel.cancelTransfer(callId);
      await target.waitForState('terminated');
      expect(await engineEndReason(consultId)).toBe('local-hangup');
      await panel.waitForHeld(callId, false);
      await sleep(500);
      const resumedBefore = (await caller.stats()).bytesSent;
      await sleep(2000);
      const sentAfterResume = (await caller.stats()).bytesSent - resumedBefore;
      console.log(
        `[attended transfer cancelled] caller sent ${sentWhileHeld} B in 2 s on hold, ${sentAfterResume} B in 2 s after resume`,
      );
      expect(sentWhileHeld).toBe(0);
      expect(sentAfterResume).toBeGreaterThan(AUDIO_BYTES);
      expect(await panel.waitForCall('established', 'outbound')).toBe(callId);
      await panel.hangup(callId);
      expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    } finally {
      await hangUpFarEnds();
    }
  });
});
