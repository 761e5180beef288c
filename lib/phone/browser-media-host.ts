import { sinkIdOf } from '@/lib/phone/audio-device-choice';
import { AudioRouter, type AudioRouteChange, type MediaDevicesLike } from '@/lib/phone/audio-router';
import { elementSinkSupported } from '@/lib/phone/audio-sink';
import type { CallMedia, RecordingHandle } from '@/lib/phone/call-media';
import { startConferenceMix, type ConferenceMember, type ConferenceMix } from '@/lib/phone/conference-mixer';
import type { MediaHost } from '@/lib/phone/media-host';
import { OPUS_TYPES, startMixRecording } from '@/lib/phone/mix-recorder';
import type { AudioFallback } from '@/lib/phone/phone-snapshot';
import { playRecordingNotice } from '@/lib/phone/recording-notice';
import { CALL_WAITING_CADENCE, RINGTONE_CADENCE, ringbackCadence, TonePlayer } from '@/lib/phone/tone-player';
import type { AudioSettings } from '@/lib/settings/settings-schema';
import { Emitter } from '@/lib/util/emitter';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('media');

export interface BrowserMediaHostOptions {
  /** @defaultValue `navigator.mediaDevices` (absent on pages that are not secure contexts) */
  mediaDevices?: MediaDevicesLike;
}

/**
 * {@link MediaHost} for a real document: `<audio>` elements, Web Audio tones, the Permissions API,
 * and the agent's audio devices (followed through `devicechange`).
 */
export class BrowserMediaHost implements MediaHost {
  private readonly audio = new Map<string, HTMLAudioElement>();
  /**
   * The Web Audio context each call's recordings mix in, opened when the call starts (see
   * {@link MediaHost.prepareRecording}); `users` counts the call and its segments still finishing.
   */
  private readonly recordingContexts = new Map<string, { context: AudioContext; users: number }>();
  /** The ringtone, on the ringer device at the ring volume. */
  private readonly ringer = new TonePlayer();
  /** Ring-back, on the speaker (it belongs to the call, heard in the headset). */
  private readonly callTones = new TonePlayer();
  private readonly router: AudioRouter;
  private readonly routeChanges = new Emitter<AudioRouteChange>();

  constructor(options: BrowserMediaHostOptions = {}) {
    const mediaDevices =
      options.mediaDevices ?? (typeof navigator === 'undefined' ? undefined : navigator.mediaDevices);
    this.router = new AudioRouter(mediaDevices, {
      onRouteChange: (change) => {
        if (change.outputs) this.applyOutputs();
        this.routeChanges.emit(change);
      },
    });
  }

  attachRemoteAudio(callId: string, stream: MediaStream): void {
    let element = this.audio.get(callId);
    if (!element) {
      element = document.createElement('audio');
      element.autoplay = true;
      document.body.append(element);
      this.audio.set(callId, element);
      this.applySpeaker(element);
    }
    if (element.srcObject !== stream) element.srcObject = stream;
    element.play().catch((error: unknown) => log.warn('remote audio did not start', error));
  }

  detachRemoteAudio(callId: string): void {
    const element = this.audio.get(callId);
    if (!element) return;
    element.pause();
    element.srcObject = null;
    element.remove();
    this.audio.delete(callId);
  }

  playTone(tone: 'ringtone' | 'ringback' | 'call-waiting', region: string): void {
    this.stopTone();
    try {
      if (tone === 'ringtone') this.ringer.play(RINGTONE_CADENCE);
      // Ring-back and the call-waiting beeps belong to the call: the agent hears them in the headset.
      else this.callTones.play(tone === 'call-waiting' ? CALL_WAITING_CADENCE : ringbackCadence(region));
    } catch (error) {
      log.warn('tone failed', error);
    }
  }

  stopTone(): void {
    this.ringer.stop();
    this.callTones.stop();
  }

  setAudioSettings(audio: AudioSettings): void {
    this.router.configure(audio);
    // The first configuration may not change the route (defaults), but the players need the volume.
    this.applyOutputs();
  }

  openMicrophone(): Promise<MediaStream> {
    return this.router.openMicrophone();
  }

  audioFallback(): AudioFallback {
    const { microphone, speaker, ringer } = this.router.route();
    return {
      ...(microphone.missing ? { microphone: microphone.missing.label } : {}),
      ...(speaker.missing ? { speaker: speaker.missing.label } : {}),
      ...(ringer.missing ? { ringer: ringer.missing.label } : {}),
    };
  }

  onAudioRouteChange(listener: (change: AudioRouteChange) => void): () => void {
    return this.routeChanges.on(listener);
  }

