import { computed, signal, type ReadonlySignal } from '@preact/signals';
import {
  kindOfRole,
  resolveDevice,
  sinkIdOf,
  type AudioDeviceEntry,
  type AudioRole,
} from '@/lib/phone/audio-device-choice';
import type { ToneOutput } from '@/lib/phone/tone-player';
import { AudioSettingsSchema, DEFAULT_AUDIO_SETTINGS, type AudioSettings } from '@/lib/settings/settings-schema';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/** Where the audio settings live (the settings item in production, a fake in tests). */
export interface AudioSettingsStore {
  load(): Promise<AudioSettings>;
  save(audio: AudioSettings): Promise<void>;
  /** Calls back when the stored settings change elsewhere; returns an unsubscribe function. */
  watch(callback: () => void): () => void;
}

/** The microphone processing switches. */
export type ProcessingFlag = 'echoCancellation' | 'noiseSuppression' | 'autoGainControl';

/** A sound the page plays to try the outputs: a short beep, or a few seconds of the ringtone. */
export type PreviewSound = 'test' | 'ring';

export interface AudioDevicesModelDeps {
  /** `navigator.mediaDevices`; absent on a page that has none. */
  mediaDevices: Pick<MediaDevices, 'enumerateDevices' | 'addEventListener' | 'removeEventListener'> | undefined;
  store: AudioSettingsStore;
  /** Plays `sound` on `output`; resolves when it has finished. */
  playSound(sound: PreviewSound, output: ToneOutput): Promise<void>;
  /**
   * Whether this browser can send sound to a chosen device: call audio (media elements) and tones
   * (Web Audio). Where it cannot, the default output plays and the page says so.
   */
  outputSupport: { speaker: boolean; ringer: boolean };
}

/** What the section is doing right now, for its status line. */
export type AudioActivity =
  | { state: 'idle' }
  | { state: 'saved' }
  | { state: 'failed'; message: string }
  | { state: 'playing'; role: 'speaker' | 'ringer' };

export interface AudioDevicesModel {
  /** The settings as chosen on the page (shown at once). */
  readonly settings: ReadonlySignal<AudioSettings>;
  /** The settings as last stored (a choice is saved a moment after it is made). */
  readonly saved: ReadonlySignal<AudioSettings>;
  readonly devices: ReadonlySignal<AudioDeviceEntry[]>;
  /** The browser hides device names (and ids) until the microphone is allowed. */
  readonly labelsHidden: ReadonlySignal<boolean>;
  readonly activity: ReadonlySignal<AudioActivity>;
  readonly outputSupport: { speaker: boolean; ringer: boolean };
  /** Whether this page can list devices at all. */
  readonly available: boolean;
  /** Loads the settings, lists the devices, and follows both. */
  start(): Promise<void>;
  /** Lists the devices again (after the microphone grant, or `devicechange`). */
  refresh(): Promise<void>;
  /** Chooses a device for a role by id; `''` goes back to the system default. */
  choose(role: AudioRole, deviceId: string): Promise<void>;
  setRingVolume(volume: number): Promise<void>;
  setProcessing(flag: ProcessingFlag, on: boolean): Promise<void>;
  /** A short tone on the chosen speaker, then on the chosen ringer. */
  test(): Promise<void>;
  /** The ringtone at the ring volume on the chosen ringer, for a few seconds. */
  previewRing(): Promise<void>;
  dispose(): void;
}

/**
 * The options page's Audio section. Like the click-to-call switches, each choice is saved at once:
 * the engine applies it to live calls too, and "Test" should play what is saved.
 */
export function createAudioDevicesModel(deps: AudioDevicesModelDeps): AudioDevicesModel {
  const settings = signal<AudioSettings>(DEFAULT_AUDIO_SETTINGS);
  const saved = signal<AudioSettings>(DEFAULT_AUDIO_SETTINGS);
  const devices = signal<AudioDeviceEntry[]>([]);
  const activity = signal<AudioActivity>({ state: 'idle' });
  const labelsHidden = computed(() => {
    const inputs = devices.value.filter((device) => device.kind === 'audioinput');
    return inputs.length === 0 || inputs.some((device) => device.label === '');
  });
  let unwatch: (() => void) | undefined;
  const onDeviceChange = (): void => void refresh();

  async function refresh(): Promise<void> {
    if (!deps.mediaDevices) return;
    try {
      const list = await deps.mediaDevices.enumerateDevices();
      devices.value = list.map(({ deviceId, kind, label }) => ({ deviceId, kind, label }));
    } catch (error) {
      log.warn('devices cannot be listed', error);
    }
  }

  async function update(change: (current: AudioSettings) => AudioSettings): Promise<void> {
    const next = AudioSettingsSchema.parse(change(settings.value));
    settings.value = next;
    try {
      await deps.store.save(next);
      saved.value = next;
      activity.value = { state: 'saved' };
    } catch (error) {
      log.error('audio settings not saved', error);
      activity.value = { state: 'failed', message: error instanceof Error ? error.message : String(error) };
      settings.value = saved.value = await deps.store.load();
    }
  }

  function outputFor(role: 'speaker' | 'ringer'): ToneOutput {
    const resolution = resolveDevice(settings.value[role], devices.value, 'audiooutput');
    const supported = role === 'speaker' ? deps.outputSupport.speaker : deps.outputSupport.ringer;
    return {
      sinkId: supported ? sinkIdOf(resolution) : '',
      volume: role === 'ringer' ? settings.value.ringVolume / 100 : 1,
    };
  }

  async function play(role: 'speaker' | 'ringer', sound: PreviewSound): Promise<void> {
    activity.value = { state: 'playing', role };
    try {
      await deps.playSound(sound, outputFor(role));
    } catch (error) {
      log.warn(`the ${role} could not play`, error);
      activity.value = { state: 'failed', message: error instanceof Error ? error.message : String(error) };
      return;
    }
    activity.value = { state: 'idle' };
  }

  const busy = (): boolean => activity.value.state === 'playing';

  return {
    settings,
    saved,
    devices,
    labelsHidden,
    activity,
    outputSupport: deps.outputSupport,
    available: deps.mediaDevices !== undefined,

    async start() {
      settings.value = saved.value = await deps.store.load();
      unwatch = deps.store.watch(() => {
        void deps.store.load().then((value) => {
          settings.value = saved.value = value;
        });
      });
      deps.mediaDevices?.addEventListener('devicechange', onDeviceChange);
      await refresh();
    },

    refresh,

    choose(role, deviceId) {
      return update((current) => {
        if (deviceId === '') {
          const { [role]: _dropped, ...rest } = current;
          return rest;
        }
        const device = devices.value.find((entry) => entry.deviceId === deviceId && entry.kind === kindOfRole(role));
        // Picking the remembered device that is not connected keeps its remembered label.
        const label = device?.label || (current[role]?.deviceId === deviceId ? current[role].label : '');
        return { ...current, [role]: { deviceId, label } };
      });
    },

    setRingVolume(volume) {
      return update((current) => ({ ...current, ringVolume: Math.round(Math.min(100, Math.max(0, volume))) }));
    },

    setProcessing(flag, on) {
      return update((current) => ({ ...current, [flag]: on }));
    },

    async test() {
      if (busy()) return;
      await play('speaker', 'test');
      if (activity.value.state === 'failed') return;
      await play('ringer', 'test');
    },

    async previewRing() {
      if (busy()) return;
      await play('ringer', 'ring');
    },

    dispose() {
      unwatch?.();
      unwatch = undefined;
      deps.mediaDevices?.removeEventListener('devicechange', onDeviceChange);
    },
  };
}
