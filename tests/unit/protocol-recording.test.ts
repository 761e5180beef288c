import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { TimelineEntrySchema } from '@/lib/history/history-row';
import { BackgroundToEngine } from '@/lib/messaging/background-to-engine';
import { EngineToBackground, RecordingFinishedSchema } from '@/lib/messaging/engine-to-background';
import { OptionsToBackground } from '@/lib/messaging/options-to-background';
import { PanelToBackground } from '@/lib/messaging/panel-to-background';
import { CallState } from '@/lib/phone/call-state';
import { CallSnapshotSchema } from '@/lib/phone/phone-snapshot';

beforeEach(() => {
  fakeBrowser.reset();
});

const FINISHED = {
  callId: 'call-1',
  callStartedAt: 1_700_000_000_000,
  startedAt: 1_700_000_005_000,
  mimeType: 'audio/webm;codecs=opus',
  durationMs: 3_375,
  data: btoa('audio bytes'),
};

describe('recording messages', () => {
  it('declares the recording methods on every boundary', () => {
    expect(Object.keys(EngineToBackground.methods)).toEqual(expect.arrayContaining(['recordingFinished', 'recordingFailed']));
    expect(Object.keys(BackgroundToEngine.methods)).toEqual(expect.arrayContaining(['startRecording', 'stopRecording']));
    expect(Object.keys(PanelToBackground.methods)).toEqual(
      expect.arrayContaining(['startRecording', 'stopRecording', 'getRecordingAudio', 'deleteRecording', 'clearRecordingError']),
    );
    expect(Object.keys(OptionsToBackground.methods)).toEqual(expect.arrayContaining(['getRecordingStorage']));
  });

  it('carries a finished segment with its audio as base64', () => {
    expect(RecordingFinishedSchema.parse(FINISHED)).toEqual(FINISHED);
  });

  it.each([
    ['audio that is not base64', { data: 'not base64!' }],
    ['a type that is not audio', { mimeType: 'text/html' }],
    ['a negative length', { durationMs: -1 }],
    ['no call', { callId: '' }],
  ])('refuses %s', (_what, change) => {
    expect(RecordingFinishedSchema.safeParse({ ...FINISHED, ...change }).success).toBe(false);
  });

  it('reads call snapshots of engines from before recording as not recorded', () => {
    const old = {
      id: 'c1',
      accountId: 'a1',
      direction: 'outbound',
      remoteUri: 'sip:1002@example.org',
      remoteNumber: '1002',
      state: CallState.Established,
      muted: false,
      startedAt: 1,
    };
    const parsed = CallSnapshotSchema.parse(old);
    expect(parsed.recording).toBeUndefined();
    expect(parsed.recordingPolicy).toBeUndefined();
    expect(CallSnapshotSchema.parse({ ...old, recording: true, recordingPolicy: 'on-demand' })).toMatchObject({
      recording: true,
      recordingPolicy: 'on-demand',
    });
    expect(CallSnapshotSchema.safeParse({ ...old, recordingPolicy: 'sometimes' }).success).toBe(false);
  });

  it('describes a recording in the timeline by its facts, without audio', () => {
    const entry = {
      kind: 'recording',
      id: '1700000005000-r1',
      at: 1_700_000_005_000,
      callId: '1700000000000-call-1',
      mimeType: 'audio/ogg;codecs=opus',
      durationMs: 3_375,
      size: 13_500,
    };
    expect(TimelineEntrySchema.parse(entry)).toEqual(entry);
    expect(TimelineEntrySchema.safeParse({ ...entry, size: -1 }).success).toBe(false);
  });
});
