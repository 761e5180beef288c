import { z } from 'zod';
import { defineProtocol } from '@/lib/messaging/protocol';
import { PhoneSnapshotSchema } from '@/lib/phone/phone-snapshot';
import { ReceivedMessageSchema } from '@/lib/phone/text-message';

/** The data of `recordingFinished`. */
export const RecordingFinishedSchema = z.object({
  /** The engine's call id. */
  callId: z.string().min(1),
  /** When the call started: with `callId`, the call's history id (`callRecordId`). */
  callStartedAt: z.number(),
  /** When this segment started. */
  startedAt: z.number(),
  mimeType: z.string().regex(/^audio\/[\w.+-]+(;.*)?$/).max(100),
  durationMs: z.number().nonnegative(),
  data: z.base64(),
});
export type RecordingFinished = z.infer<typeof RecordingFinishedSchema>;

/** Phone engine → background: the engine announces itself and publishes every state change. */
export const EngineToBackground = defineProtocol('EngineToBackground', {
  /** A new engine started (e.g. the offscreen document was created) and waits for its accounts. */
  engineReady: { data: z.object({ engineId: z.string() }), result: z.null() },
  snapshotChanged: { data: z.object({ snapshot: PhoneSnapshotSchema }), result: z.null() },
  /** A text MESSAGE arrived and was accepted; the background journals it (once per `messageId`). */
  messageReceived: { data: ReceivedMessageSchema, result: z.null() },
  /**
   * A piece of a call's recording is finished. Blobs do not survive runtime messaging (JSON), so
   * the audio travels as base64. Chrome caps a message at 64 MiB: the engine cuts segments at
   * 2 hours, ≈ 29 MB of 32 kbps Opus, ≈ 38 MB as base64.
   */
  recordingFinished: { data: RecordingFinishedSchema, result: z.null() },
  /** Recording of a call could not start, or its audio was lost. */
  recordingFailed: {
    data: z.object({ callId: z.string().min(1), message: z.string().max(1000) }),
    result: z.null(),
  },
});
