import type { CallMedia } from '@/lib/phone/call-media';

/** Two short 1400 Hz beeps, the usual "this call is recorded" signal; times in seconds. */
const BEEPS: readonly { at: number; length: number }[] = [
  { at: 0.05, length: 0.18 },
  { at: 0.38, length: 0.18 },
];
const FREQUENCY_HZ = 1400;
const GAIN = 0.25;

/**
 * Plays the recording notice to both parties. The far end hears it because, for its length, the
 * call sends a mix of the microphone and the tone instead of the microphone
 * (`RTCRtpSender.replaceTrack`, no renegotiation); the agent hears the same tone locally.
 *
 * Mute is respected: a muted microphone is a disabled track, which the mix hears as silence, so the
 * far end hears the notice but not the agent. A mute pressed during the beep reaches only the mix's
 * track (SIP.js mutes the sender's current track), so the microphone track is given the mute state
 * of the moment before it goes back on the line.
 */
export async function playRecordingNotice(media: CallMedia, muted: () => boolean): Promise<void> {
  const sender = media.peerConnection.getSenders().find((candidate) => candidate.track?.kind === 'audio');
  const microphone = sender?.track;
  if (!sender || !microphone) return;
  const context = new AudioContext();
  try {
    await context.resume();
    const line = context.createMediaStreamDestination();
    line.channelCount = 1;
    context.createMediaStreamSource(new MediaStream([microphone])).connect(line);
    const tone = context.createOscillator();
    tone.frequency.value = FREQUENCY_HZ;
    const envelope = context.createGain();
    envelope.gain.value = 0;
    tone.connect(envelope);
    envelope.connect(line);
    envelope.connect(context.destination);
    const start = context.currentTime;
    for (const beep of BEEPS) {
      envelope.gain.setValueAtTime(GAIN, start + beep.at);
      envelope.gain.setValueAtTime(0, start + beep.at + beep.length);
    }
    const last = BEEPS[BEEPS.length - 1]!;
    const ended = new Promise<void>((resolve) => tone.addEventListener('ended', () => resolve(), { once: true }));
    tone.start(start);
    tone.stop(start + last.at + last.length + 0.05);
    const mixed = line.stream.getAudioTracks()[0]!;
    await sender.replaceTrack(mixed);
    await ended;
    microphone.enabled = !muted();
    if (sender.track === mixed) await sender.replaceTrack(microphone);
    mixed.stop();
  } finally {
    void context.close().catch(() => undefined);
  }
}
