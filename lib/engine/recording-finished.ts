import type { RecordingFinished } from '@/lib/messaging/engine-to-background';
import type { RecordedSegment } from '@/lib/phone/call-recorder';
import { blobToBase64 } from '@/lib/util/base64';

/** A finished segment as the `recordingFinished` message carries it (the audio as base64). */
export async function toRecordingFinished(segment: RecordedSegment): Promise<RecordingFinished> {
  return {
    callId: segment.callId,
    callStartedAt: segment.callStartedAt,
    startedAt: segment.startedAt,
    mimeType: segment.mimeType,
    durationMs: segment.durationMs,
    data: await blobToBase64(segment.audio),
  };
}
