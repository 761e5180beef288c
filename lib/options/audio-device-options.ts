import {
  isPseudoDevice,
  kindOfRole,
  resolveDevice,
  type AudioDeviceEntry,
  type AudioRole,
} from '@/lib/phone/audio-device-choice';
import type { AudioDeviceChoice } from '@/lib/settings/settings-schema';

/** One device in a role's select ("System default" comes first and is not one of these). */
export interface AudioDeviceOption {
  /** The device id (the select's value). */
  value: string;
  /** The device's label; `''` when the browser hides it (no microphone grant yet). */
  label: string;
  /** 1-based position among the role's devices, to name an unlabelled one ("Microphone 2"). */
  position: number;
  /**
   * `missing`: the remembered device is not plugged in now ("(not connected)"); `unknown`: the
   * browser hides the devices (no microphone grant), so nobody can tell.
   */
  status: 'connected' | 'missing' | 'unknown';
}

/** What a role's select lists and which entry it shows. */
export interface AudioDeviceSelect {
  options: AudioDeviceOption[];
  /** The selected value; `''` is "System default". */
  selected: string;
}

/**
 * The entries of a role's select: the devices present (without Chromium's `default` and
 * `communications` pseudo-devices, which "System default" stands for), then the remembered choice
 * when it is not connected, so the page can still name it. The selection follows
 * {@link resolveDevice}: a device found again under a new id by its label is shown selected.
 */
export function audioDeviceSelect(
  role: AudioRole,
  devices: readonly AudioDeviceEntry[],
  choice: AudioDeviceChoice | undefined,
): AudioDeviceSelect {
  const kind = kindOfRole(role);
  const present = devices.filter(
    (device) => device.kind === kind && device.deviceId !== '' && !isPseudoDevice(device.deviceId),
  );
  const options: AudioDeviceOption[] = present.map((device, index) => ({
    value: device.deviceId,
    label: device.label,
    position: index + 1,
    status: 'connected',
  }));
  if (!choice) return { options, selected: '' };
  const resolution = resolveDevice(choice, devices, kind);
  if (resolution.deviceId !== undefined && options.some((option) => option.value === resolution.deviceId)) {
    return { options, selected: resolution.deviceId };
  }
  // Not connected, or the browser hides the ids (no grant): keep the remembered one on show.
  options.push({
    value: choice.deviceId,
    label: choice.label,
    position: options.length + 1,
    status: resolution.missing ? 'missing' : 'unknown',
  });
  return { options, selected: choice.deviceId };
}
