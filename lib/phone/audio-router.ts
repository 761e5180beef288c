import {
  microphoneConstraints,
  resolveAudioRoute,
  type AudioDeviceEntry,
  type AudioRoute,
} from '@/lib/phone/audio-device-choice';
import { DEFAULT_AUDIO_SETTINGS, type AudioSettings } from '@/lib/settings/settings-schema';
import { createLogger } from '@/lib/util/logger';
import { withTimeout } from '@/lib/util/with-timeout';

const log = createLogger('audio-router');

/**
 * How long a device list may take before the router goes on with the devices it knows. Firefox
 * answers `enumerateDevices()` only in a document that has focus (the Media Capture spec's "device
 * enumeration can proceed"), and the MV2 background page that hosts the engine there never has it:
 * the promise stays pending for good, and a call that waited for it would never send its INVITE.
 */
export const DEVICE_LIST_TIMEOUT_MS = 1000;

/** The part of `navigator.mediaDevices` the router uses (a fake in unit tests). */
export type MediaDevicesLike = Pick<
  MediaDevices,
  'enumerateDevices' | 'getUserMedia' | 'addEventListener' | 'removeEventListener'
>;

/**
 * What changed in the route (see {@link AudioRouterDelegate.onRouteChange}); both false means only
 * the fallback to report changed (e.g. which missing device it names).
 */
export interface AudioRouteChange {
  /** A call's microphone should be opened again: another device, or other processing flags. */
  microphone: boolean;
  /** The speaker or ringer device (or the ring volume) changed. */
  outputs: boolean;
}

export interface AudioRouterDelegate {
  /** The route changed: after a new configuration, or devices came or went. */
  onRouteChange(change: AudioRouteChange): void;
}

/**
 * Which devices the phone uses, kept up to date as devices come and go (`devicechange`).
 *
 * The chosen devices come from the settings; the devices present come from `enumerateDevices`; the
 * pure {@link resolveAudioRoute} decides. When the microphone to use changes (the chosen headset
 * was unplugged, came back, or another was chosen) the delegate hears it, and the engine moves
 * live calls over.
 */
export class AudioRouter {
  private settings: AudioSettings = DEFAULT_AUDIO_SETTINGS;
  private devices: AudioDeviceEntry[] = [];
  /** Whether a device list ever came: until one does, the chosen microphone is tried as it is. */
  private listed = false;
  private current: AudioRoute;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  /** An `enumerateDevices()` that has not settled yet; new reads join it rather than pile up. */
  private pendingList: Promise<MediaDeviceInfo[]> | undefined;
  private readonly onDeviceChange = (): void => void this.refresh();

  constructor(
    private readonly mediaDevices: MediaDevicesLike | undefined,
    private readonly delegate: AudioRouterDelegate,
  ) {
    this.current = this.resolve();
    this.mediaDevices?.addEventListener('devicechange', this.onDeviceChange);
    void this.refresh();
  }

  /** The devices each role uses now. */
  route(): AudioRoute {
    return this.current;
  }

  /** The settings in force. */
  audioSettings(): AudioSettings {
    return this.settings;
  }

  /** New choices: applied at once with the devices known, then again with a fresh list. */
  configure(settings: AudioSettings): void {
    const previous = this.settings;
    this.settings = settings;
    this.recompute(previous);
    void this.refresh();
  }

  /**
   * Opens the microphone for a call: the chosen one with the processing flags, or the default one
   * when the chosen one is not connected. A device that vanished since the last list (or one the
   * browser refuses) is retried as the default, so a call never fails for a remembered headset.
   */
  async openMicrophone(): Promise<MediaStream> {
    if (!this.mediaDevices) throw new Error('this page has no media devices');
    // A list still unanswered (Firefox's background page never gets one) must not hold up the call.
    if (this.pendingList === undefined) await this.refresh();
    const constraints = microphoneConstraints(this.settings, this.current.microphone);
    try {
      return await this.mediaDevices.getUserMedia({ audio: constraints, video: false });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (constraints.deviceId === undefined || (name !== 'OverconstrainedError' && name !== 'NotFoundError')) throw error;
      log.info(`microphone ${this.current.microphone.deviceId} cannot be opened (${name}); using the default one`);
      const { deviceId: _chosen, ...withoutDevice } = constraints;
      return this.mediaDevices.getUserMedia({ audio: withoutDevice, video: false });
    }
  }

  /** Stops following device changes. */
  dispose(): void {
    this.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
  }

  /** Reads the device list again (one read at a time; a change during a read causes one more). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        await this.readDevices();
      } while (this.refreshAgain);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async readDevices(): Promise<void> {
    if (!this.mediaDevices) return;
    const pending = (this.pendingList ??= this.mediaDevices.enumerateDevices().finally(() => {
      this.pendingList = undefined;
    }));
    try {
      const list = await withTimeout(pending, DEVICE_LIST_TIMEOUT_MS, 'listing audio devices');
      this.devices = list.map(({ deviceId, kind, label }) => ({ deviceId, kind, label }));
      this.listed = true;
    } catch (error) {
      log.warn('devices cannot be listed', error);
      return;
    }
    this.recompute(this.settings);
  }

  /**
   * The route from the devices listed, or — while no list ever came (Firefox's background page, which
   * never has focus) — the chosen microphone as it is: `openMicrophone` asks for it `exact` and falls
   * back to the default only when the browser says it is not there, so an agent's headset is used
   * on Firefox too. Outputs keep the default then: a sink that is not there fails playback, not the
   * request for it.
   */
  private resolve(): AudioRoute {
    const route = resolveAudioRoute(this.settings, this.devices);
    if (this.listed || !this.settings.microphone) return route;
    return { ...route, microphone: { deviceId: this.settings.microphone.deviceId } };
  }

  /** Resolves the route again and tells the delegate what changed. */
  private recompute(previousSettings: AudioSettings): void {
    const previous = this.current;
    const next = this.resolve();
    this.current = next;
    const microphone =
      JSON.stringify(microphoneConstraints(previousSettings, previous.microphone)) !==
      JSON.stringify(microphoneConstraints(this.settings, next.microphone));
    const outputs =
      JSON.stringify([previous.speaker, previous.ringer, previousSettings.ringVolume]) !==
      JSON.stringify([next.speaker, next.ringer, this.settings.ringVolume]);
    const missing = JSON.stringify(previous.microphone.missing) !== JSON.stringify(next.microphone.missing);
    if (microphone || outputs || missing) this.delegate.onRouteChange({ microphone, outputs });
  }
}
