import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEVICE_LIST_TIMEOUT_MS, type AudioRouteChange, type MediaDevicesLike } from '@/lib/phone/audio-router';
import { BrowserMediaHost } from '@/lib/phone/browser-media-host';
import { DEFAULT_AUDIO_SETTINGS, type AudioSettings } from '@/lib/settings/settings-schema';
import { setLogLevel } from '@/lib/util/logger';

interface Device {
  deviceId: string;
  kind: MediaDeviceKind;
  label: string;
}

const BUILTIN_MIC: Device = { deviceId: 'builtin-mic', kind: 'audioinput', label: 'Built-in Microphone' };
const HEADSET_MIC: Device = { deviceId: 'headset-mic', kind: 'audioinput', label: 'USB Headset' };
const BUILTIN_OUT: Device = { deviceId: 'builtin-out', kind: 'audiooutput', label: 'Built-in Speakers' };
const HEADSET_OUT: Device = { deviceId: 'headset-out', kind: 'audiooutput', label: 'USB Headset' };

/**
 * `navigator.mediaDevices` of a desk where devices can be plugged and unplugged: `enumerateDevices`
 * lists what is plugged in, `devicechange` fires on every change, and `getUserMedia` refuses an
 * `exact` device that is not there (OverconstrainedError), as browsers do.
 */
class FakeMediaDevices implements MediaDevicesLike {
  plugged: Device[];
  readonly opened: MediaStreamConstraints[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(devices: Device[]) {
    this.plugged = [...devices];
  }

  async enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return this.plugged.map((device) => ({ ...device, groupId: '', toJSON: () => device })) as MediaDeviceInfo[];
  }

  async getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
    this.opened.push(constraints ?? {});
    const audio = constraints?.audio as MediaTrackConstraints;
    const exact = (audio.deviceId as { exact?: string } | undefined)?.exact;
    if (exact !== undefined && !this.plugged.some((device) => device.deviceId === exact)) {
      throw Object.assign(new Error('no such device'), { name: 'OverconstrainedError' });
    }
    return { id: `stream-${this.opened.length}` } as MediaStream;
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    if (type === 'devicechange') this.listeners.add(listener as () => void);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    if (type === 'devicechange') this.listeners.delete(listener as () => void);
  }

  unplug(device: Device): void {
    this.plugged = this.plugged.filter((candidate) => candidate.deviceId !== device.deviceId);
    for (const listener of this.listeners) listener();
  }

  plug(device: Device): void {
    this.plugged.push(device);
    for (const listener of this.listeners) listener();
  }

  /** The deviceId the last getUserMedia asked for exactly (undefined: the default). */
  lastExact(): string | undefined {
    const audio = this.opened.at(-1)?.audio as MediaTrackConstraints;
    return (audio.deviceId as { exact?: string } | undefined)?.exact;
  }
}

const HEADSET: AudioSettings = {
  ...DEFAULT_AUDIO_SETTINGS,
  microphone: { deviceId: HEADSET_MIC.deviceId, label: HEADSET_MIC.label },
  speaker: { deviceId: HEADSET_OUT.deviceId, label: HEADSET_OUT.label },
  ringer: { deviceId: BUILTIN_OUT.deviceId, label: BUILTIN_OUT.label },
};

