import type { AudioDeviceChoice, AudioSettings } from '@/lib/settings/settings-schema';

/** The fields of a `MediaDeviceInfo` the choice needs (plain objects in tests). */
export interface AudioDeviceEntry {
  deviceId: string;
  kind: MediaDeviceKind;
  label: string;
}

/** Which of the three audio roles a device plays. */
export type AudioRole = 'microphone' | 'speaker' | 'ringer';

/** The `MediaDeviceInfo.kind` a role picks from. */
export function kindOfRole(role: AudioRole): 'audioinput' | 'audiooutput' {
  return role === 'microphone' ? 'audioinput' : 'audiooutput';
}

/**
 * Chromium's pseudo-devices: `default` follows the system default and `communications` the
 * Windows communications device. Both repeat a real device under another id; "System default"
 * (no choice at all) stands for them.
 */
export function isPseudoDevice(deviceId: string): boolean {
  return deviceId === 'default' || deviceId === 'communications';
}

/** Which device to use for a role, as worked out by {@link resolveDevice}. */
export interface DeviceResolution {
  /** The device to use; `undefined` means the system default. */
  deviceId: string | undefined;
  /** The remembered choice is not connected (the default is used instead). */
  missing?: AudioDeviceChoice;
}

/**
 * Which device to use, given the remembered `choice` and the devices present now.
 *
 * - no choice: the system default;
 * - the chosen id is present: that device;
 * - the id is gone but exactly one device of the kind has the remembered label: that device (ids
 *   change when the user clears the browser's site data, labels do not);
 * - otherwise the remembered device is not connected: the system default, and `missing` says so;
 * - the list has no ids at all (no microphone grant yet, so the browser hides them): nothing can
 *   be told about presence, and the system default is used without claiming anything is missing.
 */
export function resolveDevice(
  choice: AudioDeviceChoice | undefined,
  devices: readonly AudioDeviceEntry[],
  kind: 'audioinput' | 'audiooutput',
): DeviceResolution {
  if (!choice) return { deviceId: undefined };
  const ofKind = devices.filter((device) => device.kind === kind && device.deviceId !== '');
  if (ofKind.length === 0) return { deviceId: undefined };
  if (ofKind.some((device) => device.deviceId === choice.deviceId)) return { deviceId: choice.deviceId };
  if (choice.label !== '') {
    const sameLabel = ofKind.filter((device) => device.label === choice.label && !isPseudoDevice(device.deviceId));
    if (sameLabel.length === 1) return { deviceId: sameLabel[0]!.deviceId };
  }
  return { deviceId: undefined, missing: choice };
}

/** The device each role uses now. */
export interface AudioRoute {
  microphone: DeviceResolution;
  speaker: DeviceResolution;
  ringer: DeviceResolution;
}

/** Resolves all three roles at once. */
export function resolveAudioRoute(settings: AudioSettings, devices: readonly AudioDeviceEntry[]): AudioRoute {
  return {
    microphone: resolveDevice(settings.microphone, devices, 'audioinput'),
    speaker: resolveDevice(settings.speaker, devices, 'audiooutput'),
    ringer: resolveDevice(settings.ringer, devices, 'audiooutput'),
  };
}

/**
 * The `getUserMedia` audio constraints for a call: the resolved microphone as `exact` (only when it
 * is present, so a call never fails for want of an unplugged headset) and the processing flags.
 */
export function microphoneConstraints(
  settings: AudioSettings,
  microphone: DeviceResolution,
): MediaTrackConstraints {
  return {
    ...(microphone.deviceId !== undefined ? { deviceId: { exact: microphone.deviceId } } : {}),
    echoCancellation: settings.echoCancellation,
    noiseSuppression: settings.noiseSuppression,
    autoGainControl: settings.autoGainControl,
  };
}

/** The sink id for an output: `''` is the default output (`setSinkId('')`). */
export function sinkIdOf(resolution: DeviceResolution): string {
  return resolution.deviceId ?? '';
}
