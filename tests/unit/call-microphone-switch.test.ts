import { describe, expect, it, vi } from 'vitest';
import type { Invitation } from 'sip.js';
import { CallLine } from '@/lib/phone/call-line';
import type { MediaHost } from '@/lib/phone/media-host';

interface FakeTrack {
  kind: 'audio';
  label: string;
  enabled: boolean;
  stopped: boolean;
  stop(): void;
}

function track(label: string, enabled = true): FakeTrack {
  return {
    kind: 'audio',
    label,
    enabled,
    stopped: false,
    stop() {
      this.stopped = true;
    },
  };
}

function stream(...tracks: FakeTrack[]): MediaStream {
  return {
    getAudioTracks: () => tracks,
    getTracks: () => tracks,
  } as unknown as MediaStream;
}

/**
 * A call in progress as SIP.js's web session description handler holds it: a peer connection whose
 * audio sender carries the local track, and `setLocalMediaStream`, which replaces the sender's track
 * (RTCRtpSender.replaceTrack) and the local stream's.
 */
function callWithMedia(localTrack: FakeTrack) {
  const sender = { track: localTrack as FakeTrack | null };
  const local = { tracks: [localTrack] };
  const handler = {
    peerConnection: { getSenders: () => [sender] },
    localMediaStream: { getAudioTracks: () => local.tracks },
    enableSenderTracks: vi.fn((enable: boolean) => {
      if (sender.track) sender.track.enabled = enable;
    }),
    setLocalMediaStream: vi.fn(async (next: MediaStream) => {
      const replacement = next.getAudioTracks()[0] as unknown as FakeTrack;
      sender.track?.stop();
      sender.track = replacement;
      local.tracks = [replacement];
    }),
  };
  const invitation = {
    remoteIdentity: { displayName: 'Bob', uri: { user: '1002', toString: () => 'sip:1002@pbx.test' } },
    stateChange: { addListener: () => undefined },
    sessionDescriptionHandler: handler,
    delegate: undefined,
  } as unknown as Invitation;
  const media = {} as MediaHost;
  const call = CallLine.inbound('a1', invitation, { media, now: () => 0, delegate: { onCallChange: () => undefined } });
  return { call, sender, handler };
}

describe('CallLine.replaceMicrophone', () => {
  it('sends the new microphone in place of the old one, which is stopped', async () => {
    const old = track('USB Headset');
    const { call, sender } = callWithMedia(old);
    const next = track('Built-in Microphone');
    await call.replaceMicrophone(async () => stream(next));
    expect(sender.track).toBe(next);
    expect(next.enabled).toBe(true);
    expect(old.stopped).toBe(true);
  });

  it('keeps a muted call muted', async () => {
    const { call, sender } = callWithMedia(track('USB Headset'));
    call.setMute(true);
    const next = track('Built-in Microphone');
    await call.replaceMicrophone(async () => stream(next));
    expect(sender.track).toBe(next);
    expect(next.enabled).toBe(false);
    call.setMute(false);
    expect(next.enabled).toBe(true);
  });

  it('honours a mute pressed while the new microphone was opening', async () => {
    const { call } = callWithMedia(track('USB Headset'));
    const next = track('Built-in Microphone');
    let open!: (value: MediaStream) => void;
    const switching = call.replaceMicrophone(() => new Promise((resolve) => (open = resolve)));
    await Promise.resolve();
    call.setMute(true);
    open(stream(next));
    await switching;
    expect(next.enabled).toBe(false);
  });

  it('runs switches one after another, the last one wins', async () => {
    const { call, sender } = callWithMedia(track('USB Headset'));
    const first = track('Built-in Microphone');
    const second = track('USB Headset');
    await Promise.all([
      call.replaceMicrophone(async () => stream(first)),
      call.replaceMicrophone(async () => stream(second)),
    ]);
    expect(sender.track).toBe(second);
    expect(first.stopped).toBe(true);
  });

  it('opens nothing for a call without audio being sent yet', async () => {
    const { call, sender } = callWithMedia(track('USB Headset'));
    sender.track = null;
    const open = vi.fn(async () => stream(track('Built-in Microphone')));
    await call.replaceMicrophone(open);
    expect(open).not.toHaveBeenCalled();
  });
});
