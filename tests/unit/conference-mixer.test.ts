import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CallMedia } from '@/lib/phone/call-media';
import { ConferenceMixError, startConferenceMix, type MixingContext } from '@/lib/phone/conference-mixer';

beforeEach(() => {
  fakeBrowser.reset();
});

class FakeTrack {
  enabled = true;
  stopped = false;
  readonly kind = 'audio';
  constructor(readonly id: string) {}
  stop(): void {
    this.stopped = true;
  }
}

class FakeStream {
  constructor(
    readonly id: string,
    private readonly tracks: FakeTrack[],
  ) {}
  getAudioTracks(): FakeTrack[] {
    return this.tracks;
  }
}

/** An audio node that records what it is connected to, by label. */
class FakeNode {
  readonly outputs: FakeNode[] = [];
  disconnected = false;
  constructor(readonly label: string) {}
  connect<T extends FakeNode>(to: T): T {
    this.outputs.push(to);
    return to;
  }
  disconnect(): void {
    this.disconnected = true;
  }
}

class FakeGain extends FakeNode {
  readonly gain = { value: 1 };
}

class FakeDestination extends FakeNode {
  channelCount = 2;
  readonly stream: FakeStream;
  constructor(label: string) {
    super(label);
    this.stream = new FakeStream(`${label}-stream`, [new FakeTrack(`${label}-track`)]);
  }
}

/** The Web Audio graph, as far as the mixer builds it. */
class FakeContext {
  readonly nodes: FakeNode[] = [];
  resumed = false;
  closed = false;
  private count = 0;

  createMediaStreamSource(stream: FakeStream): FakeNode {
    return this.add(new FakeNode(`source(${stream.id})`));
  }
  createGain(): FakeGain {
    return this.add(new FakeGain(`gain${++this.count}`));
  }
  createMediaStreamDestination(): FakeDestination {
    return this.add(new FakeDestination(`out${++this.count}`));
  }
  async resume(): Promise<void> {
    this.resumed = true;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  private add<T extends FakeNode>(node: T): T {
    this.nodes.push(node);
    return node;
  }
}

class FakeSender {
  readonly replaced: string[] = [];
  failNext: Error | undefined;
  constructor(public track: FakeTrack | null) {}
  async replaceTrack(track: FakeTrack): Promise<void> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    this.replaced.push(track.id);
    this.track = track;
  }
}

/** A call's media: its microphone on its sender, and the far end's stream. */
function callMedia(name: string) {
  const microphone = new FakeTrack(`${name}-mic`);
  const sender = new FakeSender(microphone);
  const media = {
    local: new FakeStream(`${name}-local`, [microphone]),
    remote: new FakeStream(`${name}-remote`, [new FakeTrack(`${name}-voice`)]),
    peerConnection: { getSenders: () => [sender] },
  } as unknown as CallMedia;
  return { media, microphone, sender };
}

/** Where the audio of `from` ends up: the labels of the destinations it reaches. */
function reaches(from: FakeNode): string[] {
  return from.outputs.flatMap((node) => (node instanceof FakeDestination ? [node.label] : reaches(node)));
}

function setup() {
  const context = new FakeContext();
  const a = callMedia('a');
  const b = callMedia('b');
  const start = (muted = false) =>
    startConferenceMix(
      [
        { callId: 'A', media: a.media },
        { callId: 'B', media: b.media },
      ],
      muted,
      () => context as unknown as MixingContext,
    );
  const node = (label: string): FakeNode => context.nodes.find((candidate) => candidate.label === label)!;
  return { context, a, b, start, node };
}

