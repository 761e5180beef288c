/**
 * Choosing the output device of a sound (Audio Output Devices API, `setSinkId`).
 *
 * Chromium has `setSinkId` on media elements and, since 110, on `AudioContext`; Firefox has it on
 * media elements only from 116 on, and older or restricted browsers have neither. Where it is
 * missing, sound plays on the default output.
 * https://www.w3.org/TR/audio-output/ · https://webaudio.github.io/web-audio-api/#dom-audiocontext-setsinkid
 */

/** An `AudioContext` where `setSinkId` exists (not yet in TypeScript's DOM types). */
export interface SinkableAudioContext extends AudioContext {
  readonly sinkId: string;
  setSinkId(sinkId: string): Promise<void>;
}

/** How Web Audio can reach a chosen output here: the context itself, through an `<audio>`, or not at all. */
export type ContextSinkSupport = 'context' | 'element' | 'none';

/** Whether media elements can be sent to a chosen output. */
export function elementSinkSupported(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** How generated sound (tones) can reach a chosen output; see {@link ContextSinkSupport}. */
export function contextSinkSupport(): ContextSinkSupport {
  if (typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype) return 'context';
  return elementSinkSupported() ? 'element' : 'none';
}

/** Whether an `AudioContext` can change its output itself. */
export function isSinkableContext(context: AudioContext): context is SinkableAudioContext {
  return 'setSinkId' in context;
}
