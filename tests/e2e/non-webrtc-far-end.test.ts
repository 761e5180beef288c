import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaresip, type BaresipUa } from './harness/baresip.ts';
import { startRtpengine, type RtpengineServer } from './harness/rtpengine.ts';
import { startSippEchoUas, type SippUas } from './harness/sipp.ts';
import type { SidePanelPage } from './pages/side-panel-page.ts';
import { AGENT, PhoneRig, pollUntil } from './support/phone-rig.ts';

/** The PBX extension Kamailio routes to the sipp echo service (an IVR-like trunk, no registration). */
const ECHO_EXTENSION = '2000';
/** The desk phone's number: baresip registered over UDP, plain RTP, answers by itself. */
const DESK_PHONE = '1003';
/** A little over half a second of G.711 or Opus in each direction. */
const AUDIO_BYTES = 4000;

/**
 * The far end does not speak WebRTC, as with a real PBX or trunk: Kamailio anchors the call in
 * rtpengine, which terminates the extension's ICE + DTLS-SRTP and talks plain RTP to sipp (an echo
 * service) or baresip (a desk phone).
 */
describe('calls to and from phones without WebRTC, bridged by rtpengine', () => {
  let rtpengine: RtpengineServer | undefined;
  let echo: SippUas | undefined;
  let deskPhone: BaresipUa | undefined;
  let rig: PhoneRig | undefined;
  let panel: SidePanelPage;

  beforeAll(async () => {
    rtpengine = await startRtpengine();
    echo = await startSippEchoUas();
    rig = await PhoneRig.start({ kamailio: { rtpengine, staticRoutes: { [ECHO_EXTENSION]: echo.uri } } });
    deskPhone = await startBaresip({ registrar: rig.kamailio, user: DESK_PHONE, password: `pw${DESK_PHONE}` });
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered');
  });

  afterAll(async () => {
    // baresip first, while Kamailio can still answer its un-REGISTER; then the browser and Kamailio,
    // then the media servers.
    await deskPhone?.stop();
    await rig?.close();
    await echo?.stop();
    await rtpengine?.stop();
  });

  function started(): { rig: PhoneRig; echo: SippUas; deskPhone: BaresipUa } {
    if (!rig || !echo || !deskPhone) throw new Error('the servers did not start');
    return { rig, echo, deskPhone };
  }

  /** Waits until the extension's engine has sent and received real audio; returns the figures. */
  async function expectEngineAudioBothWays(callId: string): Promise<string> {
    const stats = await pollUntil(
      () => started().rig.engineStats(callId),
      (s) => s.bytesSent > AUDIO_BYTES && s.bytesReceived > AUDIO_BYTES,
    );
    expect(stats.bytesSent).toBeGreaterThan(AUDIO_BYTES);
    expect(stats.bytesReceived).toBeGreaterThan(AUDIO_BYTES);
    return `extension sent ${stats.bytesSent} B / received ${stats.bytesReceived} B (${stats.packetsReceived} packets)`;
  }

  it('the agent dials the echo service on the PBX, hears their own voice come back, and hangs up', async () => {
    const { rig, echo } = started();
    const since = rig.kamailio.log().length;
    await panel.dial(ECHO_EXTENSION);
    const callId = await panel.waitForCall('established', 'outbound');

    // Everything the engine receives is what it sent, echoed by sipp: audio went both ways.
    console.log(`[echo ${ECHO_EXTENSION}] ${await expectEngineAudioBothWays(callId)}`);
    await rig.kamailio.waitForLog(/HARNESS-RTPENGINE offer webrtc->rtp/, 1000, since);
    await rig.kamailio.waitForLog(/HARNESS-RTPENGINE answer rtp->webrtc/, 1000, since);
    // sipp was offered plain RTP, without any WebRTC attribute.
    const invite = await echo.waitForLog(/message received[^\n]*\n\s*(INVITE sip:[\s\S]*?)\n-{20,}/, 2000);
    expect(invite[1]).toMatch(/^m=audio \d+ RTP\/AVP /m);
    expect(invite[1]).not.toMatch(/^a=(candidate|fingerprint|ice-ufrag):/m);

    await panel.hangup(callId);
    await panel.waitForNoCalls();
    expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
    // The BYE reached the echo service through Kamailio, and it confirmed it.
    await echo.waitForLog(/message received[^\n]*\n\s*BYE sip:/, 3000);
    await echo.waitForLog(/message sent[^\n]*\n\s*SIP\/2\.0 200 OK\r?\n(?:[^\n]+\n)*?CSeq: \d+ BYE/, 3000);
  });

  it('the agent calls a desk phone, it answers by itself, audio flows both ways, the agent hangs up', async () => {
    const { deskPhone } = started();
    const since = deskPhone.events().length;
    await panel.dial(DESK_PHONE);
    const callId = await panel.waitForCall('established', 'outbound');
    // baresip's RTP-established event: audio from the extension reached it through rtpengine.
    const rtp = await deskPhone.waitForEvent('CALL_RTPESTAB', 5000, since);
    expect(String(rtp.peeruri)).toContain(AGENT.user);
    console.log(`[agent -> desk phone ${DESK_PHONE}] ${await expectEngineAudioBothWays(callId)}; baresip: RTP established`);

    await panel.hangup(callId);
    await deskPhone.waitForEvent('CALL_CLOSED', 5000, since);
    await panel.waitForNoCalls();
    expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
  });

  it('the desk phone calls the agent, the panel rings, the agent answers, audio flows both ways, the agent hangs up', async () => {
    const { rig, deskPhone } = started();
    const since = deskPhone.events().length;
    const logSince = rig.kamailio.log().length;
    await deskPhone.dial(AGENT.user);
    const callId = await panel.waitForCall('incoming', 'inbound');
    expect(await panel.callText(callId, 'call-remote')).toContain(DESK_PHONE);
    await panel.answer(callId);
    await panel.waitForCall('established', 'inbound');
    await deskPhone.waitForEvent('CALL_ESTABLISHED', 5000, since);
    await deskPhone.waitForEvent('CALL_RTPESTAB', 5000, since);
    // The desk phone offered plain RTP; rtpengine turned it into a WebRTC offer for the extension.
    await rig.kamailio.waitForLog(/HARNESS-RTPENGINE offer rtp->webrtc/, 1000, logSince);
    console.log(`[desk phone ${DESK_PHONE} -> agent] ${await expectEngineAudioBothWays(callId)}; baresip: RTP established`);

    await panel.hangup(callId);
    await deskPhone.waitForEvent('CALL_CLOSED', 5000, since);
    await panel.waitForNoCalls();
    expect(await panel.waitForEndedReason(callId)).toBe('local-hangup');
  });
});
