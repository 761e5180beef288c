import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAudioDevicesModel, type AudioSettingsStore } from '@/lib/options/audio-devices-model';
import type { ToneOutput } from '@/lib/phone/tone-player';
import { DEFAULT_AUDIO_SETTINGS, type AudioSettings } from '@/lib/settings/settings-schema';
import { setLogLevel } from '@/lib/util/logger';

const DEVICES = [
  { deviceId: 'default', kind: 'audioinput', label: 'Default - Built-in Microphone' },
  { deviceId: 'builtin-mic', kind: 'audioinput', label: 'Built-in Microphone' },
  { deviceId: 'headset-mic', kind: 'audioinput', label: 'USB Headset' },
  { deviceId: 'builtin-out', kind: 'audiooutput', label: 'Built-in Speakers' },
  { deviceId: 'headset-out', kind: 'audiooutput', label: 'USB Headset' },
];
const HIDDEN = [
  { deviceId: '', kind: 'audioinput', label: '' },
  { deviceId: '', kind: 'audiooutput', label: '' },
];

function setup(options: { stored?: AudioSettings; devices?: typeof DEVICES; support?: { speaker: boolean; ringer: boolean } } = {}) {
  let stored = options.stored ?? DEFAULT_AUDIO_SETTINGS;
  const watchers = new Set<() => void>();
  const store: AudioSettingsStore = {
    load: vi.fn(async () => stored),
    save: vi.fn(async (audio: AudioSettings) => {
      stored = audio;
    }),
    watch: (callback) => {
      watchers.add(callback);
      return () => watchers.delete(callback);
    },
  };
  let list = options.devices ?? DEVICES;
  const deviceListeners = new Set<() => void>();
  const mediaDevices = {
    enumerateDevices: vi.fn(async () => list as unknown as MediaDeviceInfo[]),
    addEventListener: (_type: string, listener: () => void) => deviceListeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => deviceListeners.delete(listener),
  } as unknown as Pick<MediaDevices, 'enumerateDevices' | 'addEventListener' | 'removeEventListener'>;
  const played: [string, ToneOutput][] = [];
  const model = createAudioDevicesModel({
    mediaDevices,
    store,
    playSound: async (sound, output) => {
      played.push([sound, output]);
    },
    outputSupport: options.support ?? { speaker: true, ringer: true },
  });
  return {
    model,
    store,
    played,
    stored: () => stored,
    setDevices: (next: typeof DEVICES) => {
      list = next;
      for (const listener of deviceListeners) listener();
    },
    storeChangedElsewhere: (next: AudioSettings) => {
      stored = next;
      for (const watcher of watchers) watcher();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('AudioDevicesModel', () => {
  beforeEach(() => setLogLevel('error'));

  it('loads the saved choices and lists the devices', async () => {
    const { model } = setup({ stored: { ...DEFAULT_AUDIO_SETTINGS, ringVolume: 40 } });
    await model.start();
    expect(model.settings.value.ringVolume).toBe(40);
    expect(model.devices.value).toHaveLength(5);
    expect(model.labelsHidden.value).toBe(false);
  });

  it('says the names are hidden until the microphone is allowed, and lists again when asked', async () => {
    const { model, setDevices } = setup({ devices: HIDDEN });
    await model.start();
    expect(model.labelsHidden.value).toBe(true);
    setDevices(DEVICES);
    await settle();
    expect(model.labelsHidden.value).toBe(false);
  });

  it('saves a chosen device at once, with its label, and forgets it on "System default"', async () => {
    const { model, stored } = setup();
    await model.start();
    await model.choose('microphone', 'headset-mic');
    expect(stored().microphone).toEqual({ deviceId: 'headset-mic', label: 'USB Headset' });
    expect(model.saved.value.microphone).toEqual({ deviceId: 'headset-mic', label: 'USB Headset' });
    expect(model.activity.value).toEqual({ state: 'saved' });
    await model.choose('microphone', '');
    expect(stored().microphone).toBeUndefined();
  });

  it('keeps the remembered label when the unplugged device is picked again', async () => {
    const headset = { deviceId: 'gone', label: 'Old Headset' };
    const { model, stored } = setup({ stored: { ...DEFAULT_AUDIO_SETTINGS, ringer: headset } });
    await model.start();
    await model.choose('ringer', 'gone');
    expect(stored().ringer).toEqual(headset);
  });

  it('saves the ring volume (clamped) and the processing switches', async () => {
    const { model, stored } = setup();
    await model.start();
    await model.setRingVolume(140);
    await model.setProcessing('noiseSuppression', false);
    expect(stored()).toMatchObject({ ringVolume: 100, noiseSuppression: false, echoCancellation: true });
  });

  it('follows changes saved elsewhere (another options tab, an import)', async () => {
    const { model, storeChangedElsewhere } = setup();
    await model.start();
    storeChangedElsewhere({ ...DEFAULT_AUDIO_SETTINGS, autoGainControl: false });
    await settle();
    expect(model.settings.value.autoGainControl).toBe(false);
  });

  it('tests the speaker, then the ringer at the ring volume, on the chosen devices', async () => {
    const { model, played } = setup({
      stored: {
        ...DEFAULT_AUDIO_SETTINGS,
        speaker: { deviceId: 'headset-out', label: 'USB Headset' },
        ringer: { deviceId: 'builtin-out', label: 'Built-in Speakers' },
        ringVolume: 50,
      },
    });
    await model.start();
    await model.test();
    expect(played).toEqual([
      ['test', { sinkId: 'headset-out', volume: 1 }],
      ['test', { sinkId: 'builtin-out', volume: 0.5 }],
    ]);
    await model.previewRing();
    expect(played.at(-1)).toEqual(['ring', { sinkId: 'builtin-out', volume: 0.5 }]);
    expect(model.activity.value).toEqual({ state: 'idle' });
  });

  it.each([
    ['an unplugged speaker plays on the default output', { speaker: true, ringer: true }, { deviceId: 'gone', label: 'Old Headset' }],
    [
      'a browser without setSinkId plays on the default output',
      { speaker: false, ringer: false },
      { deviceId: 'headset-out', label: 'USB Headset' },
    ],
  ])('%s', async (_name, support, speaker) => {
    const { model, played } = setup({
      stored: { ...DEFAULT_AUDIO_SETTINGS, speaker },
      support,
    });
    await model.start();
    await model.test();
    expect(played[0]).toEqual(['test', { sinkId: '', volume: 1 }]);
  });

  it('reports a save that failed and shows what is stored', async () => {
    const { model, store } = setup();
    await model.start();
    vi.mocked(store.save).mockRejectedValueOnce(new Error('quota exceeded'));
    await model.choose('speaker', 'headset-out');
    expect(model.activity.value).toEqual({ state: 'failed', message: 'quota exceeded' });
    expect(model.settings.value.speaker).toBeUndefined();
  });
});
