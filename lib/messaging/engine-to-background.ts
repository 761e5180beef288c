import { z } from 'zod';
import { defineProtocol } from '@/lib/messaging/protocol';
import { PhoneSnapshotSchema } from '@/lib/phone/phone-snapshot';
import { ReceivedMessageSchema } from '@/lib/phone/text-message';

/** Phone engine → background: the engine announces itself and publishes every state change. */
export const EngineToBackground = defineProtocol('EngineToBackground', {
  /** A new engine started (e.g. the offscreen document was created) and waits for its accounts. */
  engineReady: { data: z.object({ engineId: z.string() }), result: z.null() },
  snapshotChanged: { data: z.object({ snapshot: PhoneSnapshotSchema }), result: z.null() },
  /** A text MESSAGE arrived and was accepted; the background journals it (once per `messageId`). */
  messageReceived: { data: ReceivedMessageSchema, result: z.null() },
});
