/**
 * RTP counters of a call inside the extension under test. Its phone engine runs in the offscreen
 * document, which exposes the engine as `globalThis.phoneEngine` for tests and debugging.
 */
import type { Browser } from 'puppeteer-core';
import type { FarEndStats } from './far-end.ts';

interface EngineForTests {
  liveCall(callId: string): { peerConnection(): RTCPeerConnection | undefined } | undefined;
}

/** Audio bytes/packets of call `callId`, summed from its RTCPeerConnection's getStats(). */
export async function extensionEngineStats(
  browser: Browser,
  extensionId: string,
  callId: string,
  timeoutMs = 15_000,
): Promise<FarEndStats> {
  const target = await browser.waitForTarget(
    (candidate) => candidate.url() === `chrome-extension://${extensionId}/offscreen.html`,
    { timeout: timeoutMs },
  );
  const offscreen = await target.asPage();
  return offscreen.evaluate(async (id) => {
    const engine = (globalThis as unknown as { phoneEngine: EngineForTests }).phoneEngine;
    const pc = engine.liveCall(id)?.peerConnection();
    if (!pc) throw new Error(`the engine has no live call ${id}`);
    const counters = { bytesSent: 0, bytesReceived: 0, packetsReceived: 0 };
    (await pc.getStats()).forEach((report: Record<string, unknown>) => {
      if (report.kind !== 'audio') return;
      if (report.type === 'outbound-rtp') counters.bytesSent += Number(report.bytesSent ?? 0);
      if (report.type === 'inbound-rtp') {
        counters.bytesReceived += Number(report.bytesReceived ?? 0);
        counters.packetsReceived += Number(report.packetsReceived ?? 0);
      }
    });
    return counters;
  }, callId);
}

/** The microphone track a call sends, as the browser describes it (`MediaStreamTrack.getSettings()`). */
export interface SentTrack {
  deviceId: string;
  label: string;
  enabled: boolean;
  readyState: string;
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
}

/** The audio track in call `callId`'s RTP sender, read in the engine's document. */
export async function extensionSentTrack(browser: Browser, extensionId: string, callId: string): Promise<SentTrack> {
  const target = await browser.waitForTarget(
    (candidate) => candidate.url() === `chrome-extension://${extensionId}/offscreen.html`,
    { timeout: 15_000 },
  );
  const offscreen = await target.asPage();
  return offscreen.evaluate((id) => {
    const engine = (globalThis as unknown as { phoneEngine: EngineForTests }).phoneEngine;
    const pc = engine.liveCall(id)?.peerConnection();
    if (!pc) throw new Error(`the engine has no live call ${id}`);
    const track = pc.getSenders().find((sender) => sender.track?.kind === 'audio')?.track;
    if (!track) throw new Error(`call ${id} sends no audio track`);
    const settings = track.getSettings();
    return {
      deviceId: settings.deviceId ?? '',
      label: track.label,
      enabled: track.enabled,
      readyState: track.readyState,
      echoCancellation: settings.echoCancellation,
      noiseSuppression: settings.noiseSuppression,
      autoGainControl: settings.autoGainControl,
    };
  }, callId);
}

/** Where the engine's sound goes: each call's audio element and the two tone players (sink ids, '' = default). */
export interface OutputSinks {
  remote: string[];
  ringer: string;
  callTones: string;
}

/** {@link OutputSinks} of the engine's media host (`globalThis.phoneMedia` in the engine's document). */
export async function extensionOutputSinks(browser: Browser, extensionId: string): Promise<OutputSinks> {
  const target = await browser.waitForTarget(
    (candidate) => candidate.url() === `chrome-extension://${extensionId}/offscreen.html`,
    { timeout: 15_000 },
  );
  const offscreen = await target.asPage();
  return offscreen.evaluate(() =>
    (globalThis as unknown as { phoneMedia: { outputSinks(): OutputSinks } }).phoneMedia.outputSinks(),
  );
}

/** What the conference's calls send, as the engine wired it (`ConferenceWiring`). */
export interface EngineConferenceWiring {
  members: { callId: string; sends: string[]; onLine: boolean }[];
  muted: boolean;
}

interface EngineLineState {
  currentTone: string;
  conferenceWiring(): EngineConferenceWiring | undefined;
}

/** The tone the extension's engine plays now (`ringtone`, `call-waiting`, `ringback`, `none`) and its conference wiring. */
export async function extensionEngineLines(
  browser: Browser,
  extensionId: string,
  timeoutMs = 15_000,
): Promise<{ tone: string; conference: EngineConferenceWiring | null }> {
  const target = await browser.waitForTarget(
    (candidate) => candidate.url() === `chrome-extension://${extensionId}/offscreen.html`,
    { timeout: timeoutMs },
  );
  const offscreen = await target.asPage();
  return offscreen.evaluate(() => {
    const engine = (globalThis as unknown as { phoneEngine: EngineLineState }).phoneEngine;
    return { tone: engine.currentTone, conference: engine.conferenceWiring() ?? null };
  });
}