/** Lets the host's device list reads (promises) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('BrowserMediaHost with audio devices', () => {
  let devices: FakeMediaDevices;
  let host: BrowserMediaHost;
  let changes: AudioRouteChange[];

  beforeEach(async () => {
    setLogLevel('error');
    devices = new FakeMediaDevices([BUILTIN_MIC, HEADSET_MIC, BUILTIN_OUT, HEADSET_OUT]);
    host = new BrowserMediaHost({ mediaDevices: devices });
    changes = [];
    host.onAudioRouteChange((change) => changes.push(change));
    await settle();
  });

  afterEach(() => {
    setLogLevel('info');
  });

  it('opens the chosen microphone exactly, with the processing flags', async () => {
    host.setAudioSettings({ ...HEADSET, echoCancellation: false, autoGainControl: false });
    await host.openMicrophone();
    expect(devices.opened.at(-1)).toEqual({
      audio: { deviceId: { exact: 'headset-mic' }, echoCancellation: false, noiseSuppression: true, autoGainControl: false },
      video: false,
    });
    expect(host.audioFallback()).toEqual({});
  });

  it('opens the default microphone when the remembered headset is not plugged in, and says so', async () => {
    devices.unplug(HEADSET_MIC);
    devices.unplug(HEADSET_OUT);
    await settle();
    host.setAudioSettings(HEADSET);
    await host.openMicrophone();
    expect(devices.lastExact()).toBeUndefined();
    expect(host.audioFallback()).toEqual({ microphone: 'USB Headset', speaker: 'USB Headset' });
  });

  it('never fails a call for a device that vanished after the last list: it retries the default', async () => {
    host.setAudioSettings(HEADSET);
    await settle();
    // Unplugged without a devicechange reaching the page yet (the list still has it).
    devices.plugged = devices.plugged.filter((device) => device !== HEADSET_MIC);
    vi.spyOn(devices, 'enumerateDevices').mockResolvedValueOnce(
      [BUILTIN_MIC, HEADSET_MIC, BUILTIN_OUT, HEADSET_OUT] as unknown as MediaDeviceInfo[],
    );
    await expect(host.openMicrophone()).resolves.toBeDefined();
    expect(devices.opened.map((c) => (c.audio as MediaTrackConstraints).deviceId)).toEqual([
      { exact: 'headset-mic' },
      undefined,
    ]);
  });

  it('headset unplugged mid-call: tells the engine to switch to the default microphone, and back when it returns', async () => {
    host.setAudioSettings(HEADSET);
    await settle();
    changes.length = 0;

    devices.unplug(HEADSET_MIC);
    await settle();
    expect(changes).toEqual([{ microphone: true, outputs: false }]);
    expect(host.audioFallback()).toEqual({ microphone: 'USB Headset' });
    await host.openMicrophone();
    expect(devices.lastExact()).toBeUndefined();

    devices.plug(HEADSET_MIC);
    await settle();
    expect(changes).toEqual([
      { microphone: true, outputs: false },
      { microphone: true, outputs: false },
    ]);
    expect(host.audioFallback()).toEqual({});
    await host.openMicrophone();
    expect(devices.lastExact()).toBe('headset-mic');
  });

  it('a vanished speaker falls back to the default output without touching the microphone', async () => {
    host.setAudioSettings(HEADSET);
    await settle();
    changes.length = 0;
    devices.unplug(HEADSET_OUT);
    await settle();
    expect(changes).toEqual([{ microphone: false, outputs: true }]);
    expect(host.audioFallback()).toEqual({ speaker: 'USB Headset' });
  });

  it('a device that is not in use coming or going changes nothing', async () => {
    host.setAudioSettings(HEADSET);
    await settle();
    changes.length = 0;
    devices.plug({ deviceId: 'webcam-mic', kind: 'audioinput', label: 'Webcam' });
    await settle();
    expect(changes).toEqual([]);
  });

  it.each<[string, Partial<AudioSettings>, AudioRouteChange]>([
    ['another microphone chosen', { microphone: { deviceId: BUILTIN_MIC.deviceId, label: BUILTIN_MIC.label } }, { microphone: true, outputs: false }],
    ['echo cancellation turned off', { echoCancellation: false }, { microphone: true, outputs: false }],
    ['the ring volume changed', { ringVolume: 30 }, { microphone: false, outputs: true }],
    ['another ringer chosen', { ringer: { deviceId: HEADSET_OUT.deviceId, label: HEADSET_OUT.label } }, { microphone: false, outputs: true }],
  ])('settings change — %s — applies to live calls', async (_name, patch, expected) => {
    host.setAudioSettings(HEADSET);
    await settle();
    changes.length = 0;
    host.setAudioSettings({ ...HEADSET, ...patch });
    expect(changes[0]).toEqual(expected);
  });

  it('stops following devices when disposed of', async () => {
    host.setAudioSettings(HEADSET);
    await settle();
    changes.length = 0;
    host.dispose();
    devices.unplug(HEADSET_MIC);
    await settle();
    expect(changes).toEqual([]);
  });
});

describe('BrowserMediaHost where the device list never comes (Firefox background page)', () => {
  afterEach(() => {
    vi.useRealTimers();
    setLogLevel('info');
  });

  it('opens the default microphone for a call without waiting for a device list that never settles', async () => {
    setLogLevel('error');
    vi.useFakeTimers();
    const devices = new FakeMediaDevices([BUILTIN_MIC]);
    // Firefox answers enumerateDevices() only in a focused document; its background page never is.
    const listing = vi.spyOn(devices, 'enumerateDevices').mockReturnValue(new Promise<MediaDeviceInfo[]>(() => undefined));
    const host = new BrowserMediaHost({ mediaDevices: devices });
    await vi.advanceTimersByTimeAsync(DEVICE_LIST_TIMEOUT_MS);

    // Each call opens the microphone at once: no second list is asked for while one is unanswered.
    await expect(host.openMicrophone()).resolves.toBeDefined();
    await expect(host.openMicrophone()).resolves.toBeDefined();
    expect(devices.opened).toHaveLength(2);
    expect(devices.lastExact()).toBeUndefined();
    expect(listing).toHaveBeenCalledTimes(1);
    host.dispose();
  });

  it('asks for the chosen headset by its id without a list, and falls back to the default only when it is not there', async () => {
    setLogLevel('error');
    vi.useFakeTimers();
    const devices = new FakeMediaDevices([BUILTIN_MIC, HEADSET_MIC]);
    vi.spyOn(devices, 'enumerateDevices').mockReturnValue(new Promise<MediaDeviceInfo[]>(() => undefined));
    const host = new BrowserMediaHost({ mediaDevices: devices });
    host.setAudioSettings(HEADSET);
    await vi.advanceTimersByTimeAsync(DEVICE_LIST_TIMEOUT_MS);

    await expect(host.openMicrophone()).resolves.toBeDefined();
    expect(devices.lastExact()).toBe('headset-mic');
    // No claim that the headset is missing: nobody could tell.
    expect(host.audioFallback()).toEqual({});

    devices.plugged = devices.plugged.filter((device) => device !== HEADSET_MIC);
    await expect(host.openMicrophone()).resolves.toBeDefined();
    expect(devices.opened.slice(-2).map((c) => (c.audio as MediaTrackConstraints).deviceId)).toEqual([
      { exact: 'headset-mic' },
      undefined,
    ]);
    host.dispose();
  });
});
