import { describe, expect, it } from 'vitest';
import { audioDeviceSelect } from '@/lib/options/audio-device-options';
import {
  microphoneConstraints,
  resolveAudioRoute,
  resolveDevice,
  sinkIdOf,
  type AudioDeviceEntry,
} from '@/lib/phone/audio-device-choice';
import { DEFAULT_AUDIO_SETTINGS, type AudioDeviceChoice } from '@/lib/settings/settings-schema';

const input = (deviceId: string, label: string): AudioDeviceEntry => ({ deviceId, kind: 'audioinput', label });
const output = (deviceId: string, label: string): AudioDeviceEntry => ({ deviceId, kind: 'audiooutput', label });

/** What Chromium lists on a desk with a USB headset plugged in. */
const DESK: AudioDeviceEntry[] = [
  input('default', 'Default - Built-in Microphone'),
  input('builtin-mic', 'Built-in Microphone'),
  input('headset-mic', 'USB Headset'),
  output('default', 'Default - Built-in Speakers'),
  output('builtin-out', 'Built-in Speakers'),
  output('headset-out', 'USB Headset'),
];
/** The same desk with the headset unplugged. */
const UNPLUGGED = DESK.filter((device) => !device.deviceId.startsWith('headset'));
/** What Chromium lists before the microphone is allowed: one entry per kind, no ids, no labels. */
const HIDDEN: AudioDeviceEntry[] = [input('', ''), output('', '')];

const HEADSET_MIC: AudioDeviceChoice = { deviceId: 'headset-mic', label: 'USB Headset' };

describe('resolveDevice', () => {
  it.each<[string, AudioDeviceChoice | undefined, AudioDeviceEntry[], ReturnType<typeof resolveDevice>]>([
    ['no choice: the system default', undefined, DESK, { deviceId: undefined }],
    ['the chosen device is present', HEADSET_MIC, DESK, { deviceId: 'headset-mic' }],
    ['the chosen device is unplugged: default, and it is missing', HEADSET_MIC, UNPLUGGED, { deviceId: undefined, missing: HEADSET_MIC }],
    [
      'the id changed (site data cleared) but the label is there once: that device',
      { deviceId: 'old-id', label: 'USB Headset' },
      DESK,
      { deviceId: 'headset-mic' },
    ],
    [
      'an unknown id without a label: missing',
      { deviceId: 'old-id', label: '' },
      DESK,
      { deviceId: undefined, missing: { deviceId: 'old-id', label: '' } },
    ],
    [
      'two devices with the remembered label: no guess, missing',
      { deviceId: 'old-id', label: 'USB Headset' },
      [...DESK, input('second-headset', 'USB Headset')],
      { deviceId: undefined, missing: { deviceId: 'old-id', label: 'USB Headset' } },
    ],
    ['ids hidden (no grant): the default, nothing claimed missing', HEADSET_MIC, HIDDEN, { deviceId: undefined }],
    ['an empty list: the default, nothing claimed missing', HEADSET_MIC, [], { deviceId: undefined }],
    [
      'an output with the same id does not count as the microphone',
      HEADSET_MIC,
      [...UNPLUGGED, output('headset-mic', 'USB Headset')],
      { deviceId: undefined, missing: HEADSET_MIC },
    ],
  ])('%s', (_name, choice, devices, expected) => {
    expect(resolveDevice(choice, devices, 'audioinput')).toEqual(expected);
  });
});

describe('resolveAudioRoute', () => {
  it('resolves microphone, speaker and ringer each from their own kind', () => {
    const settings = {
      ...DEFAULT_AUDIO_SETTINGS,
      microphone: HEADSET_MIC,
      speaker: { deviceId: 'headset-out', label: 'USB Headset' },
      ringer: { deviceId: 'builtin-out', label: 'Built-in Speakers' },
    };
    expect(resolveAudioRoute(settings, DESK)).toEqual({
      microphone: { deviceId: 'headset-mic' },
      speaker: { deviceId: 'headset-out' },
      ringer: { deviceId: 'builtin-out' },
    });
    const unplugged = resolveAudioRoute(settings, UNPLUGGED);
    expect(unplugged.speaker).toEqual({ deviceId: undefined, missing: settings.speaker });
    expect(sinkIdOf(unplugged.speaker)).toBe('');
    expect(sinkIdOf(unplugged.ringer)).toBe('builtin-out');
  });
});

describe('microphoneConstraints', () => {
  it.each([
    ['a present device is asked for exactly', { deviceId: 'headset-mic' }, { deviceId: { exact: 'headset-mic' } }],
    ['the default has no deviceId at all', { deviceId: undefined }, {}],
    ['a missing device is not asked for', { deviceId: undefined, missing: HEADSET_MIC }, {}],
  ])('%s, with the processing flags', (_name, resolution, device) => {
    const settings = { ...DEFAULT_AUDIO_SETTINGS, echoCancellation: false, noiseSuppression: true, autoGainControl: false };
    expect(microphoneConstraints(settings, resolution)).toEqual({
      ...device,
      echoCancellation: false,
      noiseSuppression: true,
      autoGainControl: false,
    });
  });
});

describe('audioDeviceSelect', () => {
  it('lists the devices present without the default pseudo-device, and selects the default without a choice', () => {
    expect(audioDeviceSelect('microphone', DESK, undefined)).toEqual({
      selected: '',
      options: [
        { value: 'builtin-mic', label: 'Built-in Microphone', position: 1, status: 'connected' },
        { value: 'headset-mic', label: 'USB Headset', position: 2, status: 'connected' },
      ],
    });
  });

  it('selects the chosen device', () => {
    expect(audioDeviceSelect('microphone', DESK, HEADSET_MIC).selected).toBe('headset-mic');
  });

  it('keeps an unplugged choice on show, marked missing', () => {
    const { options, selected } = audioDeviceSelect('microphone', UNPLUGGED, HEADSET_MIC);
    expect(selected).toBe('headset-mic');
    expect(options.at(-1)).toEqual({ value: 'headset-mic', label: 'USB Headset', position: 2, status: 'missing' });
  });

  it('selects a device found again by its label under a new id', () => {
    expect(audioDeviceSelect('microphone', DESK, { deviceId: 'old-id', label: 'USB Headset' }).selected).toBe('headset-mic');
  });

  it('shows the choice as unknown while the browser hides the devices', () => {
    expect(audioDeviceSelect('speaker', HIDDEN, { deviceId: 'headset-out', label: 'USB Headset' })).toEqual({
      selected: 'headset-out',
      options: [{ value: 'headset-out', label: 'USB Headset', position: 1, status: 'unknown' }],
    });
  });

  it('lists outputs for the speaker and the ringer', () => {
    expect(audioDeviceSelect('ringer', DESK, undefined).options.map((o) => o.value)).toEqual(['builtin-out', 'headset-out']);
  });
});
