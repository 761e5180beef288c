import { StateMachine } from '@/lib/phone/state-machine';

/**
 * State of one call, inbound or outbound.
 *
 * ```
 *  outbound:  Dialing ──180/183──► Ringing ──200──► Established ──hang up──► Ending ──► Ended
 *                │                   │                  │
 *                └────── 4xx-6xx, cancel, failure ──────┴──── BYE from far end ─────────► Ended
 *
 *  inbound:   Incoming ──answer()──► Answering ──ACK──► Established ──► Ending ──► Ended
 *                │                      │
 *                └─ decline, caller cancels, no answer ─┴── failure ──────────────────► Ended
 * ```
 * `Ended` is final; why it ended is kept beside the state as a {@link CallEndReason}.
 */
export enum CallState {
  Dialing = 'dialing',
  Ringing = 'ringing',
  Incoming = 'incoming',
  Answering = 'answering',
  Established = 'established',
  Ending = 'ending',
  Ended = 'ended',
}

const C = CallState;

/** The legal moves of {@link CallState}. */
export const CALL_TRANSITIONS: Readonly<Record<CallState, readonly CallState[]>> = {
  [C.Dialing]: [C.Ringing, C.Established, C.Ending, C.Ended],
  [C.Ringing]: [C.Established, C.Ending, C.Ended],
  [C.Incoming]: [C.Answering, C.Ending, C.Ended],
  [C.Answering]: [C.Established, C.Ending, C.Ended],
  [C.Established]: [C.Ending, C.Ended],
  [C.Ending]: [C.Ended],
  [C.Ended]: [],
};

/** Why a call ended, in terms the panel can explain. */
export enum CallEndReason {
  /** This agent hung up an established call. */
  LocalHangup = 'local-hangup',
  /** The far end hung up an established call. */
  RemoteHangup = 'remote-hangup',
  /** This agent cancelled an outbound call before it was answered. */
  Cancelled = 'cancelled',
  /** The caller gave up before this agent answered (a missed call). */
  CallerCancelled = 'caller-cancelled',
  /** This agent declined an inbound call. */
  Declined = 'declined',
  /** The far end or the server refused the outbound call (busy, not found, unavailable…). */
  Rejected = 'rejected',
  /** Media, transport or protocol failure. */
  Failed = 'failed',
  /**
   * The connection to the SIP server or the media path was lost and could not be restored in
   * time (or the far end no longer knew the call), so the call was ended here.
   */
  ConnectionLost = 'connection-lost',
  /** This agent transferred the call: the far end went on to talk to someone else (RFC 5589). */
  Transferred = 'transferred',
}

/** Creates a call state machine for an outbound (`Dialing`) or inbound (`Incoming`) call. */
export function createCallMachine(direction: 'outbound' | 'inbound'): StateMachine<CallState> {
  return new StateMachine('Call', direction === 'outbound' ? C.Dialing : C.Incoming, CALL_TRANSITIONS);
}
