import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaresip, type BaresipUa } from '../harness/baresip.ts';
import { flowOf, type FarEnd } from '../harness/far-end.ts';
import {
  dtmfEventKey,
  startDtmfLogListener,
  startRtpengine,
  type DtmfLogListener,
  type RtpengineServer,
} from '../harness/rtpengine.ts';
import type { SidePanelPage } from '../pages/side-panel-page.ts';
import { AGENT, pollUntil, sleep } from '../support/phone-rig.ts';
import { FirefoxPhoneRig } from '../support/firefox-phone-rig.ts';

/** Two customers' SIP.js softphones (in Chromium) and a desk phone (baresip, plain RTP through rtpengine). */
const CUSTOMER = '1002';
const COLLEAGUE = '1003';
const DESK_PHONE = '1004';
/** A little over half a second of Opus. */
const AUDIO_BYTES = 4000;

/**
 * The call controls of the Chrome suite, on the Firefox build (engine in the MV2 background page):
 * hold and resume, mute, the keypad (RFC 4733 and SIP INFO), blind and attended transfer, and a
 * second line with swap. Each is judged where a user would notice it: in the far ends' SDP, RTP
 * counters and received audio energy, in the REFER and Replaces they get, and in the digits
 * rtpengine relays.
 */
describe('Firefox: call controls', () => {
  let dtmfLog: DtmfLogListener | undefined;
  let rtpengine: RtpengineServer | undefined;
  let deskPhone: BaresipUa | undefined;
  let rig: FirefoxPhoneRig | undefined;
  let panel: SidePanelPage;
  let customer: FarEnd;
  let colleague: FarEnd;

  beforeAll(async () => {
    dtmfLog = await startDtmfLogListener();
    rtpengine = await startRtpengine({ dtmfLogPort: dtmfLog.port });
    rig = await FirefoxPhoneRig.start({ kamailio: { rtpengine } });
    deskPhone = await startBaresip({ registrar: rig.kamailio, user: DESK_PHONE, password: `pw${DESK_PHONE}` });
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered', 20_000);
    customer = await rig.openFarEnd(CUSTOMER);
    colleague = await rig.openFarEnd(COLLEAGUE);
  });

  afterAll(async () => {
    await deskPhone?.stop();
    await rig?.close();
    await rtpengine?.stop();
    await dtmfLog?.close();
  });

  function started(): { rig: FirefoxPhoneRig; deskPhone: BaresipUa; dtmfLog: DtmfLogListener } {
    if (!rig || !deskPhone || !dtmfLog) throw new Error('the servers did not start');
    return { rig, deskPhone, dtmfLog };
  }

  /** The agent calls `farEnd` (`number`), which answers by itself; returns the call's id once both sides talk. */
  async function callAnswered(farEnd: FarEnd, number: string): Promise<string> {
    await farEnd.autoAnswer(true);
    await panel.dial(number);
    const callId = await panel.waitForCall('established', 'outbound');
    await farEnd.waitForState('established');
    return callId;
  }

  /** Ends whatever the far ends still have, so the next test starts clean. */
  async function hangUpFarEnds(): Promise<void> {
    for (const farEnd of [customer, colleague]) {
      await farEnd.hangup();
      await farEnd.autoAnswer(false);
    }
    await pollUntil(async () => [await customer.state(), await colleague.state()], (states) =>
      states.every((state) => state === 'terminated' || state === 'idle'),
    );
    await panel.waitForNoCalls();
  }

  it('hold: the customer sees sendonly in our offer and sends nothing; after resume audio flows both ways again', async () => {
    const callId = await callAnswered(customer, CUSTOMER);
    try {
      const talking = await flowOf(customer);
      await panel.toggleHold(callId);
      await panel.waitForHeld(callId, true);
      expect(await pollUntil(() => panel.holdNotice(callId), (text) => text === 'On hold')).toBe('On hold');
      const held = await customer.sdp();
      expect(held.remote).toMatch(/^a=sendonly\r?$/m);
      expect(held.local).toMatch(/^a=(recvonly|inactive)\r?$/m);
      await sleep(500);
      const onHold = await flowOf(customer);

      await panel.toggleHold(callId);
      await panel.waitForHeld(callId, false);
      expect((await customer.sdp()).remote).toMatch(/^a=sendrecv\r?$/m);
      await sleep(500);
      const resumed = await flowOf(customer);
      console.log(
        `[firefox hold] customer sent ${talking.sent} B talking, ${onHold.sent} B on hold, ${resumed.sent} B after resume; ` +
          `received ${resumed.received} B after resume (2 s each)`,
      );
      expect(talking.sent).toBeGreaterThan(AUDIO_BYTES);
      expect(onHold.sent).toBe(0);
      expect(resumed.sent).toBeGreaterThan(AUDIO_BYTES);
      expect(resumed.received).toBeGreaterThan(AUDIO_BYTES);
      expect(await panel.holdNotice(callId)).toBe('');
      await panel.hangup(callId);
      expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    } finally {
      await hangUpFarEnds();
    }
  });

  it("mute: the customer hears silence from the agent's microphone, and the tone again after unmute", async () => {
    const callId = await callAnswered(customer, CUSTOMER);
    try {
      const talking = await flowOf(customer);
      await panel.mute(callId);
      await sleep(500);
      const muted = await flowOf(customer);
      await panel.mute(callId);
      await sleep(500);
      const unmuted = await flowOf(customer);
      console.log(
        `[firefox mute] customer heard energy ${talking.energy.toFixed(4)} talking, ${muted.energy.toFixed(6)} muted ` +
          `(${muted.received} B still arriving), ${unmuted.energy.toFixed(4)} after unmute (2 s each)`,
      );
      // The fake microphone sends a steady tone: muted, the track sends silence, not nothing.
      expect(talking.energy).toBeGreaterThan(0.01);
      expect(muted.energy).toBeLessThan(talking.energy / 100);
      expect(unmuted.energy).toBeGreaterThan(0.01);
      await panel.hangup(callId);
      expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    } finally {
      await hangUpFarEnds();
    }
  });

  it('keypad, RFC 4733: 1234# pressed and typed reach a desk phone in order as telephone-events in the RTP', async () => {
    const { rig, deskPhone, dtmfLog } = started();
    expect(await pollUntil(() => rig.engineDtmfMethod(), (method) => method === 'rfc4733')).toBe('rfc4733');
    const since = deskPhone.events().length;
    const reported = dtmfLog.events().length;
    await panel.dial(DESK_PHONE);
    const callId = await panel.waitForCall('established', 'outbound');
    try {
      await deskPhone.waitForEvent('CALL_RTPESTAB', 5000, since);
      await panel.pressDtmf(callId, '12');
      await panel.typeDtmf('34#');
      const sentLine = await panel.waitForDtmfSent(callId, '1234#');
      const events = (await pollUntil(async () => dtmfLog.events().slice(reported), (list) => list.length >= 5)).slice(0, 5);
      const keys = events.map((event) => dtmfEventKey(event.event)).join('');
      console.log(
        `[firefox dtmf rfc4733] card: "${sentLine}"; rtpengine relayed "${keys}" (durations ${events.map((event) => event.duration).join('/')} ms)`,
      );
      expect(keys).toBe('1234#');
    } finally {
      await panel.hangup(callId);
      expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
      await panel.waitForNoCalls();
    }
    await deskPhone.waitForEvent('CALL_CLOSED', 5000, since);
  });

  it('keypad, SIP INFO: 1234# reach the customer in order as application/dtmf-relay INFOs', async () => {
    const { rig } = started();
    const settings = rig.agentSettings() as { accounts: Record<string, unknown>[] };
    settings.accounts[0]!.dtmfMethod = 'info';
    await rig.configureAgent(AGENT.password, settings);
    expect(await pollUntil(() => rig.engineDtmfMethod(), (method) => method === 'info')).toBe('info');
    await panel.waitForRegistration('registered', 20_000);
    const callId = await callAnswered(customer, CUSTOMER);
    try {
      await panel.pressDtmf(callId, '12');
      await panel.typeDtmf('34#');
      const sentLine = await panel.waitForDtmfSent(callId, '1234#');
      const received = await customer.waitForInfoDtmf(5);
      const signals = received.map((digit) => digit.signal).join('');
      console.log(`[firefox dtmf info] card: "${sentLine}"; customer got INFO signals "${signals}"`);
      expect(signals).toBe('1234#');
      expect(received.every((digit) => digit.contentType === 'application/dtmf-relay')).toBe(true);
      await panel.hangup(callId);
      expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    } finally {
      await hangUpFarEnds();
      await rig.configureAgent();
      await pollUntil(() => rig.engineDtmfMethod(), (method) => method === 'rfc4733');
      await panel.waitForRegistration('registered', 20_000);
    }
  });

  it('blind transfer: the customer follows the REFER to 1003, the two talk both ways, and the agent’s call ends as transferred', async () => {
    const { rig } = started();
    await colleague.autoAnswer(true);
    const callId = await callAnswered(customer, CUSTOMER);
    try {
      await panel.blindTransfer(callId, COLLEAGUE);
      await colleague.waitForState('established');
      await pollUntil(
        async () => (await customer.events()).some((line) => line.includes('session refer Established')),
        (found) => found,
      );
      expect(await pollUntil(() => rig.engineEndReason(callId), (reason) => reason !== undefined)).toBe('transferred');
      expect(await customer.lastRefer()).toMatch(new RegExp(`^Refer-To: <?sip:${COLLEAGUE}@`, 'm'));
      const [a, b] = await Promise.all([flowOf(customer), flowOf(colleague)]);
      console.log(
        `[firefox blind transfer] ${CUSTOMER} sent ${a.sent} B / received ${a.received} B, ${COLLEAGUE} sent ${b.sent} B / received ${b.received} B (2 s)`,
      );
      expect(Math.min(a.sent, a.received, b.sent, b.received)).toBeGreaterThan(AUDIO_BYTES);
      await panel.waitForNoCalls();
    } finally {
      await hangUpFarEnds();
    }
  });

  it('attended transfer: the customer is held while 1003 answers the consult call, Replaces joins them, both agent calls end as transferred', async () => {
    const { rig } = started();
    await colleague.autoAnswer(true);
    const callId = await callAnswered(customer, CUSTOMER);
    try {
      await panel.askFirst(callId, COLLEAGUE);
      await panel.waitForHeld(callId, true);
      const consultId = await panel.waitForConsultCall('established');
      await colleague.waitForState('established');
      expect(await panel.waitForTransfer(callId, 'consulting')).toContain(COLLEAGUE);

      await panel.completeTransfer(callId);
      expect(await pollUntil(() => rig.engineEndReason(callId), (reason) => reason !== undefined)).toBe('transferred');
      expect(await pollUntil(() => rig.engineEndReason(consultId), (reason) => reason !== undefined)).toBe('transferred');
      await panel.waitForNoCalls();
      expect(await colleague.lastInvite()).toMatch(/^Replaces: /m);
      expect(await customer.lastRefer()).toMatch(/^Refer-To: .*\?Replaces=/m);
      await pollUntil(
        async () => (await colleague.events()).some((line) => line.includes('session replaces Established')),
        (found) => found,
      );
      const [a, b] = await Promise.all([flowOf(customer), flowOf(colleague)]);
      console.log(
        `[firefox attended transfer] ${CUSTOMER} sent ${a.sent} B / received ${a.received} B, ${COLLEAGUE} sent ${b.sent} B / received ${b.received} B (2 s)`,
      );
      expect(Math.min(a.sent, a.received, b.sent, b.received)).toBeGreaterThan(AUDIO_BYTES);
    } finally {
      await hangUpFarEnds();
    }
  });

  it('second line: a waiting call beeps, answering holds the first, swap flips them, and each talks only while active', async () => {
    const { rig } = started();
    const a = await callAnswered(customer, CUSTOMER);
    try {
      await panel.waitForLine(a, 'active');
      await colleague.call(AGENT.user);
      const b = await panel.waitForCall('incoming', 'inbound');
      await panel.waitForLine(b, 'waiting');
      expect(await pollUntil(() => rig.engineTone(), (tone) => tone === 'call-waiting')).toBe('call-waiting');
      expect(await rig.badgeText()).toBe('RING');

      await panel.answer(b);
      await panel.waitForLine(a, 'held');
      await panel.waitForLine(b, 'active');
      await colleague.waitForState('established');
      expect((await customer.sdp()).remote).toMatch(/^a=sendonly\r?$/m);
      expect(await pollUntil(() => rig.engineTone(), (tone) => tone === 'none')).toBe('none');
      await sleep(500);
      const [firstHeld, secondTalking] = await Promise.all([flowOf(customer), flowOf(colleague)]);

      await panel.swap();
      await panel.waitForLine(b, 'held');
      await panel.waitForLine(a, 'active');
      expect((await colleague.sdp()).remote).toMatch(/^a=sendonly\r?$/m);
      expect((await customer.sdp()).remote).toMatch(/^a=sendrecv\r?$/m);
      await sleep(500);
      const [firstBack, secondHeld] = await Promise.all([flowOf(customer), flowOf(colleague)]);
      console.log(
        `[firefox second line] answered ${COLLEAGUE}: ${CUSTOMER} (held) sent ${firstHeld.sent} B, ${COLLEAGUE} sent ${secondTalking.sent} B / received ${secondTalking.received} B; ` +
          `swapped: ${CUSTOMER} sent ${firstBack.sent} B / received ${firstBack.received} B, ${COLLEAGUE} (held) sent ${secondHeld.sent} B (2 s each)`,
      );
      expect(firstHeld.sent).toBe(0);
      expect(Math.min(secondTalking.sent, secondTalking.received)).toBeGreaterThan(AUDIO_BYTES);
      expect(secondHeld.sent).toBe(0);
      expect(Math.min(firstBack.sent, firstBack.received)).toBeGreaterThan(AUDIO_BYTES);

      await panel.hangup(a);
      await panel.waitForEndedReason(a);
      expect(await panel.cardLines()).toEqual([[b, 'held']]);
      await panel.hangup(b);
      await panel.waitForNoCalls();
      const rows = await Promise.all([a, b].map((id) => pollUntil(() => rig.callRecord(id), (row) => row?.outcome !== undefined)));
      expect(rows.map((row) => [row?.direction, row?.outcome])).toEqual([
        ['outbound', 'answered'],
        ['inbound', 'answered'],
      ]);
    } finally {
      await hangUpFarEnds();
    }
  });

  it('3-way conference: merge mixes each call with the other one’s voice, mute silences only the agent, split gives back plain calls', async () => {
    const { rig } = started();
    const a = await callAnswered(customer, CUSTOMER);
    try {
      await colleague.call(AGENT.user);
      const b = await panel.waitForCall('incoming', 'inbound');
      await panel.answer(b);
      await panel.waitForLine(a, 'held');
      await panel.waitForLine(b, 'active');
      await colleague.waitForState('established');

      await panel.merge();
      await panel.waitForLine(a, 'conference');
      await panel.waitForLine(b, 'conference');
      const wiring = await pollUntil(() => rig.conferenceWiring(), (value) => value?.members.every((m) => m.onLine) === true);
      expect(wiring?.members).toEqual([
        { callId: b, sends: ['microphone', `remote:${a}`], onLine: true },
        { callId: a, sends: ['microphone', `remote:${b}`], onLine: true },
      ]);
      await sleep(500);
      const [firstMixed, secondMixed] = await Promise.all([flowOf(customer, 3000), flowOf(colleague, 3000)]);

      // Muted: each far end still hears the other one, through the mix in the background page.
      await panel.mute(a);
      await pollUntil(() => rig.conferenceWiring(), (value) => value?.muted === true);
      await sleep(500);
      const [firstMuted, secondMuted] = await Promise.all([flowOf(customer, 3000), flowOf(colleague, 3000)]);

      await panel.split(a);
      await panel.waitForLine(a, 'active');
      await panel.waitForLine(b, 'held');
      expect(await rig.conferenceWiring()).toBeNull();
      await sleep(500);
      const [firstAlone, secondHeld] = await Promise.all([flowOf(customer, 3000), flowOf(colleague)]);
      console.log(
        `[firefox conference] received by ${CUSTOMER}: energy ${firstMixed.energy.toFixed(4)} (agent + ${COLLEAGUE}), ` +
          `${firstMuted.energy.toFixed(4)} (${COLLEAGUE} only, agent muted), ${firstAlone.energy.toFixed(6)} after split (agent muted); ` +
          `by ${COLLEAGUE}: ${secondMixed.energy.toFixed(4)} / ${secondMuted.energy.toFixed(4)}; ${COLLEAGUE} held sent ${secondHeld.sent} B (3 s each)`,
      );
      expect(Math.min(firstMixed.received, firstMuted.received, secondMuted.received)).toBeGreaterThan(6000);
      expect(firstMuted.energy).toBeGreaterThan(0.001);
      expect(secondMuted.energy).toBeGreaterThan(0.001);
      expect(firstAlone.energy).toBeLessThan(firstMuted.energy / 10);
      expect(secondHeld.sent).toBe(0);

      await panel.mute(a);
      await panel.hangup(b);
      await panel.hangup(a);
      await panel.waitForNoCalls();
    } finally {
      await hangUpFarEnds();
    }
  });
});
