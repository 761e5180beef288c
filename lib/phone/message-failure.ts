import { z } from 'zod';
import { Exception } from '@/lib/util/exception';

/**
 * Why a SIP MESSAGE was not delivered, in categories the panel words (`lib/i18n/panel-messages.ts`).
 * The SIP status code behind it travels separately, as `detail`, for the curious.
 */
export const MessageFailureSchema = z.enum([
  /** Our own account is not registered, so nothing was sent. */
  'offline',
  /** The server knows no such user (404, 484, 604). */
  'not-found',
  /** The user exists but is not registered or not reachable now (480, 410). */
  'unavailable',
  /** The server refused to relay it for us (401, 403, 407 after our credentials). */
  'forbidden',
  /** No final answer in time (408, or SIP.js's own transaction timeout, which it reports as 408). */
  'timeout',
  /** The far end does not take text messages of this kind (415, 488, 606, 413). */
  'unsupported',
  /** The far end refused it (486, 600, 603 and other client errors). */
  'rejected',
  /** The server failed (5xx, including SIP.js's internal 503 for a transport error). */
  'server-error',
]);
export type MessageFailure = z.infer<typeof MessageFailureSchema>;

/**
 * The failure a final non-2xx answer to a MESSAGE stands for (RFC 3428 §7: the MESSAGE is answered
 * like any non-INVITE request; RFC 3261 §21 for the codes).
 */
export function classifyMessageResponse(statusCode: number): MessageFailure {
  switch (statusCode) {
    case 404:
    case 484:
    case 604:
      return 'not-found';
    case 410:
    case 480:
      return 'unavailable';
    case 401:
    case 403:
    case 407:
      return 'forbidden';
    case 408:
      return 'timeout';
    case 413:
    case 415:
    case 488:
    case 606:
      return 'unsupported';
    default:
      return statusCode >= 500 && statusCode < 600 ? 'server-error' : 'rejected';
  }
}

/** A MESSAGE that the server or the far end did not accept. */
export class MessageSendError extends Exception {
  constructor(
    readonly failure: MessageFailure,
    /** The SIP answer (`SIP 480 Temporarily Unavailable`) or why nothing was sent. */
    readonly detail: string,
    /** The Call-ID of the MESSAGE, when one was sent. */
    readonly messageId: string,
  ) {
    super(`message not delivered: ${failure} (${detail})`);
  }
}
