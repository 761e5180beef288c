import { z } from 'zod';
import { MessageFailureSchema } from '@/lib/phone/message-failure';

/** A SIP MESSAGE (SMS or chat) sent or received, shown in the number's timeline (schema v2). */
export const MessageRecordSchema = z.object({
  /** Time-ordered by {@link at}. */
  id: z.string().min(1),
  /** The message's own id (e.g. its Call-ID), to drop a retransmission. */
  messageId: z.string(),
  accountId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  remoteUri: z.string(),
  remoteRaw: z.string(),
  remoteE164: z.string().optional(),
  numberKey: z.string(),
  body: z.string(),
  contentType: z.string(),
  at: z.number(),
  status: z.enum(['received', 'sent', 'failed']),
  /** Why a `failed` message was not delivered (not indexed: no schema change). */
  failure: MessageFailureSchema.optional(),
  /** The SIP answer behind `failure`, e.g. `SIP 480 Temporarily Unavailable`. */
  failureDetail: z.string().optional(),
  /** The sender's display name of a received message. */
  remoteName: z.string().optional(),
});
export type MessageRecord = z.infer<typeof MessageRecordSchema>;
