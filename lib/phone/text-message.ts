import { z } from 'zod';

/** Longest text the phone accepts in a received MESSAGE; longer ones are refused with 413. */
export const MAX_RECEIVED_MESSAGE_CHARS = 20_000;

/** Longest text the user may send in one MESSAGE. */
export const MAX_SENT_MESSAGE_CHARS = 1_000;

/**
 * A text MESSAGE (SMS or chat, RFC 3428) that arrived for one of the accounts, as the engine reports
 * it to the background. The body is untrusted text from the network: shown as text, never as HTML.
 */
export const ReceivedMessageSchema = z.object({
  accountId: z.string(),
  /** The MESSAGE's Call-ID: a retransmission or a re-delivery carries the same one. */
  messageId: z.string().min(1).max(300),
  /** The sender's SIP URI (From). */
  remoteUri: z.string().max(1000),
  /** The sender's user part, as the server presented it. */
  remoteNumber: z.string().max(300),
  /** The display name of From, when there is one. */
  remoteName: z.string().max(300).optional(),
  body: z.string().max(MAX_RECEIVED_MESSAGE_CHARS),
  /** As received, e.g. `text/plain;charset=UTF-8`. */
  contentType: z.string().max(200),
  /** When it arrived (epoch ms). */
  at: z.number(),
});
export type ReceivedMessage = z.infer<typeof ReceivedMessageSchema>;

/**
 * Whether a Content-Type names plain text the phone can read: `text/plain` without a charset or with
 * UTF-8 (or its subset US-ASCII). SIP over WebSocket travels in UTF-8 text frames (RFC 7118 §5.4), so
 * a body declared in another charset would be shown garbled; such a MESSAGE is refused instead.
 */
export function isReadableText(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'text/plain') return false;
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'us-ascii';
}
