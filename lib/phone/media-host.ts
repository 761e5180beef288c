import type { AudioRouteChange } from '@/lib/phone/audio-router';
import type { CallMedia, RecordingHandle } from '@/lib/phone/call-media';
import type { AudioFallback } from '@/lib/phone/phone-snapshot';
import type { AudioSettings } from '@/lib/settings/settings-schema';
import type { ConferenceMember, ConferenceMix } from '@/lib/phone/conference-mixer';

/**
 * What the phone engine needs from the page it runs in (offscreen document on Chrome, background page
 * on Firefox). Keeping it behind an interface keeps the engine host-agnostic and testable.
 */
export interface MediaHost {
  /** Plays a call's remote audio. */
  attachRemoteAudio(callId: string, stream: MediaStream): void;
  /** Stops and releases a call's remote audio. */
  detachRemoteAudio(callId: string): void;
  /**
   * Tones: the incoming ringtone, the ring-back tone while an outbound call rings, or the
   * call-waiting tone (short beeps in the earpiece while a second call rings during a call).
   */
  playTone(tone: 'ringtone' | 'ringback' | 'call-waiting', region: string): void;
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
   * A call that may be recorded has started (ringing or dialling): the host opens what recording
   * needs now, so it runs by the time the call is answered. A browser opens its audio output with
   * a new `AudioContext`, which can take a second or more (Firefox): opened at answer, the
   * recording would miss the first words. Optional.
   */
  prepareRecording?(callId: string): void;
  /** The call is over: what {@link prepareRecording} opened goes once its last segment is saved. Optional. */
  releaseRecording?(callId: string): void;
  /**
   * The consent notice: a short beep that the far end hears in the sent audio and the agent hears
   * locally. `muted` is read when the microphone goes back on the line after the beep.
   */
  playRecordingNotice(callId: string, media: CallMedia, muted: () => boolean): Promise<void>;
  /**
   * The agent's audio choices: microphone, speaker and ringer, ring volume, microphone processing.
   * Outputs (remote audio, tones) move at once; a changed microphone is reported through
   * {@link MediaHost.onAudioRouteChange} for the engine to move live calls over.
   */
  setAudioSettings(audio: AudioSettings): void;
  /**
   * Opens the microphone a call sends (SIP.js's media stream factory): the chosen device with the
   * processing flags, or the default one when the chosen one is not connected.
   */
  openMicrophone(): Promise<MediaStream>;
  /** Chosen devices that are not connected now (the defaults play or capture instead). */
  audioFallback(): AudioFallback;
  /** Calls `listener` when the devices in use change (a new choice, or devices came or went). */
  onAudioRouteChange(listener: (change: AudioRouteChange) => void): () => void;
  /**
   * Mixes a 3-way conference: each member's outgoing audio becomes the microphone plus the other
   * members' voices (`muted` silences the microphone in every mix). Rejects when it cannot be
   * put on the line; the calls are then left as they were.
   */
  startConference(members: readonly ConferenceMember[], muted: boolean): Promise<ConferenceMix>;
}
