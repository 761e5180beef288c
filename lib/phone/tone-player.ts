/**
 * Call-progress tones synthesized with Web Audio, so no audio files ship and nothing is fetched.
 *
 * Ring-back follows the caller's country (ITU-T E.180): 425 Hz 1 s on / 4 s off in Russia and most of
 * Europe; 440+480 Hz 2 s on / 4 s off in North America. The ringtone is a two-tone warble, 1 s on /
 * 2 s off, clearly different from ring-back. The call-waiting tone is a single short beep every 10 s.
 */
export interface Cadence {
  /** Tones mixed together (ring-back), or the two ends of a warble (ringtone). */
  frequencies: number[];
  onMs: number;
  offMs: number;
  gain: number;
  /** Alternates between two frequencies at this rate (Hz) instead of mixing them. */
  warbleHz?: number;
}

const NORTH_AMERICA = new Set(['US', 'CA', 'PR', 'DO', 'JM', 'TT', 'BS', 'BB']);

/** The ring-back cadence for a country code. */
export function ringbackCadence(region: string): Cadence {
  return NORTH_AMERICA.has(region.toUpperCase())
    ? { frequencies: [440, 480], onMs: 2000, offMs: 4000, gain: 0.08 }
    : { frequencies: [425], onMs: 1000, offMs: 4000, gain: 0.1 };
}

/**
 * The call-waiting tone (ITU-T E.180 style): a short 440 Hz beep every 10 s, quiet, heard in
 * the earpiece over the call in progress rather than rung out loud.
 */
export const CALL_WAITING_CADENCE: Cadence = { frequencies: [440], onMs: 300, offMs: 9700, gain: 0.08 };

export const RINGTONE_CADENCE: Cadence = {
  frequencies: [1000, 1250],
  onMs: 1000,
  offMs: 2000,
  gain: 0.15,
  warbleHz: 20,
};

/** Plays one tone at a time through an AudioContext created on first use. */
export class TonePlayer {
  private context: AudioContext | undefined;
  private stopCurrent: (() => void) | undefined;

  play(cadence: Cadence): void {
    this.stop();
    const context = (this.context ??= new AudioContext());
    void context.resume();
    const output = context.createGain();
    output.gain.value = 0;
    output.connect(context.destination);
    const sources: OscillatorNode[] = [];
    const [low = 440, high = low] = cadence.frequencies;
    if (cadence.warbleHz) {
      // A square-wave LFO swings one oscillator between the two frequencies: the classic warble.
      const carrier = context.createOscillator();
      carrier.frequency.value = (low + high) / 2;
      const lfo = context.createOscillator();
      lfo.type = 'square';
      lfo.frequency.value = cadence.warbleHz;
      const depth = context.createGain();
      depth.gain.value = (high - low) / 2;
      lfo.connect(depth).connect(carrier.frequency);
      carrier.connect(output);
      sources.push(carrier, lfo);
    } else {
      const mix = context.createGain();
      mix.gain.value = 1 / cadence.frequencies.length;
      mix.connect(output);
      for (const frequency of cadence.frequencies) {
        const oscillator = context.createOscillator();
        oscillator.frequency.value = frequency;
        oscillator.connect(mix);
        sources.push(oscillator);
      }
    }
    for (const source of sources) source.start();

    const period = (cadence.onMs + cadence.offMs) / 1000;
    let scheduledUntil = context.currentTime;
    const schedule = (): void => {
      // Keep ~10 s of the on/off envelope scheduled ahead of the audio clock.
      while (scheduledUntil < context.currentTime + 10) {
        output.gain.setValueAtTime(cadence.gain, scheduledUntil);
        output.gain.setValueAtTime(0, scheduledUntil + cadence.onMs / 1000);
        scheduledUntil += period;
      }
    };
    schedule();
    const timer = setInterval(schedule, 5000);
    this.stopCurrent = () => {
      clearInterval(timer);
      output.gain.cancelScheduledValues(0);
      output.gain.value = 0;
      for (const source of sources) source.stop();
      output.disconnect();
    };
  }

  stop(): void {
    this.stopCurrent?.();
    this.stopCurrent = undefined;
  }
}
