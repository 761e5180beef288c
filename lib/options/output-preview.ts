import type { PreviewSound } from '@/lib/options/audio-devices-model';
import { RINGTONE_CADENCE, TonePlayer, type Cadence, type ToneOutput } from '@/lib/phone/tone-player';

/** The test beep: one 660 Hz tone, short enough to play twice (speaker, then ringer) in a second and a half. */
const TEST_BEEP: Cadence = { frequencies: [660], onMs: 600, offMs: 60_000, gain: 0.2 };
const TEST_MS = 700;
/** One ring of the real ringtone (1 s on), at the ring volume. */
const RING_MS = 1200;

/**
 * Plays the options page's test sounds with the engine's own tone player, so what the agent hears
 * here (device, ringtone, volume) is what a call will do.
 */
export function createOutputPreview(): (sound: PreviewSound, output: ToneOutput) => Promise<void> {
  const player = new TonePlayer();
  return async (sound, output) => {
    player.setOutput(output);
    player.play(sound === 'test' ? TEST_BEEP : RINGTONE_CADENCE);
    await player.whenRouted();
    await new Promise((resolve) => setTimeout(resolve, sound === 'test' ? TEST_MS : RING_MS));
    player.stop();
  };
}
