import { StateMachine } from '@/lib/phone/state-machine';

/**
 * Recovery of one established call whose signalling connection or media path was lost.
 *
 * ```
 *              transport lost                      registered again
 *   Steady ──────────────────► AwaitingTransport ──────────────────► Renegotiating (re-INVITE, ICE restart)
 *    │  ▲                          │        ▲                            │   │   │
 *    │  │                          │        └───── transport lost again ─┘   │   │
 *    │  └───────── 2xx, or a refusal that keeps the dialog (RFC 3261 §14.1) ─┘   │
 *    │                             │ grace period over                          │ 408, 481, no answer;
 *    │ media stalled               ▼                                            │ a media restart refused
 *    └─────────────► Renegotiating  Lost ◄──────────────────────────────────────┘
 * ```
 * `Steady` → `Lost` directly: the media stalled again after its one ICE restart. `Steady` is a
 * healthy call; `AwaitingTransport` and `Renegotiating` show as "Reconnecting…"; `Lost` is final:
 * the call ends with the reason "connection lost".
 */
export enum RecoveryState {
  Steady = 'steady',
  AwaitingTransport = 'awaiting-transport',
  Renegotiating = 'renegotiating',
  Lost = 'lost',
}

const R = RecoveryState;

/** The legal moves of {@link RecoveryState}. */
export const RECOVERY_TRANSITIONS: Readonly<Record<RecoveryState, readonly RecoveryState[]>> = {
  [R.Steady]: [R.AwaitingTransport, R.Renegotiating, R.Lost],
  [R.AwaitingTransport]: [R.Renegotiating, R.Lost],
  [R.Renegotiating]: [R.Steady, R.AwaitingTransport, R.Lost],
  [R.Lost]: [],
};

/** Creates a recovery state machine starting at `Steady`. */
export function createRecoveryMachine(): StateMachine<RecoveryState> {
  return new StateMachine('Recovery', R.Steady, RECOVERY_TRANSITIONS);
}
