import type { CallOutcome } from '@/lib/db/call-record';
import { CallEndReason } from '@/lib/phone/call-state';

/** SIP codes of a busy far end: 486 Busy Here, 600 Busy Everywhere (RFC 3261 §21.4.24, §21.6.1). */
const BUSY_CODES = new Set([486, 600]);
/** 603 Decline (RFC 3261 §21.6.2): the far end refused the call. */
const DECLINE_CODE = 603;

/** What history needs to know about how a call ended. */
export interface CallEnding {
  direction: 'inbound' | 'outbound';
  answered: boolean;
  endReason?: CallEndReason | undefined;
  sipCode?: number | undefined;
  /** The engine refused the call by itself (Do not disturb): the caller still tried to reach us. */
  refused?: boolean | undefined;
}

/**
 * The outcome of a finished call (see `CallOutcomeSchema` for the meanings). Never `interrupted`:
 * only crash recovery decides that.
 */
export function deriveOutcome({ direction, answered, endReason, sipCode, refused }: CallEnding): CallOutcome {
  if (answered) return 'answered';
  if (direction === 'inbound') {
    // Refused under Do not disturb: nobody declined it by hand, the agent missed it.
    if (refused) return 'missed';
    switch (endReason) {
      case CallEndReason.Declined:
      case CallEndReason.LocalHangup:
        return 'declined';
      case undefined:
      case CallEndReason.CallerCancelled:
      case CallEndReason.RemoteHangup:
      // It rang here and the connection dropped before anyone answered: the caller still needs
      // a call back, so it counts as missed rather than as a technical failure.
      case CallEndReason.ConnectionLost:
        return 'missed';
      default:
        return 'failed';
    }
  }
  switch (endReason) {
    case CallEndReason.Cancelled:
    case CallEndReason.LocalHangup:
      return 'cancelled';
    case CallEndReason.Declined:
      return 'declined';
    default:
      if (sipCode !== undefined && BUSY_CODES.has(sipCode)) return 'busy';
      if (sipCode === DECLINE_CODE) return 'declined';
      return 'failed';
  }
}

/** Who ended the call: this agent (`local`), the far end or its network (`remote`), or neither (a failure). */
export function hangupSide(endReason: CallEndReason | undefined): 'local' | 'remote' | undefined {
  switch (endReason) {
    case CallEndReason.LocalHangup:
    case CallEndReason.Cancelled:
    case CallEndReason.Declined:
    // The agent handed the caller on (and sent the BYE, or the target did on its behalf).
    case CallEndReason.Transferred:
      return 'local';
    case CallEndReason.RemoteHangup:
    case CallEndReason.CallerCancelled:
    case CallEndReason.Rejected:
      return 'remote';
    default:
      return undefined;
  }
}
