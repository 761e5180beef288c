import type { CallMedia, RecordedAudio, RecordingHandle } from '@/lib/phone/call-media';
import { withWebmDuration } from '@/lib/phone/webm-duration';
import { Exception } from '@/lib/util/exception';

/** This browser cannot record Opus audio (no MediaRecorder, or neither container). */
export class RecordingUnsupportedError extends Exception {}

/** Speech in Opus is clear at 32 kbps mono: ≈ 14 MB an hour. */
export const RECORDING_BITS_PER_SECOND = 32_000;

/** How often MediaRecorder hands over what it has, so the audio sits in memory in small chunks. */
const TIMESLICE_MS = 1_000;

/**
 * Containers in order of preference. Chrome records Opus in WebM; Firefox prefers Ogg (both
 * browsers report what they support through `MediaRecorder.isTypeSupported`).
 */
export const OPUS_TYPES = {
  chrome: ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus'],
  firefox: ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus'],
} as const;

/** The first of `preferred` the browser can record, or `undefined`. */
export function pickRecordingType(
  preferred: readonly string[],
  isTypeSupported: (type: string) => boolean,
): string | undefined {
  return preferred.find((type) => isTypeSupported(type));
}

/** A context opened before the recording (when the call started), and what to call when done with it. */
export interface SharedMixContext {
  context: AudioContext;
  /** The recording no longer uses the context (its audio is out); called once. */
  done(): void;
}

/**
 * Records both sides of a call as one mono Opus track: the microphone and the far end's stream go
 * through one AudioContext into one MediaStreamDestination, which MediaRecorder encodes.
 *
 * The far end's stream must also be playing in a media element (`BrowserMediaHost` does that):
 * Chromium feeds a remote WebRTC stream to Web Audio only then (Chromium issue 933677).
 *
 * With `shared`, the mix runs in that context (opened when the call started, so already running)
 * and leaves it open; without, in a context of its own, closed at the end.
 */
export function startMixRecording(
  media: CallMedia,
  preferred: readonly string[],
  shared?: SharedMixContext,
): RecordingHandle {
  if (typeof MediaRecorder === 'undefined') throw new RecordingUnsupportedError('MediaRecorder is not available');
  const mimeType = pickRecordingType(preferred, (type) => MediaRecorder.isTypeSupported(type));
  if (!mimeType) throw new RecordingUnsupportedError(`none of ${preferred.join(', ')} can be recorded`);
  const context = shared?.context ?? new AudioContext();
  const mix = context.createMediaStreamDestination();
  mix.channelCount = 1;
  mix.channelCountMode = 'explicit';
  const sources = [media.local, media.remote]
    .filter((stream) => stream.getAudioTracks().length > 0)
    .map((stream) => context.createMediaStreamSource(stream));
  for (const source of sources) source.connect(mix);
  // Web Audio runs only on an audio output: Firefox on a machine without one (no sound server)
  // leaves the context suspended, and the recorder would encode silence for the whole call.
  let audioRan = context.state === 'running';
  const onStateChange = (): void => {
    if (context.state === 'running') audioRan = true;
  };
  context.addEventListener('statechange', onStateChange);
  void context.resume();
  const recorder = new MediaRecorder(mix.stream, { mimeType, audioBitsPerSecond: RECORDING_BITS_PER_SECOND });
  const chunks: Blob[] = [];
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  });
  let failure: unknown;
  recorder.addEventListener('error', (event) => {
    failure = (event as ErrorEvent).error ?? new Error('MediaRecorder failed');
  });
  const startedAt = performance.now();
  recorder.start(TIMESLICE_MS);

  const release = (): void => {
    context.removeEventListener('statechange', onStateChange);
    for (const source of sources) source.disconnect();
    if (shared) shared.done();
    else void context.close().catch(() => undefined);
  };
  return {
    stop: () =>
      new Promise<RecordedAudio>((resolve, reject) => {
        const durationMs = Math.round(performance.now() - startedAt);
        const finish = (): void => {
          release();
          if (!audioRan) {
            reject(new RecordingUnsupportedError('the browser did not start audio processing (no audio output?): only silence was recorded'));
            return;
          }
          if (failure !== undefined && chunks.length === 0) {
            reject(failure instanceof Error ? failure : new Error(String(failure)));
            return;
          }
          void finishedAudio(chunks, mimeType, durationMs).then(resolve, reject);
        };
        if (recorder.state === 'inactive') finish();
        else {
          // The last chunk arrives before `stop` fires.
          recorder.addEventListener('stop', finish, { once: true });
          recorder.stop();
        }
      }),
  };
}

async function finishedAudio(chunks: Blob[], mimeType: string, durationMs: number): Promise<RecordedAudio> {
  const raw = new Blob(chunks, { type: mimeType });
  if (!mimeType.startsWith('audio/webm')) return { mimeType, audio: raw, durationMs };
  const bytes = withWebmDuration(new Uint8Array(await raw.arrayBuffer()), durationMs);
  return { mimeType, audio: new Blob([bytes], { type: mimeType }), durationMs };
}
