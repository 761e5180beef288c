import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarEnd } from '../harness/far-end.ts';
import type { SidePanelPage } from '../pages/side-panel-page.ts';
import { AGENT, pollUntil, sleep } from '../support/phone-rig.ts';
import { FirefoxPhoneRig } from '../support/firefox-phone-rig.ts';

/**
 * Call recording and text messages on the Firefox build: the recorder runs in the MV2 background
 * page with Firefox's own MediaRecorder (Ogg/Opus, its first choice), and SIP MESSAGE goes through
 * Kamailio with digest authentication. The agent's microphone is Firefox's fake one (a steady
 * tone), the customer's Chromium's fake one (a beep each second), so a recording of both is loud.
 */
describe('Firefox: call recording and text messages', () => {
  let rig: FirefoxPhoneRig;
  let panel: SidePanelPage;
  let customer: FarEnd;

  beforeAll(async () => {
    rig = await FirefoxPhoneRig.start({ unconfigured: true });
    const settings = rig.agentSettings() as { accounts: Record<string, unknown>[] };
    settings.accounts[0]!.recording = 'always';
    await rig.configureAgent(AGENT.password, settings);
    await rig.recordNotifications();
    panel = await rig.openPanel();
    await panel.waitForRegistration('registered', 20_000);
    customer = await rig.openFarEnd('1002');
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('records an answered call under "always": one Ogg/Opus recording as long as the talk, with sound, that the player seeks', async () => {
    await customer.autoAnswer(true);
    await panel.dial('1002');
    const callId = await panel.waitForCall('established', 'outbound');
    const answeredAt = Date.now();
    await panel.waitForRecording(callId, true);
    await sleep(3_000);
    await panel.hangup(callId);
    const talkSeconds = (Date.now() - answeredAt) / 1000;
    await panel.waitForEndedReason(callId);
    await customer.autoAnswer(false);

    await panel.openTimelineOf(callId);
    const [recordingId] = await panel.waitForTimelineEntries('recording', 1, 15_000);
    const figures = await panel.measureRecording(recordingId!);
    console.info(
      `[firefox recording] talk ${talkSeconds.toFixed(2)} s; recording ${figures.mimeType}, ${figures.bytes} bytes, ` +
        `stored ${figures.storedDurationMs} ms, decoded ${figures.decodedSeconds.toFixed(2)} s, ` +
        `${figures.channels} channel(s), RMS ${figures.rms.toFixed(4)}`,
    );
    expect(figures.mimeType).toBe('audio/ogg;codecs=opus');
    expect(Math.abs(figures.decodedSeconds - talkSeconds)).toBeLessThanOrEqual(1);
    expect(figures.rms).toBeGreaterThan(0.01);
    expect(figures.bytes).toBeGreaterThan(1_000);

    const played = await panel.playAndSeek(recordingId!, 1.5);
    console.info(`[firefox recording] player: duration ${played.duration.toFixed(2)} s, after seeking to 1.5 s at ${played.position.toFixed(2)} s`);
    expect(Number.isFinite(played.duration)).toBe(true);
    expect(Math.abs(played.duration - figures.decodedSeconds)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(played.position - 1.5)).toBeLessThanOrEqual(0.25);
    expect(await panel.downloadName(recordingId!)).toMatch(/^recording_1002_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}\.ogg$/);
    await panel.closeTimeline();
  });

  const greeting = 'Здравствуйте! Перезвоните, пожалуйста, после 15:00 — Иван 🙂';

  it('a message from a customer who never called lands in their timeline (no notification over the open sidebar); the reply reaches them exactly as typed', async () => {
    const writer = await rig.openFarEnd('1003');
    const answer = await writer.sendMessage(AGENT.user, greeting);
    expect(answer.code).toBe(200);
    expect(rig.kamailio.log()).toMatch(/HARNESS-CHALLENGE MESSAGE from 1003/);

    await panel.openHistory();
    await panel.search('1003');
    await panel.openNumberResult('1003');
    expect(await panel.waitForTimelineMessages(1)).toEqual([{ direction: 'inbound', status: 'received', text: greeting }]);
    // Firefox opened the add-on's sidebar when it was installed: the message shows there, and the
    // background raises no desktop notification over it (the rule on both browsers).
    expect(await rig.sidebarOpen()).toBe(true);
    expect((await rig.notificationIds()).filter((id) => id.startsWith('message:'))).toEqual([]);

    const reply = 'Хорошо, Иван, перезвоню в 15:30.\nС уважением, Анна';
    await panel.sendMessage(reply);
    const received = await writer.waitForMessages(1);
    expect(received[0]!.body).toBe(reply);
    expect(received[0]!.contentType.toLowerCase()).toBe('text/plain;charset=utf-8');
    expect(received[0]!.from).toBe(`sip:${AGENT.user}@${rig.kamailio.domain}`);
    expect(await panel.waitForTimelineMessages(2)).toEqual([
      { direction: 'outbound', status: 'sent', text: reply },
      { direction: 'inbound', status: 'received', text: greeting },
    ]);
  });

  it('a reply to a customer who went offline shows as not delivered, with the reason in words', async () => {
    const other = await rig.openFarEnd('1004');
    expect((await other.sendMessage(AGENT.user, 'Можно вопрос?')).code).toBe(200);
    await other.unregister();
    await other.close();

    await panel.closeTimeline();
    await panel.search('1004');
    await panel.openNumberResult('1004');
    await panel.waitForTimelineMessages(1);
    await panel.sendMessage('Да, слушаю вас.');
    const messages = await panel.waitForTimelineMessages(2, 'failed');
    console.info(`[firefox messages] reply to an offline customer: "${messages[0]!.failure}"`);
    expect(messages[0]).toMatchObject({ direction: 'outbound', status: 'failed', text: 'Да, слушаю вас.' });
    expect(messages[0]!.failure).toMatch(/not online|не в сети/);
  });
});

/**
 * The same recording on a computer without an audio output (no sound server): Firefox never runs
 * Web Audio there, so nothing but silence could be recorded. The agent is told, in words, that the
 * call was not recorded; no silent file is kept as if it were the conversation.
 */
describe('Firefox: recording without an audio output', () => {
  let rig: FirefoxPhoneRig;

  beforeAll(async () => {
    rig = await FirefoxPhoneRig.start({ unconfigured: true, firefox: { audioOutput: false } });
    const settings = rig.agentSettings() as { accounts: Record<string, unknown>[] };
    settings.accounts[0]!.recording = 'always';
    await rig.configureAgent(AGENT.password, settings);
    await rig.recordNotifications();
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('the call goes on with audio, and its end says the call was not recorded instead of keeping silence', async () => {
    expect(rig.firefox.soundServer).toBeUndefined();
    const panel = await rig.openPanel();
    await panel.waitForRegistration('registered', 20_000);
    const customer = await rig.openFarEnd('1002');
    await customer.autoAnswer(true);
    await panel.dial('1002');
    const callId = await panel.waitForCall('established', 'outbound');
    await panel.waitForRecording(callId, true);
    // The call itself is untouched: RTP flows both ways (media elements play without an output).
    const stats = await pollUntil(
      () => rig.engineStats(callId),
      (s) => s.bytesReceived > 4000 && s.bytesSent > 4000,
    );
    await sleep(1_000);
    await panel.hangup(callId);
    await panel.waitForEndedReason(callId);

    const alert = await panel.page.waitForSelector('[data-testid="recording-error"]', { timeout: 15_000 });
    const words = (await alert!.evaluate((element) => element.textContent ?? '')).trim();
    console.info(`[firefox recording, no audio output] call sent ${stats.bytesSent} B / received ${stats.bytesReceived} B; panel: "${words}"`);
    expect(words).toMatch(/could not be recorded/i);
    expect(await pollUntil(() => rig.notificationIds(), (ids) => ids.includes('recording-error'))).toContain('recording-error');
    await panel.openTimelineOf(callId);
    expect(await panel.waitForTimelineEntries('call', 1)).toHaveLength(1);
    expect(await panel.waitForTimelineEntries('recording', 0)).toHaveLength(0);
  });
});
