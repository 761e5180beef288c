import type { CallMedia, RecordingHandle } from '@/lib/phone/call-media';

/**
 * What the phone engine needs from the page it runs in (offscreen document on Chrome, background page
 * on Firefox). Keeping it behind an interface keeps the engine host-agnostic and testable.
 */
export interface MediaHost {
  /** Plays a call's remote audio. */
  attachRemoteAudio(callId: string, stream: MediaStream): void;
  /** Stops and releases a call's remote audio. */
  detachRemoteAudio(callId: string): void;
  /** Tones: the incoming ringtone, or the ring-back tone while an outbound call rings. */
  playTone(tone: 'ringtone' | 'ringback', region: string): void;
  stopTone(): void;
  /** Microphone permission as the browser reports it. */
  microphonePermission(): Promise<'granted' | 'denied' | 'unknown'>;
  /** Calls `listener` whenever the microphone permission changes (site settings, another page's grant). */
  onMicrophonePermissionChange(listener: () => void): () => void;
  /** Whether the browser believes it is online; `subscribe` reports changes. */
  isOnline(): boolean;
  onOnlineChange(listener: (online: boolean) => void): () => void;
  /**
   * Calls `listener` when the network the computer uses changes while it stays online (Wi-Fi to
   * cable, another access point), where the browser reports it (`navigator.connection`).
   */
  onNetworkChange?(listener: () => void): () => void;
  /**
   * Starts recording a call: both sides mixed into one mono track, encoded as Opus. Throws when
   * this browser cannot record (no MediaRecorder, no Opus).
   */
  startRecording(callId: string, media: CallMedia): RecordingHandle;
  /**
   * The consent notice: a short beep that the far end hears in the sent audio and the agent hears
   * locally. `muted` is read when the microphone goes back on the line after the beep.
   */
  playRecordingNotice(callId: string, media: CallMedia, muted: () => boolean): Promise<void>;
}
