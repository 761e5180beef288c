import type { CallMedia, RecordingHandle } from '@/lib/phone/call-media';
import type { MediaHost } from '@/lib/phone/media-host';
import { OPUS_TYPES, startMixRecording } from '@/lib/phone/mix-recorder';
import { playRecordingNotice } from '@/lib/phone/recording-notice';
import { RINGTONE_CADENCE, ringbackCadence, TonePlayer } from '@/lib/phone/tone-player';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('media');

/** {@link MediaHost} for a real document: `<audio>` elements, Web Audio tones, the Permissions API. */
export class BrowserMediaHost implements MediaHost {
  private readonly audio = new Map<string, HTMLAudioElement>();
  private readonly tones = new TonePlayer();

  attachRemoteAudio(callId: string, stream: MediaStream): void {
    let element = this.audio.get(callId);
    if (!element) {
      element = document.createElement('audio');
      element.autoplay = true;
      document.body.append(element);
      this.audio.set(callId, element);
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

  playTone(tone: 'ringtone' | 'ringback', region: string): void {
    try {
      this.tones.play(tone === 'ringtone' ? RINGTONE_CADENCE : ringbackCadence(region));
    } catch (error) {
      log.warn('tone failed', error);
    }
  }

  stopTone(): void {
    this.tones.stop();
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

  startRecording(_callId: string, media: CallMedia): RecordingHandle {
    return startMixRecording(media, import.meta.env.FIREFOX ? OPUS_TYPES.firefox : OPUS_TYPES.chrome);
  }

  playRecordingNotice(_callId: string, media: CallMedia, muted: () => boolean): Promise<void> {
    return playRecordingNotice(media, muted);
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