describe('startConferenceMix', () => {
  it('sends each call the microphone and the other call’s voice, never its own', async () => {
    const { context, start, node, a, b } = setup();
    const mix = await start();
    const outA = a.sender.track!.id.replace('-track', '');
    const outB = b.sender.track!.id.replace('-track', '');
    expect(reaches(node('source(a-local)'))).toEqual([outA]);
    expect(reaches(node('source(b-local)'))).toEqual([outB]);
    expect(reaches(node('source(a-remote)'))).toEqual([outB]);
    expect(reaches(node('source(b-remote)'))).toEqual([outA]);
    expect(context.resumed).toBe(true);
    // Mono mixes, and nothing is played locally (the agent hears both calls through their own elements).
    for (const out of context.nodes.filter((n) => n instanceof FakeDestination)) expect((out as FakeDestination).channelCount).toBe(1);
    expect(mix.wiring()).toEqual({
      members: [
        { callId: 'A', sends: ['microphone', 'remote:B'], onLine: true },
        { callId: 'B', sends: ['microphone', 'remote:A'], onLine: true },
      ],
      muted: false,
    });
  });

  it('puts the mixes on the senders with replaceTrack (no renegotiation)', async () => {
    const { start, a, b } = setup();
    await start();
    expect(a.sender.replaced).toHaveLength(1);
    expect(b.sender.replaced).toHaveLength(1);
    expect(a.sender.track).not.toBe(a.microphone);
  });

  it('mutes the agent in both mixes with a gain of 0, keeping the mixed tracks on', async () => {
    const { context, start, a, b } = setup();
    const mix = await start();
    const micGains = (): number[] =>
      context.nodes.filter((n): n is FakeGain => n instanceof FakeGain).map((gain) => gain.gain.value);
    // The calls' own mute switched off whatever their senders carry: the mixes.
    a.sender.track!.enabled = false;
    b.sender.track!.enabled = false;
    mix.setMuted(true);
    expect(micGains()).toEqual([0, 0]);
    expect([a.sender.track!.enabled, b.sender.track!.enabled]).toEqual([true, true]);
    expect(mix.wiring().muted).toBe(true);
    mix.setMuted(false);
    expect(micGains()).toEqual([1, 1]);
  });

  it('starts muted when the call the agent talked on was muted', async () => {
    const { context, start } = setup();
    await start(true);
    expect(context.nodes.filter((n): n is FakeGain => n instanceof FakeGain).map((gain) => gain.gain.value)).toEqual([0, 0]);
  });

  it('stop() puts each microphone back, with the mute it should have, and releases the graph', async () => {
    const { context, start, a, b } = setup();
    const mix = await start();
    mix.setMuted(true);
    const mixedA = a.sender.track!;
    await mix.stop();
    expect(a.sender.track).toBe(a.microphone);
    expect(b.sender.track).toBe(b.microphone);
    expect([a.microphone.enabled, b.microphone.enabled]).toEqual([false, false]);
    expect(mixedA.stopped).toBe(true);
    expect(context.nodes.filter((n) => !(n instanceof FakeDestination)).every((n) => n.disconnected)).toBe(true);
    expect(context.closed).toBe(true);
    expect(mix.wiring().members.map((m) => m.onLine)).toEqual([false, false]);
    await mix.stop();
    expect(a.sender.replaced).toHaveLength(2);
  });

  it('leaves a sender alone at stop() when its call replaced the track since (or ended)', async () => {
    const { start, a, b } = setup();
    const mix = await start();
    const other = new FakeTrack('other');
    b.sender.track = other;
    await mix.stop();
    expect(b.sender.track).toBe(other);
    expect(a.sender.track).toBe(a.microphone);
  });

  it('refuses a call that sends no audio, before touching anything', async () => {
    const { context, start, a } = setup();
    a.sender.track = null;
    await expect(start()).rejects.toBeInstanceOf(ConferenceMixError);
    expect(context.nodes).toEqual([]);
  });

  it('puts everything back when the browser refuses a track, and says so', async () => {
    const { context, start, a, b } = setup();
    b.sender.failNext = new Error('InvalidStateError');
    await expect(start()).rejects.toThrow(/could not be put on the line: Error: InvalidStateError/);
    expect(a.sender.track).toBe(a.microphone);
    expect(b.sender.track).toBe(b.microphone);
    expect(context.closed).toBe(true);
  });
});
