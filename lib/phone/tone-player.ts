import { contextSinkSupport, isSinkableContext } from '@/lib/phone/audio-sink';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('tones');

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

/** Where a {@link TonePlayer} plays. */
export interface ToneOutput {
  /** The output device; `''` is the default output. */
  sinkId: string;
  /** Multiplies every cadence's gain, 0–1 (the ring volume). */
  volume: number;
}

/**
 * Plays one tone at a time through an AudioContext created on first use, on a chosen output device:
 * the context's own `setSinkId` where it exists, else an `<audio>` element fed by the context (media
 * elements had `setSinkId` first), else the default output.
 */
export class TonePlayer {
  private context: AudioContext | undefined;
  /** Where the tones go: the context's destination, or the stream feeding {@link element}. */
  private destination: AudioNode | undefined;
  private element: HTMLAudioElement | undefined;
  private output: ToneOutput = { sinkId: '', volume: 1 };
  private current: Cadence | undefined;
  private stopCurrent: (() => void) | undefined;
  private routing: Promise<void> = Promise.resolve();

  /** Resolves once the last output change has reached the browser (a test sound waits for it). */
  whenRouted(): Promise<void> {
    return this.routing;
  }

  /** The output device in effect (`''`: the default), as the browser reports it. */
  get sinkId(): string {
    const context = this.context;
    if (context && isSinkableContext(context)) return typeof context.sinkId === 'string' ? context.sinkId : '';
    return this.element?.sinkId ?? '';
  }

  /** Changes the output device and volume; a tone that is playing moves and changes with them. */
  setOutput(output: ToneOutput): void {
    const previous = this.output;
    this.output = output;
    if (output.sinkId !== previous.sinkId) this.routing = this.applySink();
    if (output.volume !== previous.volume && this.current) this.play(this.current);
  }

  play(cadence: Cadence): void {
    this.stop();
    this.current = cadence;
    const context = this.ensureContext();
    void context.resume();
    const output = context.createGain();
    output.gain.value = 0;
    output.connect(this.destination!);
    const level = cadence.gain * Math.min(1, Math.max(0, this.output.volume));
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
        output.gain.setValueAtTime(level, scheduledUntil);
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
    this.current = undefined;
  }

  private ensureContext(): AudioContext {
    if (this.context) return this.context;
    const context = new AudioContext();
    this.context = context;
    if (contextSinkSupport() === 'element') {
      const stream = context.createMediaStreamDestination();
      this.element = new Audio();
      this.element.srcObject = stream.stream;
      this.element.play().catch((error: unknown) => log.warn('tone output did not start', error));
      this.destination = stream;
    } else {
      this.destination = context.destination;
    }
    this.routing = this.applySink();
    return context;
  }

  /** Sends the sound to {@link ToneOutput.sinkId}; a device that refuses leaves the default output. */
  private async applySink(): Promise<void> {
    const context = this.context;
    if (!context) return;
    const sinkId = this.output.sinkId;
    try {
      if (isSinkableContext(context)) {
        if (context.sinkId !== sinkId) await context.setSinkId(sinkId);
      } else if (this.element && this.element.sinkId !== sinkId) {
        await this.element.setSinkId(sinkId);
      }
    } catch (error) {
      // The device went away between the choice and now, or the browser refuses it.
      log.warn(`tones cannot play on output ${sinkId}; using the default output`, error);
      if (isSinkableContext(context)) await context.setSinkId('').catch(() => undefined);
      else await this.element?.setSinkId('').catch(() => undefined);
    }
  }
}
