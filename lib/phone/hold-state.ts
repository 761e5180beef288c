import { StateMachine } from '@/lib/phone/state-machine';

/**
 * Hold state of an established call (ours, not the far end's).
 *
 * ```
 *  Active ──hold()──► Holding ──2xx to re-INVITE──► Held
 *    ▲                   │                            │
 *    │◄──── refused ─────┘                       resume()
 *    │                                                ▼
 *    └──────────── 2xx to re-INVITE ◄──────────── Resuming ──refused──► Held
 * ```
 * Holding offers `a=sendonly` (or `inactive` when the far end already holds us), RFC 3264 §8.4;
 * resuming offers `sendrecv` again. A refused re-INVITE leaves the media as it was (RFC 3261 §14.1),
 * so the state goes back.
 */
export enum HoldState {
  Active = 'active',
  Holding = 'holding',
  Held = 'held',
  Resuming = 'resuming',
}

const H = HoldState;

/** The legal moves of {@link HoldState}. */
export const HOLD_TRANSITIONS: Readonly<Record<HoldState, readonly HoldState[]>> = {
  [H.Active]: [H.Holding],
  [H.Holding]: [H.Held, H.Active],
  [H.Held]: [H.Resuming],
  [H.Resuming]: [H.Active, H.Held],
};

/** Creates a hold state machine for a call that just got established. */
export function createHoldMachine(): StateMachine<HoldState> {
  return new StateMachine('Hold', H.Active, HOLD_TRANSITIONS);
}
