import { StateMachine } from '@/lib/phone/state-machine';

/**
 * The engine's 3-way conference: the agent and two calls, mixed in the engine.
 *
 * ```
 *  Idle ──merge()──► Merging ──held call resumed, mix on the line──► Mixed
 *   ▲                   │                                              │
 *   ├── resume refused, ┘                                     split(), │
 *   │   mixing failed                                  a member ends   ▼
 *   └────────────────────── plain microphone back on the line ◄── Splitting
 * ```
 * While `Mixed` each call sends the microphone plus the other call's voice, and the agent hears
 * both calls; mute silences the microphone in both mixes.
 */
export enum ConferenceState {
  Idle = 'idle',
  Merging = 'merging',
  Mixed = 'mixed',
  Splitting = 'splitting',
}

const S = ConferenceState;

/** The legal moves of {@link ConferenceState}. */
export const CONFERENCE_TRANSITIONS: Readonly<Record<ConferenceState, readonly ConferenceState[]>> = {
  [S.Idle]: [S.Merging],
  [S.Merging]: [S.Mixed, S.Idle],
  [S.Mixed]: [S.Splitting],
  [S.Splitting]: [S.Idle],
};

/** Creates a conference state machine, `Idle`. */
export function createConferenceMachine(): StateMachine<ConferenceState> {
  return new StateMachine('Conference', S.Idle, CONFERENCE_TRANSITIONS);
}
