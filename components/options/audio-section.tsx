import { useState } from 'preact/hooks';
import { tOptions } from '@/lib/i18n/options-messages';
import { audioDeviceSelect, type AudioDeviceOption } from '@/lib/options/audio-device-options';
import type { AudioDevicesModel, ProcessingFlag } from '@/lib/options/audio-devices-model';
import type { AudioRole } from '@/lib/phone/audio-device-choice';

const ROLES: readonly AudioRole[] = ['microphone', 'speaker', 'ringer'];
const PROCESSING: readonly ProcessingFlag[] = ['echoCancellation', 'noiseSuppression', 'autoGainControl'];

/** What a device's entry says: its name (or "Microphone 2"), and "(not connected)" when it is not. */
function optionText(role: AudioRole, option: AudioDeviceOption): string {
  const name = option.label || tOptions(`audio.unnamed.${role}`, { number: option.position });
  return option.status === 'missing' ? tOptions('audio.notConnected', { device: name }) : name;
}

/**
 * Microphone, speaker and ringer; the test tone; the ring volume with a preview; the microphone
 * processing switches. Each change is saved at once (see `audio-devices-model.ts`).
 */
export function AudioSection({ model }: { model: AudioDevicesModel }) {
  const settings = model.settings.value;
  const saved = model.saved.value;
  const devices = model.devices.value;
  const activity = model.activity.value;
  const playing = activity.state === 'playing';
  // The slider shows where it is while dragged; the volume is saved when it is let go.
  const [dragVolume, setDragVolume] = useState<number | undefined>(undefined);
  const volume = dragVolume ?? settings.ringVolume;
  const outputLocked = (role: AudioRole): boolean =>
    (role === 'speaker' && !model.outputSupport.speaker) || (role === 'ringer' && !model.outputSupport.ringer);

  return (
    <section class="section" aria-labelledby="section-audio" data-testid="audio-section">
      <h2 id="section-audio">{tOptions('section.audio')}</h2>
      <p>{tOptions('audio.explain')}</p>
      {!model.available && <p class="hint">{tOptions('audio.noDevices')}</p>}
      {model.available && model.labelsHidden.value && (
        <p class="warning" data-testid="audio-labels-hidden">
          {tOptions('audio.labelsHidden')}
        </p>
      )}
      {ROLES.map((role) => {
        const { options, selected } = audioDeviceSelect(role, devices, settings[role]);
        const id = `audio-${role}`;
        return (
          <div class="field" key={role}>
            <label for={id}>{tOptions(`audio.${role}`)}</label>
            <select
              id={id}
              data-testid={id}
              value={outputLocked(role) ? '' : selected}
              data-saved={saved[role]?.deviceId ?? ''}
              disabled={outputLocked(role)}
              onChange={(event) => void model.choose(role, event.currentTarget.value)}
            >
              <option value="">{tOptions('audio.systemDefault')}</option>
              {options.map((option) => (
                <option key={option.value} value={option.value} data-status={option.status}>
                  {optionText(role, option)}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      {!model.outputSupport.speaker && (
        <p class="hint" data-testid="audio-outputs-unsupported">
          {tOptions('audio.outputsUnsupported')}
        </p>
      )}
      {model.outputSupport.speaker && !model.outputSupport.ringer && (
        <p class="hint" data-testid="audio-ringer-unsupported">
          {tOptions('audio.ringerUnsupported')}
        </p>
      )}
      <div class="row">
        <button
          type="button"
          class="secondary"
          data-testid="audio-test"
          aria-describedby="audio-test-hint"
          disabled={playing}
          onClick={() => void model.test()}
        >
          {tOptions('audio.test')}
        </button>
        <span class="hint" id="audio-test-hint">
          {tOptions('audio.testHint')}
        </span>
      </div>

      <div class="field">
        <label for="audio-ring-volume">{tOptions('audio.ringVolume')}</label>
        <div class="control-row">
          <input
            id="audio-ring-volume"
            data-testid="audio-ring-volume"
            type="range"
            min={0}
            max={100}
            step={1}
            value={volume}
            aria-valuetext={`${volume} %`}
            onInput={(event) => setDragVolume(Number(event.currentTarget.value))}
            onChange={(event) => {
              setDragVolume(undefined);
              void model.setRingVolume(Number(event.currentTarget.value));
            }}
          />
          <output for="audio-ring-volume" data-testid="audio-ring-volume-value">
            {volume} %
          </output>
          <button
            type="button"
            class="secondary"
            data-testid="audio-ring-preview"
            disabled={playing}
            onClick={() => void model.previewRing()}
          >
            {tOptions('audio.ringPreview')}
          </button>
        </div>
      </div>

      <fieldset class="stack">
        <legend>{tOptions('audio.processing')}</legend>
        {PROCESSING.map((flag) => (
          <label class="check" key={flag}>
            <input
              type="checkbox"
              data-testid={`audio-${flag}`}
              checked={settings[flag]}
              data-saved={String(saved[flag])}
              onChange={(event) => void model.setProcessing(flag, event.currentTarget.checked)}
            />
            {tOptions(`audio.${flag}`)}
          </label>
        ))}
      </fieldset>

      <p class="save-status" data-testid="audio-status" data-state={activity.state} role="status" aria-live="polite">
        {activity.state === 'saved' && tOptions('audio.saved')}
        {activity.state === 'playing' && tOptions(`audio.playing.${activity.role}`)}
        {activity.state === 'failed' && tOptions('audio.failed', { message: activity.message })}
      </p>
    </section>
  );
}
