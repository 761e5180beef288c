/**
 * Proves the real-SIP test harness itself, with real parts: Kamailio (digest auth, WebSocket,
 * registrar), rtpengine, sipp, baresip, headless Chromium and the far-end softphone page. The tests run in
 * order and share the servers; each step builds on the previous one like a short story.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaresip, type BaresipUa } from './harness/baresip.ts';
import { launchChromium, type LaunchedChromium } from './harness/chromium.ts';
import { FarEnd, startFarEndServer, type FarEndStats } from './harness/far-end.ts';
import { startKamailio, type KamailioServer } from './harness/kamailio.ts';
import { nonLoopbackAddresses } from './harness/process.ts';
import { startRtpengine, type RtpengineServer } from './harness/rtpengine.ts';
import { startSippEchoUas, type SippUas } from './harness/sipp.ts';
import type { StaticServer } from './harness/static-server.ts';

/** How long audio flows before the RTP counters are read. */
const AUDIO_MS = 2000;
const ECHO_EXTENSION = '2000';

let rtpengine: RtpengineServer | undefined;
let sipp: SippUas | undefined;
let baresip: BaresipUa | undefined; // registered as 1005 over UDP
let kamailio: KamailioServer | undefined;
let server: StaticServer | undefined;
let chromium: LaunchedChromium | undefined;
let alice: FarEnd; // 1001
let bob: FarEnd; // 1002

/** The started Kamailio (beforeAll failing makes every test fail anyway). */
function kam(): KamailioServer {
  if (!kamailio) throw new Error('kamailio did not start');
  return kamailio;
}

/** The started, registered baresip. */
function deskPhone(): BaresipUa {
  if (!baresip) throw new Error('baresip did not start');
  return baresip;
}

/** The started sipp echo UAS. */
function echo(): SippUas {
  if (!sipp) throw new Error('sipp did not start');
  return sipp;
}

function chromiumBrowser(): LaunchedChromium['browser'] {
  if (!chromium) throw new Error('chromium did not start');
  return chromium.browser;
}

function serverUrl(): string {
  if (!server) throw new Error('static server did not start');
  return server.url;
}

function account(user: string, password = `pw${user}`): Parameters<FarEnd['register']>[0] {
  return { wsUrl: kam().wsUrl, user, password, domain: kam().domain, displayName: `Test ${user}` };
}

function expectAudioBothWays(label: string, stats: FarEndStats): void {
  console.log(`${label}: ${JSON.stringify(stats)}`);
  expect(stats.bytesSent, `${label} bytesSent`).toBeGreaterThan(0);
  expect(stats.bytesReceived, `${label} bytesReceived`).toBeGreaterThan(0);
  expect(stats.packetsReceived, `${label} packetsReceived`).toBeGreaterThan(0);
}

beforeAll(async () => {
  const others = nonLoopbackAddresses();
  if (others.length > 0) {
    console.warn(
      `harness: this machine also has ${others.join(', ')}; run under tests/e2e/harness/isolated.sh ` +
        'to keep WebRTC peer-reflexive traffic on loopback only',
    );
  }
  const started = Date.now();
  rtpengine = await startRtpengine();
  sipp = await startSippEchoUas();
  kamailio = await startKamailio({ rtpengine, staticRoutes: { [ECHO_EXTENSION]: sipp.uri } });
  baresip = await startBaresip({ registrar: kamailio, user: '1005', password: 'pw1005' });
  server = await startFarEndServer();
  chromium = await launchChromium();
  alice = await FarEnd.open(chromium.browser, server.url);
  bob = await FarEnd.open(chromium.browser, server.url);
  console.log(`harness up in ${Date.now() - started} ms (kamailio ${kamailio.wsUrl}, udp ${kamailio.udpPort})`);
});

afterAll(async () => {
  // Browser first (it holds WebSockets and media), then the servers; each step runs even if an
  // earlier one throws.
  const steps: (() => Promise<void> | undefined)[] = [
    () => chromium?.close(),
    () => server?.stop(),
    () => baresip?.stop(),
    () => kamailio?.stop(),
    () => sipp?.stop(),
    () => rtpengine?.stop(),
  ];
  const errors: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'harness cleanup failed');
});

