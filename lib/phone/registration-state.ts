import { StateMachine } from '@/lib/phone/state-machine';

/**
 * Registration state of one SIP account.
 *
 * ```
 *            start()                transport up           200 OK
 *   Idle ────────────► Connecting ───────────────► Registering ─────────► Registered
 *    ▲                  │    ▲                        │     ▲                 │
 *    │                  │    │ backoff timer fires    │     │ refresh         │ transport lost,
 *    │                  │    │                        │     └─────────────────┤ refresh rejected
 *    │   fail           ▼    │                        │ 401/403, 5xx, timeout  ▼
 *    │  (unreachable) Waiting ◄───────────────────────┴───────────────────  Waiting
 *    │                  │
 *    │                  └─ wrong credentials ─► Failed (no automatic retry: it would only be refused again)
 *    │
 *    └──── stop() from any state ◄── Unregistering
 * ```
 * `Waiting` means a retry is scheduled with capped exponential backoff; `Failed` waits for the user
 * (new settings or "Retry").
 */
export enum RegistrationState {
  Idle = 'idle',
  Connecting = 'connecting',
  Registering = 'registering',
  Registered = 'registered',
  Waiting = 'waiting',
  Failed = 'failed',
  Unregistering = 'unregistering',
}

const S = RegistrationState;

/** The legal moves of {@link RegistrationState}. */
export const REGISTRATION_TRANSITIONS: Readonly<Record<RegistrationState, readonly RegistrationState[]>> = {
  [S.Idle]: [S.Connecting],
  [S.Connecting]: [S.Registering, S.Waiting, S.Failed, S.Unregistering, S.Idle],
  [S.Registering]: [S.Registered, S.Waiting, S.Failed, S.Unregistering, S.Idle],
  [S.Registered]: [S.Registering, S.Waiting, S.Failed, S.Unregistering, S.Idle],
  [S.Waiting]: [S.Connecting, S.Registering, S.Failed, S.Unregistering, S.Idle],
  [S.Failed]: [S.Connecting, S.Unregistering, S.Idle],
  [S.Unregistering]: [S.Idle],
};

/** Creates a registration state machine starting at `Idle`. */
export function createRegistrationMachine(): StateMachine<RegistrationState> {
  return new StateMachine('Registration', S.Idle, REGISTRATION_TRANSITIONS);
}
