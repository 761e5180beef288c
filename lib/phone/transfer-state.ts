import { StateMachine } from '@/lib/phone/state-machine';

/**
 * State of a transfer of one call (the agent is the transferor, RFC 5589).
 *
 * ```
 *          blind: REFER to the target
 *   Idle ───────────────────────────────────────────► Referring ──NOTIFY 2xx──► Done
 *    │ ▲                                               ▲     │
 *    │ └─ cancel: consult call hung up,                │     ├─ blind: REFER refused, NOTIFY 3xx-6xx,
 *    │    caller resumed                               │     │  no outcome in time ──────► Failed
 *    ▼                 complete: REFER with Replaces   │     │
 *   Consulting ────────────────────────────────────────┘     └─ ask first: the same ──► Consulting
 *    │
 *    └─ the target does not answer, refuses or hangs up; caller resumed ──────────────► Failed
 *
 *   Failed ──► Referring | Consulting   (the call with the caller goes on; the agent may try again)
 * ```
 * `Done` is final: the agent's calls end as "transferred". "Ask first" puts the caller on hold and
 * dials the target as a second, linked call; when completing it fails, the agent is still talking to
 * the target with the caller on hold, so the machine returns to `Consulting` (complete again, or
 * cancel). The consult call itself is an ordinary call; this machine only tracks what the agent is
 * doing with the caller's call.
 */
export enum TransferState {
  Idle = 'idle',
  Consulting = 'consulting',
  Referring = 'referring',
  Done = 'done',
  Failed = 'failed',
}

const T = TransferState;

/** The legal moves of {@link TransferState}. */
export const TRANSFER_TRANSITIONS: Readonly<Record<TransferState, readonly TransferState[]>> = {
  [T.Idle]: [T.Referring, T.Consulting],
  [T.Consulting]: [T.Referring, T.Idle, T.Failed],
  [T.Referring]: [T.Done, T.Failed, T.Consulting],
  [T.Done]: [],
  [T.Failed]: [T.Referring, T.Consulting],
};

/** Creates a transfer state machine in `Idle`. */
export function createTransferMachine(): StateMachine<TransferState> {
  return new StateMachine('Transfer', T.Idle, TRANSFER_TRANSITIONS);
}