describe('real-SIP harness', () => {
  it('Kamailio challenges REGISTER and rejects a wrong password and an unknown user', async () => {
    await expect(bob.register(account('1002', 'wrong-password'))).rejects.toThrow(/REGISTER failed: 401/);
    await expect(bob.register(account('1999', 'pw1999'))).rejects.toThrow(/REGISTER failed: 403/);
    expect(kam().log()).toMatch(/HARNESS-AUTH-FAIL REGISTER user=1002 rc=-2/);
    expect(kam().log()).toMatch(/HARNESS-AUTH-FAIL REGISTER user=1999 reason=unknown-user/);
    expect(await bob.registration()).toBe('unregistered');
  });

  it('registers 1001 and 1002 with digest authentication', async () => {
    const before = kam().registerCount('1001');
    await expect(alice.register(account('1001'))).resolves.toEqual({ code: 200 });
    await expect(bob.register(account('1002'))).resolves.toEqual({ code: 200 });
    // one unauthenticated REGISTER (401 challenge) + one with credentials
    expect(kam().registerCount('1001') - before).toBe(2);
    // Kamailio logs REGISTERED after save() has sent the 200: the line can come just after it.
    await kam().waitForLog(/HARNESS-REGISTERED user=1001/, 5000);
    await kam().waitForLog(/HARNESS-REGISTERED user=1002/, 5000);
    expect(await alice.registration()).toBe('registered');
  });

  it('1001 calls 1002, 1002 answers, audio flows both ways, the caller hangs up', async () => {
    await alice.call('1002');
    await bob.waitForState('ringing-in');
    expect(await alice.waitForState('ringing-out')).toBe('ringing-out');
    expect(await bob.lastInvite()).toMatch(/^INVITE sip:/);
    await bob.answer();
    await Promise.all([alice.waitForState('established'), bob.waitForState('established')]);
    await sleep(AUDIO_MS);
    expectAudioBothWays('browser 1001 -> 1002, caller side', await alice.stats());
    expectAudioBothWays('browser 1001 -> 1002, callee side', await bob.stats());
    // Kamailio removed the browsers' non-loopback ICE candidates; the page saw only 127.x ones.
    const remote = (await bob.sdp()).remoteUnfiltered;
    const candidates = remote.split(/\r?\n/).filter((line) => line.startsWith('a=candidate:'));
    expect(candidates.length).toBeGreaterThan(0);
    for (const line of candidates) expect(line.split(' ')[4]).toMatch(/^127\./);

    await alice.hangup();
    await Promise.all([alice.waitForState('terminated'), bob.waitForState('terminated')]);
    expect((await bob.events()).some((line) => line.endsWith('BYE received (in)'))).toBe(true);
  });

  it('a BYE from the callee ends the call on both sides', async () => {
    await bob.autoAnswer(true);
    await alice.call('1002');
    await Promise.all([alice.waitForState('established'), bob.waitForState('established')]);
    await sleep(500);
    await bob.hangup();
    await Promise.all([alice.waitForState('terminated'), bob.waitForState('terminated')]);
    expect((await alice.events()).some((line) => line.endsWith('BYE received (out)'))).toBe(true);
    await bob.autoAnswer(false);
  });

  it('passes re-INVITEs (hold) and REFER/NOTIFY (blind transfer) through Kamailio', async () => {
    const carol = await FarEnd.open(chromiumBrowser(), serverUrl());
    try {
      await carol.register(account('1003'));
      await bob.autoAnswer(true);
      await carol.autoAnswer(true);
      await alice.call('1002');
      await Promise.all([alice.waitForState('established'), bob.waitForState('established')]);

      await alice.hold(true);
      expect(await bob.lastInvite()).toMatch(/^a=sendonly/m);
      await alice.hold(false);
      expect(await bob.lastInvite()).toMatch(/^a=sendrecv/m);

      // alice transfers bob to carol; bob follows the REFER like a phone does
      await alice.refer('1003');
      await carol.waitForState('established');
      expect(await bob.lastRefer()).toMatch(/^Refer-To: .*sip:1003@/im);
      await expect.poll(async () => (await alice.events()).some((line) => line.endsWith('NOTIFY SIP/2.0 200 OK'))).toBe(true);
      await alice.hangup();
      await alice.waitForState('terminated');
      expect(await bob.state()).toBe('established'); // now with carol
      await bob.hangup();
      await Promise.all([bob.waitForState('terminated'), carol.waitForState('terminated')]);
    } finally {
      await bob.autoAnswer(false);
      await carol.close();
    }
  });

  it('answers 480 for a known user who is not registered and 404 for an unknown one', async () => {
    await alice.call('1004');
    await alice.waitForState('terminated');
    await alice.call('1999');
    await alice.waitForState('terminated');
    const rejections = (await alice.events()).filter((line) => line.includes('call rejected:'));
    expect(rejections.slice(-2).map((line) => line.replace(/^\S+ /, ''))).toEqual([
      'call rejected: 480 Temporarily Unavailable',
      'call rejected: 404 Not Found',
    ]);
  });

  it('a browser calls the sipp echo extension through rtpengine and hears its audio back', async () => {
    const since = kam().log().length;
    await alice.call(ECHO_EXTENSION);
    await alice.waitForState('established');
    await sleep(AUDIO_MS);
    const stats = await alice.stats();
    expectAudioBothWays('browser -> rtpengine -> sipp echo', stats);
    // Kamailio asked rtpengine to convert both ways
    await kam().waitForLog(/HARNESS-RTPENGINE offer webrtc->rtp/, 1000, since);
    await kam().waitForLog(/HARNESS-RTPENGINE answer rtp->webrtc/, 1000, since);
    // the browser got ICE + DTLS-SRTP ...
    const remote = (await alice.sdp()).remoteUnfiltered;
    expect(remote).toMatch(/^m=audio \d+ (UDP\/TLS\/)?RTP\/SAVPF /m);
    expect(remote).toMatch(/^a=fingerprint:/m);
    // ... and sipp got plain RTP/AVP (no ICE, no DTLS)
    const invite = await echo().waitForLog(/message received[^\n]*\n\s*(INVITE sip:[\s\S]*?)\n-{20,}/, 2000);
    expect(invite[1]).toMatch(/^m=audio \d+ RTP\/AVP /m);
    expect(invite[1]).not.toMatch(/^a=(candidate|fingerprint|ice-ufrag):/m);

    await alice.hangup();
    await alice.waitForState('terminated');
    // the BYE reached sipp through Kamailio (Record-Route fix) and sipp answered it
    await echo().waitForLog(/message received[^\n]*\n\s*BYE sip:/, 2000);
    await echo().waitForLog(/message sent[^\n]*\n\s*SIP\/2\.0 200 OK\r?\n(?:[^\n]+\n)*?CSeq: \d+ BYE/, 2000);
    expect(echo().log()).toMatch(/message sent[^\n]*\n\s*SIP\/2\.0 200 OK\r?\nVia: [^\n]*\nRecord-Route: /);
  });

  it('a browser and a registered baresip call each other through rtpengine with audio both ways', async () => {
    // browser -> baresip (auto-answer)
    let since = deskPhone().events().length;
    await alice.call('1005');
    await alice.waitForState('established');
    await deskPhone().waitForEvent('CALL_RTPESTAB', 3000, since); // baresip received RTP
    await sleep(1500);
    expectAudioBothWays('browser -> rtpengine -> baresip', await alice.stats());
    await alice.hangup();
    await alice.waitForState('terminated');
    await deskPhone().waitForEvent('CALL_CLOSED', 3000, since);

    // baresip -> browser: the offer is plain RTP and rtpengine turns it into WebRTC
    since = deskPhone().events().length;
    const logSince = kam().log().length;
    await bob.autoAnswer(true);
    await deskPhone().dial('1002');
    await bob.waitForState('established');
    await deskPhone().waitForEvent('CALL_RTPESTAB', 3000, since);
    await sleep(1500);
    expectAudioBothWays('baresip -> rtpengine -> browser', await bob.stats());
    await kam().waitForLog(/HARNESS-RTPENGINE offer rtp->webrtc/, 1000, logSince);
    await deskPhone().hangup();
    await bob.waitForState('terminated');
    await bob.autoAnswer(false);
  });

  it('restart() keeps the ports, loses registrations, and clients can register and call again', async () => {
    const { wsUrl, udpPort } = kam();
    const countBefore = kam().registerCount();
    await kam().restart();
    expect(kam().wsUrl).toBe(wsUrl);
    expect(kam().udpPort).toBe(udpPort);
    // the old WebSocket connections died with the old process
    await expect.poll(() => alice.registration(), { timeout: 5000 }).toBe('disconnected');

    await alice.register(account('1001'));
    await bob.register(account('1002'));
    expect(kam().registerCount() - countBefore).toBe(4);
    await alice.autoAnswer(true);
    await bob.call('1001');
    await Promise.all([alice.waitForState('established'), bob.waitForState('established')]);
    await sleep(1000);
    expectAudioBothWays('after restart, 1002 -> 1001, caller side', await bob.stats());
    await bob.hangup();
    await Promise.all([alice.waitForState('terminated'), bob.waitForState('terminated')]);
  });
});
