import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CallMedia, RecordedAudio } from '@/lib/phone/call-media';
import {
  CallRecorder,
  RecorderState,
  RecordingNotAllowedError,
  type RecordedCall,
  type RecordedSegment,
  type RecorderSettings,
} from '@/lib/phone/call-recorder';
import { IllegalTransitionError } from '@/lib/util/exception';
import { setLogLevel } from '@/lib/util/logger';

const T0 = 1_700_000_000_000;
const MEDIA = { local: {}, remote: {}, peerConnection: {} } as unknown as CallMedia;

/** A media host whose recordings are plain objects: each stop hands back `audio-<n>`. */
class FakeHost {
  readonly started: string[] = [];
  readonly notices: string[] = [];
  /** `prepare:<id>` / `release:<id>` in the order the recorder asked. */
  readonly preparations: string[] = [];
  stops = 0;
  refuse: Error | undefined;
  failStop: Error | undefined;
  /** The `muted` reader the last notice was given. */
  muted: (() => boolean) | undefined;

  startRecording = (callId: string, media: CallMedia) => {
    if (this.refuse) throw this.refuse;
    expect(media).toBe(MEDIA);
    this.started.push(callId);
    const n = this.started.length;
    return {
      stop: async (): Promise<RecordedAudio> => {
        this.stops += 1;
        if (this.failStop) throw this.failStop;
        return { mimeType: 'audio/webm;codecs=opus', audio: new Blob([`audio-${n}`]), durationMs: 1000 * n };
      },
    };
  };
  prepareRecording = (callId: string) => {
    this.preparations.push(`prepare:${callId}`);
  };
  releaseRecording = (callId: string) => {
    this.preparations.push(`release:${callId}`);
  };
  playRecordingNotice = async (callId: string, _media: CallMedia, muted: () => boolean) => {
    this.notices.push(callId);
    this.muted = muted;
  };
}

class FakeDelegate {
  changes = 0;
  readonly segments: RecordedSegment[] = [];
  readonly failures: string[] = [];
  onRecorderChange = () => {
    this.changes += 1;
  };
  onSegment = (segment: RecordedSegment) => {
    this.segments.push(segment);
  };
  onRecordingFailed = (_callId: string, message: string) => {
    this.failures.push(message);
  };
}

let host: FakeHost;
let delegate: FakeDelegate;
let now: number;
let call: RecordedCall & { muted: boolean; hasMedia: boolean };

function recorder(settings: RecorderSettings, maxSegmentMs?: number): CallRecorder {
  return new CallRecorder(call, settings, host, delegate, {
    now: () => now,
    ...(maxSegmentMs === undefined ? {} : { maxSegmentMs }),
  });
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  fakeBrowser.reset();
  setLogLevel('error');
  host = new FakeHost();
  delegate = new FakeDelegate();
  now = T0;
  call = {
    id: 'call-1',
    startedAt: T0 - 10_000,
    muted: false,
    hasMedia: true,
    callMedia() {
      return this.hasMedia ? MEDIA : undefined;
    },
  };
});

afterEach(() => {
  vi.useRealTimers();
  setLogLevel('info');
});

