import { describe, expect, it } from 'vitest';
import { AGENT, PhoneRig, sleep } from './support/phone-rig.ts';

/**
 * Call recording with real calls through Kamailio. Both browsers' microphones are Chromium's fake
 * capture device (`--use-fake-device-for-media-stream`), which plays a beep every second, so a
 * recording of both sides is clearly not silent. The recording is fetched through the panel's
 * protocol, decoded with Web Audio and measured.
 */

/** The agent calls the customer (who answers at once) and is put through. */
async function callCustomer(rig: PhoneRig) {
  const panel = await rig.openPanel();
  await panel.waitForRegistration('registered');
  const customer = await rig.openFarEnd('1002');
  await customer.autoAnswer(true);
  await panel.dial('1002');
  const callId = await panel.waitForCall('established', 'outbound');
  return { panel, customer, callId, answeredAt: Date.now() };
}

describe('call recording', () => {
  it('records every answered call under "always": one recording as long as the talk, with sound', async () => {
    const rig = await PhoneRig.start({ unconfigured: true });
    try {
      await rig.configureAgent(AGENT.password, { recording: 'always', recordingNotice: true });
      const { panel, callId, answeredAt } = await callCustomer(rig);
      // The indicator is on from the answer, and no Record button is offered under "always".
      await panel.waitForRecording(callId, true);
      expect(await panel.page.$(`[data-testid="call-${callId}"] [data-testid="call-record"]`)).toBeNull();
      await sleep(3_000);
      await panel.hangup(callId);
      const talkSeconds = (Date.now() - answeredAt) / 1000;
      await panel.waitForEndedReason(callId);

      await panel.openTimelineOf(callId);
      const [recordingId] = await panel.waitForTimelineEntries('recording', 1, 15_000);
      expect(await panel.waitForTimelineEntries('call', 1)).toHaveLength(1);
      const figures = await panel.measureRecording(recordingId!);
      console.info(
        `[recording] always: talk ${talkSeconds.toFixed(2)} s; recording ${figures.mimeType}, ${figures.bytes} bytes, ` +
          `stored ${figures.storedDurationMs} ms, decoded ${figures.decodedSeconds.toFixed(2)} s, ` +
          `${figures.channels} channel(s), RMS ${figures.rms.toFixed(4)}`,
      );
      expect(figures.mimeType).toBe('audio/webm;codecs=opus');
      expect(Math.abs(figures.decodedSeconds - talkSeconds)).toBeLessThanOrEqual(1);
      // A silent recording decodes to an RMS of (nearly) 0; the fake devices' beeps give ≈ 0.1.
      expect(figures.rms).toBeGreaterThan(0.01);
      expect(figures.bytes).toBeGreaterThan(1_000);

      // The panel's player knows the length (the WebM header carries it) and seeks.
      const played = await panel.playAndSeek(recordingId!, 1.5);
      console.info(`[recording] player: duration ${played.duration.toFixed(2)} s, after seeking to 1.5 s at ${played.position.toFixed(2)} s`);
      expect(Number.isFinite(played.duration)).toBe(true);
      expect(Math.abs(played.duration - figures.decodedSeconds)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(played.position - 1.5)).toBeLessThanOrEqual(0.25);
      expect(await panel.downloadName(recordingId!)).toMatch(/^recording_1002_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}\.webm$/);
    } finally {
      await rig.close();
    }
  });

  it('records "on demand" only between Record and Stop; deleting the recording keeps the call', async () => {
    const rig = await PhoneRig.start({ unconfigured: true });
    try {
      await rig.configureAgent(AGENT.password, { recording: 'on-demand' });
      const { panel, callId } = await callCustomer(rig);
      await panel.page.waitForSelector(`[data-testid="call-${callId}"] [data-testid="call-record"]`);
      await sleep(1_500);
      expect(await panel.isRecording(callId)).toBe(false);

      await panel.toggleRecording(callId);
      await panel.waitForRecording(callId, true);
      const recordStarted = Date.now();
      await sleep(2_000);
      await panel.toggleRecording(callId);
      await panel.waitForRecording(callId, false);
      const recordedSeconds = (Date.now() - recordStarted) / 1000;
      await sleep(1_500);
      await panel.hangup(callId);
      await panel.waitForEndedReason(callId);

      await panel.openTimelineOf(callId);
      const [recordingId] = await panel.waitForTimelineEntries('recording', 1, 15_000);
      const figures = await panel.measureRecording(recordingId!);
      console.info(
        `[recording] on demand: recorded ${recordedSeconds.toFixed(2)} s of a longer call; decoded ` +
          `${figures.decodedSeconds.toFixed(2)} s, RMS ${figures.rms.toFixed(4)}`,
      );
      // Only the part between Record and Stop: not the 1.5 s before nor the 1.5 s after.
      expect(Math.abs(figures.decodedSeconds - recordedSeconds)).toBeLessThanOrEqual(1);
      expect(figures.rms).toBeGreaterThan(0.01);

      // The history row says the call was recorded, until the recording is deleted.
      await panel.page.click('[data-testid="timeline-back"]');
      await panel.page.waitForSelector(`[data-testid="history-row-${callId}"]`);
      expect(await panel.rowShowsRecording(callId)).toBe(true);
      await panel.page.click(`[data-testid="history-row-${callId}"] [data-testid="history-open-timeline"]`);
      await panel.waitForTimelineEntries('recording', 1);

      await panel.deleteRecording(recordingId!);
      await panel.waitForTimelineEntries('recording', 0);
      expect(await panel.waitForTimelineEntries('call', 1)).toHaveLength(1);
      expect(await panel.recordingExists(recordingId!)).toBe(false);
      await panel.page.click('[data-testid="timeline-back"]');
      await panel.page.waitForFunction(
        (id) =>
          document.querySelector(`[data-testid="history-row-${id}"]`) !== null &&
          document.querySelector(`[data-testid="history-row-${id}"] [data-testid="history-recorded"]`) === null,
        { timeout: 10_000, polling: 200 },
        callId,
      );
    } finally {
      await rig.close();
    }
  });
});
