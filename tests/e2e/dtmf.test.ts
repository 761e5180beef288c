import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaresip, type BaresipUa } from './harness/baresip.ts';
import type { FarEnd } from './harness/far-end.ts';
import {
  dtmfEventKey,
  startDtmfLogListener,
  startRtpengine,
  type DtmfLogListener,
  type RtpengineServer,
} from './harness/rtpengine.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { AGENT, PhoneRig, pollUntil } from './support/phone-rig.ts';

/** A desk phone: baresip, plain RTP, its media relayed by rtpengine, which reports the DTMF it relays. */
const DESK_PHONE = '1003';
/** The customer's SIP.js softphone, which records the SIP INFO digits it receives. */
const CUSTOMER = '1002';

/**
 * The in-call keypad: digits pressed on the card's keypad and typed on the keyboard reach the far
 * end in order, as RFC 4733 telephone-events in the RTP (the default) or as SIP INFO (an account
 * option); a refused INFO is reported in words while the call goes on.
 *
 * RFC 4733 is checked where the events leave the WebRTC side for the desk phone: rtpengine decodes
 * each telephone-event it relays and reports it (`--dtmf-log-dest`). baresip 1.0 is not used as
 * the judge: of the five events rtpengine relays to it, it reports only the first (one
 * CALL_DTMF_START, one "received event" line); Chrome sends telephone-event/8000 on the 48 kHz RTP
 * clock of Opus, which its receiver seems not to follow.
 */
describe('DTMF keypad', () => {
  let dtmfLog: DtmfLogListener | undefined;
  let rtpengine: RtpengineServer | undefined;
  let deskPhone: BaresipUa | undefined;
  let rig: PhoneRig | undefined;
  let panel: SidePanelPage;
  let customer: FarEnd;

  beforeAll(async () => {
    dtmfLog = await startDtmfLogListener();
    rtpengine = await startRtpengine({ dtmfLogPort: dtmfLog.port });
    rig = await PhoneRig.start({ kamailio: { rtpengine } });
    deskPhone = await startBaresip({ registrar: rig.kamailio, user: DESK_PHONE, password: `pw${DESK_PHONE}` });
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
    customer = await rig.openFarEnd(CUSTOMER);
    await customer.autoAnswer(true);
  });

  afterAll(async () => {
    await deskPhone?.stop();
    await rig?.close();
    await rtpengine?.stop();
    await dtmfLog?.close();
  });

  function started(): { rig: PhoneRig; deskPhone: BaresipUa; dtmfLog: DtmfLogListener } {
    if (!rig || !deskPhone || !dtmfLog) throw new Error('the servers did not start');
    return { rig, deskPhone, dtmfLog };
  }

  /** Sets the agent's DTMF method and waits until the engine uses it. */
  async function useDtmfMethod(method: 'rfc4733' | 'info'): Promise<void> {
    const { rig } = started();
    await rig.configureAgent(AGENT.password, { dtmfMethod: method });
    const offscreen = await rig.offscreen();
    const read = () =>
      offscreen.evaluate(
        () => (globalThis as unknown as { phoneEngine: { dtmfMethod(id: string): string } }).phoneEngine.dtmfMethod('main'),
      );
    expect(await pollUntil(read, (value) => value === method)).toBe(method);
  }

  /** Calls `number`, which answers by itself; returns the call's id. */
  async function callAnswered(number: string): Promise<string> {
    await panel.dial(number);
    return panel.waitForCall('established', 'outbound');
  }

  /** Hangs up and waits until the panel has no call (so the next test starts clean). */
  async function hangUp(callId: string): Promise<void> {
    await panel.hangup(callId);
    expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    await panel.waitForNoCalls();
  }

  it('RFC 4733: 1234# pressed on the keypad and typed on the keyboard go out in order as RTP telephone-events to a desk phone', async () => {
    const { deskPhone, dtmfLog } = started();
    await useDtmfMethod('rfc4733');
    const since = deskPhone.events().length;
    const reported = dtmfLog.events().length;
    const callId = await callAnswered(DESK_PHONE);
    try {
      await deskPhone.waitForEvent('CALL_RTPESTAB', 5000, since);
      await panel.pressDtmf(callId, '12');
      await panel.typeDtmf('34#');
      const sentLine = await panel.waitForDtmfSent(callId, '1234#');
      const events = (
        await pollUntil(
          async () => dtmfLog.events().slice(reported),
          (list) => list.length >= 5,
        )
      ).slice(0, 5);
      const keys = events.map((event) => dtmfEventKey(event.event)).join('');
      console.log(
        `[dtmf rfc4733] card: "${sentLine}"; rtpengine relayed telephone-events "${keys}" ` +
          `(durations ${events.map((event) => event.duration).join('/')} ms)`,
      );
      expect(keys).toBe('1234#');
    } finally {
      await hangUp(callId);
    }
    await deskPhone.waitForEvent('CALL_CLOSED', 5000, since);
  });

  it('SIP INFO: 1234# reach the far end in order as application/dtmf-relay INFOs', async () => {
    await useDtmfMethod('info');
    const callId = await callAnswered(CUSTOMER);
    try {
      await customer.waitForState('established');
      await panel.pressDtmf(callId, '12');
      await panel.typeDtmf('34#');
      const sentLine = await panel.waitForDtmfSent(callId, '1234#');
      const received = await customer.waitForInfoDtmf(5);
      const signals = received.map((digit) => digit.signal).join('');
      console.log(
        `[dtmf info] card: "${sentLine}"; far end got INFO signals "${signals}" ` +
          `(${received[0]?.contentType}, Duration=${received.map((digit) => digit.duration).join('/')})`,
      );
      expect(signals).toBe('1234#');
      expect(received.every((digit) => digit.contentType === 'application/dtmf-relay' && digit.duration === 160)).toBe(true);
    } finally {
      await hangUp(callId);
    }
  });

  it('SIP INFO refused with 501: the card says so in words and the call goes on', async () => {
    await useDtmfMethod('info');
    await customer.refuseInfo(501);
    const callId = await callAnswered(CUSTOMER);
    try {
      await customer.waitForState('established');
      await panel.pressDtmf(callId, '5');
      const error = await panel.waitForDtmfError(callId);
      console.log(`[dtmf info refused] card: "${error}"; far end still ${await customer.state()}`);
      expect(error).toBe('The other side did not accept the keypad tones — Not supported by the other side');
      expect(await customer.state()).toBe('established');
      expect(await panel.waitForCall('established', 'outbound')).toBe(callId);
    } finally {
      await customer.refuseInfo(0);
      await hangUp(callId);
    }
  });
});