describe('CallRecorder', () => {
  it('never records under "off": Record is refused, answer and hang-up record nothing', async () => {
    const off = recorder({ policy: 'off', notice: true });
    off.answered();
    expect(() => off.start()).toThrow(RecordingNotAllowedError);
    off.end();
    await flush();
    expect([host.started, delegate.segments, delegate.failures]).toEqual([[], [], []]);
    expect(off.state).toBe(RecorderState.Ended);
    // Nothing is opened for a call that is never recorded.
    expect(host.preparations).toEqual([]);
  });

  it('asks the host to prepare when the call starts, before the answer, and to release once at the end', () => {
    const always = recorder({ policy: 'always', notice: false });
    expect(host.preparations).toEqual(['prepare:call-1']);
    always.answered();
    expect(host.started).toEqual(['call-1']);
    always.end();
    always.end();
    expect(host.preparations).toEqual(['prepare:call-1', 'release:call-1']);

    host.preparations.length = 0;
    const onDemand = recorder({ policy: 'on-demand', notice: false });
    onDemand.end();
    expect(host.preparations).toEqual(['prepare:call-1', 'release:call-1']);
  });

  it('records the whole call under "always", from answer to hang-up, as one segment', async () => {
    const always = recorder({ policy: 'always', notice: false });
    expect(always.recording).toBe(false);
    always.answered();
    expect(always.recording).toBe(true);
    expect(delegate.changes).toBe(1);
    // The agent cannot stop what the policy says is recorded.
    expect(() => always.stop()).toThrow(RecordingNotAllowedError);
    now = T0 + 65_000;
    always.end();
    await flush();
    expect(always.recording).toBe(false);
    expect(delegate.segments).toEqual([
      {
        callId: 'call-1',
        callStartedAt: T0 - 10_000,
        startedAt: T0,
        mimeType: 'audio/webm;codecs=opus',
        durationMs: 1000,
        audio: expect.any(Blob),
      },
    ]);
    expect(await delegate.segments[0]!.audio.text()).toBe('audio-1');
    expect(host.notices).toEqual([]);
  });

  it('records "on demand" only between Record and Stop, each piece its own segment', async () => {
    const onDemand = recorder({ policy: 'on-demand', notice: false });
    // Not before the answer.
    expect(() => onDemand.start()).toThrow(RecordingNotAllowedError);
    onDemand.answered();
    expect(onDemand.recording).toBe(false);
    onDemand.start();
    onDemand.start(); // a double click starts nothing more
    now = T0 + 5_000;
    onDemand.stop();
    onDemand.stop(); // neither does a double Stop
    onDemand.start();
    onDemand.end();
    await flush();
    expect(host.started).toEqual(['call-1', 'call-1']);
    expect(host.stops).toBe(2);
    expect(delegate.segments.map((s) => [s.startedAt, s.durationMs])).toEqual([
      [T0, 1000],
      [T0 + 5_000, 2000],
    ]);
    expect(() => onDemand.start()).toThrow(RecordingNotAllowedError);
  });

  it('plays the consent notice at every start when asked, reading mute at the time', () => {
    const noticed = recorder({ policy: 'on-demand', notice: true });
    noticed.answered();
    noticed.start();
    noticed.stop();
    noticed.start();
    expect(host.notices).toEqual(['call-1', 'call-1']);
    call.muted = true;
    expect(host.muted?.()).toBe(true);
  });

  it('reports a recorder the browser refuses, and stays able to try again', () => {
    host.refuse = new Error('MediaRecorder is not available');
    const always = recorder({ policy: 'always', notice: false });
    always.answered();
    expect(delegate.failures).toEqual(['MediaRecorder is not available']);
    expect(always.state).toBe(RecorderState.Idle);
    host.refuse = undefined;
    always.start();
    expect(always.recording).toBe(true);
  });

  it('reports audio lost when stopping, without a segment', async () => {
    host.failStop = new Error('encoder failed');
    const always = recorder({ policy: 'always', notice: false });
    always.answered();
    always.end();
    await flush();
    expect(delegate.segments).toEqual([]);
    expect(delegate.failures).toEqual(['encoder failed']);
  });

  it('refuses to record a call without media', () => {
    call.hasMedia = false;
    const onDemand = recorder({ policy: 'on-demand', notice: false });
    onDemand.answered();
    expect(() => onDemand.start()).toThrow(RecordingNotAllowedError);
    expect(onDemand.recording).toBe(false);
  });

  it('cuts a long recording into segments of the maximum length and carries on', async () => {
    vi.useFakeTimers();
    const always = recorder({ policy: 'always', notice: true }, 60_000);
    always.answered();
    now = T0 + 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(always.recording).toBe(true);
    now = T0 + 90_000;
    always.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(delegate.segments.map((s) => s.startedAt)).toEqual([T0, T0 + 60_000]);
    // One notice: the cut is not a new start for the people on the call.
    expect(host.notices).toEqual(['call-1']);
  });

  it('ends once; a state machine guards the moves', () => {
    const always = recorder({ policy: 'always', notice: false });
    always.end();
    always.end();
    always.answered();
    expect(always.state).toBe(RecorderState.Ended);
    expect(() => (always as unknown as { machine: { transition(s: RecorderState): void } }).machine.transition(RecorderState.Recording)).toThrow(
      IllegalTransitionError,
    );
  });
});
