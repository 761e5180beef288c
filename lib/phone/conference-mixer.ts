import type { CallMedia } from '@/lib/phone/call-media';
import { Exception } from '@/lib/util/exception';

/** A call taking part in the conference, with its media. */
export interface ConferenceMember {
  callId: string;
  media: CallMedia;
}

/** What each call of a conference sends, as wired (tests and diagnostics). */
export interface ConferenceWiring {
  members: {
    callId: string;
    /** The inputs of this call's outgoing mix: `microphone` and `remote:<other call id>`. */
    sends: string[];
    /** The mix, not the plain microphone, is the track on this call's sender. */
    onLine: boolean;
  }[];
  muted: boolean;
}

/** A conference being mixed (see {@link startConferenceMix}). */
export interface ConferenceMix {
  /** Silences (or restores) the agent's microphone in every call's mix. */
  setMuted(muted: boolean): void;
  /** Puts each call's own microphone back on its sender and releases the audio graph. */
  stop(): Promise<void>;
  wiring(): ConferenceWiring;
}

/** The conference could not be mixed (a call sends no audio, or the browser refused a track). */
export class ConferenceMixError extends Exception {}

/** The part of `AudioContext` the mixer uses (a fake one in unit tests). */
export type MixingContext = Pick<
  AudioContext,
  'createMediaStreamSource' | 'createMediaStreamDestination' | 'createGain' | 'resume' | 'close'
>;

interface Line {
  member: ConferenceMember;
  sender: RTCRtpSender;
  microphone: MediaStreamTrack;
  level: GainNode;
  out: MediaStreamAudioDestinationNode;
  mixed: MediaStreamTrack;
  sends: string[];
}

/**
 * Mixes a 3-way conference in the engine. Each call's outgoing audio becomes the agent's
 * microphone plus the other call's voice: one Web Audio graph, one `MediaStreamDestination` per
 * call whose track replaces the microphone on that call's `RTCRtpSender` (`replaceTrack`, no
 * renegotiation, RFC 3264 offers are not touched). The agent already hears both calls through
 * their own audio elements, so the graph does not play anything locally.
 *
 * The far ends' streams must be playing in media elements (`BrowserMediaHost` does that):
 * Chromium feeds a remote WebRTC stream to Web Audio only then (Chromium issue 933677).
 *
 * Mute is a gain of 0 on the microphone inputs; the mixed tracks themselves stay enabled, since a
 * disabled mixed track would also silence the other call's voice.
 */
export async function startConferenceMix(
  members: readonly ConferenceMember[],
  muted: boolean,
  createContext: () => MixingContext = () => new AudioContext(),
): Promise<ConferenceMix> {
  const senders = members.map((member) => {
    const sender = member.media.peerConnection.getSenders().find((candidate) => candidate.track?.kind === 'audio');
    if (!sender?.track) throw new ConferenceMixError(`call ${member.callId} sends no audio`);
    return { member, sender, microphone: sender.track };
  });
  const context = createContext();
  const sources: AudioNode[] = [];
  const lines: Line[] = senders.map(({ member, sender, microphone }) => {
    const source = context.createMediaStreamSource(member.media.local);
    const level = context.createGain();
    level.gain.value = muted ? 0 : 1;
    const out = context.createMediaStreamDestination();
    out.channelCount = 1;
    source.connect(level);
    level.connect(out);
    sources.push(source, level);
    const mixed = out.stream.getAudioTracks()[0];
    if (!mixed) throw new ConferenceMixError('the mix has no audio track');
    return { member, sender, microphone, level, out, mixed, sends: ['microphone'] };
  });
  for (const from of lines) {
    const voice = context.createMediaStreamSource(from.member.media.remote);
    sources.push(voice);
    for (const to of lines) {
      if (to === from) continue;
      voice.connect(to.out);
      to.sends.push(`remote:${from.member.callId}`);
    }
  }
  let isMuted = muted;
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    await Promise.all(
      lines.map(async (line) => {
        line.microphone.enabled = !isMuted;
        // A call that already ended has a closed peer connection: nothing to put back there.
        if (line.sender.track === line.mixed) await line.sender.replaceTrack(line.microphone).catch(() => undefined);
        line.mixed.stop();
      }),
    );
    for (const node of sources) node.disconnect();
    await context.close().catch(() => undefined);
  };
  try {
    await context.resume();
    for (const line of lines) line.microphone.enabled = true;
    await Promise.all(lines.map((line) => line.sender.replaceTrack(line.mixed)));
  } catch (error) {
    await release();
    throw new ConferenceMixError(`the mix could not be put on the line: ${String(error)}`);
  }
  return {
    setMuted(next) {
      isMuted = next;
      for (const line of lines) {
        line.level.gain.value = next ? 0 : 1;
        line.mixed.enabled = true;
      }
    },
    stop: release,
    wiring: () => ({
      members: lines.map((line) => ({
        callId: line.member.callId,
        sends: [...line.sends],
        onLine: line.sender.track === line.mixed,
      })),
      muted: isMuted,
    }),
  };
}