  /** Stops following device changes and silences the tones. */
  dispose(): void {
    this.router.dispose();
    this.stopTone();
    this.routeChanges.clear();
  }

  /** Where sound goes now, as the browser reports it (end-to-end tests, debugging). */
  outputSinks(): { remote: string[]; ringer: string; callTones: string } {
    return {
      remote: [...this.audio.values()].map((element) => element.sinkId ?? ''),
      ringer: this.ringer.sinkId,
      callTones: this.callTones.sinkId,
    };
  }

  /** Moves remote audio and tones to the devices of the current route. */
  private applyOutputs(): void {
    const { speaker, ringer } = this.router.route();
    const { ringVolume } = this.router.audioSettings();
    this.ringer.setOutput({ sinkId: sinkIdOf(ringer), volume: ringVolume / 100 });
    this.callTones.setOutput({ sinkId: sinkIdOf(speaker), volume: 1 });
    for (const element of this.audio.values()) this.applySpeaker(element);
  }

  /** Plays a call's audio on the chosen speaker; a vanished one falls back to the default output. */
  private applySpeaker(element: HTMLAudioElement): void {
    if (!elementSinkSupported()) return;
    const sinkId = sinkIdOf(this.router.route().speaker);
    if (element.sinkId === sinkId) return;
    element.setSinkId(sinkId).catch((error: unknown) => {
      log.warn(`call audio cannot play on output ${sinkId}; using the default output`, error);
      if (element.sinkId !== '') element.setSinkId('').catch(() => undefined);
    });
  }

  async microphonePermission(): Promise<'granted' | 'denied' | 'unknown'> {
    try {
      const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
      if (status.state === 'granted') return 'granted';
      if (status.state === 'denied') return 'denied';
      // 'prompt': a hidden document cannot show the prompt, so for us it means "not granted yet".
      return 'denied';
    } catch {
      return 'unknown';
    }
  }

  onMicrophonePermissionChange(listener: () => void): () => void {
    let status: PermissionStatus | undefined;
    let stopped = false;
    navigator.permissions
      .query({ name: 'microphone' as PermissionName })
      .then((result) => {
        if (stopped) return;
        status = result;
        status.addEventListener('change', listener);
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
      status?.removeEventListener('change', listener);
    };
  }

  prepareRecording(callId: string): void {
    if (typeof AudioContext === 'undefined' || this.recordingContexts.has(callId)) return;
    const context = new AudioContext();
    context.resume().catch(() => undefined);
    this.recordingContexts.set(callId, { context, users: 1 });
  }

  releaseRecording(callId: string): void {
    const shared = this.recordingContexts.get(callId);
    if (!shared) return;
    this.recordingContexts.delete(callId);
    this.unuseRecordingContext(shared);
  }

  startRecording(callId: string, media: CallMedia): RecordingHandle {
    const types = import.meta.env.FIREFOX ? OPUS_TYPES.firefox : OPUS_TYPES.chrome;
    const shared = this.recordingContexts.get(callId);
    if (!shared) return startMixRecording(media, types);
    shared.users += 1;
    try {
      return startMixRecording(media, types, { context: shared.context, done: () => this.unuseRecordingContext(shared) });
    } catch (error) {
      this.unuseRecordingContext(shared);
      throw error;
    }
  }

  /** One user fewer (the call, or a finished segment); the last one closes the context. */
  private unuseRecordingContext(shared: { context: AudioContext; users: number }): void {
    shared.users -= 1;
    if (shared.users === 0) void shared.context.close().catch(() => undefined);
  }

  playRecordingNotice(_callId: string, media: CallMedia, muted: () => boolean): Promise<void> {
    return playRecordingNotice(media, muted);
  }

  startConference(members: readonly ConferenceMember[], muted: boolean): Promise<ConferenceMix> {
    return startConferenceMix(members, muted);
  }

  isOnline(): boolean {
    return navigator.onLine;
  }

  onNetworkChange(listener: () => void): () => void {
    // The Network Information API exists in Chromium only; elsewhere `online` is all there is.
    const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
    if (!connection) return () => undefined;
    connection.addEventListener('change', listener);
    return () => connection.removeEventListener('change', listener);
  }

  onOnlineChange(listener: (online: boolean) => void): () => void {
    const online = (): void => listener(true);
    const offline = (): void => listener(false);
    addEventListener('online', online);
    addEventListener('offline', offline);
    return () => {
      removeEventListener('online', online);
      removeEventListener('offline', offline);
    };
  }
}
