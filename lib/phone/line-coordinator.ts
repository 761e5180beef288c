import { CallState } from '@/lib/phone/call-state';
import { HoldState } from '@/lib/phone/hold-state';
import { Exception } from '@/lib/util/exception';

/**
 * What a call is to the agent among the calls on the phone. Worked out from each call's own state
 * (its {@link CallState}, our {@link HoldState}, conference membership) by {@link lineRoles}:
 *
 * ```
 *  inbound:   Ringing ─┐ (nothing else up)              ┌──────── hold ───────┐
 *             Waiting ─┴─ answer ─► Connecting ─► Active ◄──── resume/swap ─── Held
 *  outbound:  Connecting (dialling, ringing out) ───────┘ │                     │
 *                                                         └─ merge ─► Conference ◄┘ (both)
 *  any ──── hang up / far end ends ────► Ending
 * ```
 * The rules the engine keeps with them ({@link planMove}, {@link admitIncoming}):
 * - **at most one Active call**: answering, resuming or dialling while another call is Active
 *   holds that call first (and waits for the hold); only a conference has two talking calls, and
 *   then every established call is in it;
 * - **at most two calls** (not counting calls already ending): a third incoming call is refused
 *   with 486 Busy Here, a third outbound call is not placed;
 * - **one call in set-up at a time**: while a call is Connecting, nothing else can be answered or
 *   resumed (a call that is not established yet cannot be held; hang it up instead);
 * - an incoming call while another call is up (Connecting, Active, Held, Conference) is
 *   **Waiting**: it gets the call-waiting tone instead of the ringtone.
 *
 * One exception: a far end may refuse to be held. Answering then still goes ahead (the caller
 * should not be kept ringing), and the call that refused is muted instead — see the engine.
 */
export enum LineRole {
  /** Inbound, ringing, and nothing else is up: the ringtone plays. */
  Ringing = 'ringing',
  /** Inbound, ringing while another call is up: the call-waiting tone plays. */
  Waiting = 'waiting',
  /** Being set up: an outbound call dialling or ringing out, or an inbound one being answered. */
  Connecting = 'connecting',
  /** Established and not held: the agent talks to it. */
  Active = 'active',
  /** Established and held by us (also while the hold or the resume is on its way). */
  Held = 'held',
  /** Established and mixed with the other call in a 3-way conference. */
  Conference = 'conference',
  /** Hanging up, or ended. */
  Ending = 'ending',
}

/** What the rules need to know about one call (a `CallSnapshot` has all of it). */
export interface LineCall {
  id: string;
  state: CallState;
  /** Our hold; absent before the call is established. */
  hold?: HoldState | undefined;
  /** Member of the engine's conference. */
  conference?: boolean | undefined;
  /** The far end plays its own ring-back or announcements (183 with SDP). */
  earlyMedia?: boolean | undefined;
}

/** The most calls the phone carries at once (call waiting, or one held and one active). */
export const MAX_CALLS = 2;

/** The role of one call, not looking at the others except to tell Ringing from Waiting. */
function roleOf(call: LineCall, others: readonly LineCall[]): LineRole {
  switch (call.state) {
    case CallState.Incoming:
      return others.some((other) => isLive(other) && other.state !== CallState.Incoming)
        ? LineRole.Waiting
        : LineRole.Ringing;
    case CallState.Dialing:
    case CallState.Ringing:
    case CallState.Answering:
      return LineRole.Connecting;
    case CallState.Established:
      if (call.conference) return LineRole.Conference;
      return call.hold !== undefined && call.hold !== HoldState.Active ? LineRole.Held : LineRole.Active;
    default:
      return LineRole.Ending;
  }
}

/** A call that is neither ending nor ended. */
function isLive(call: LineCall): boolean {
  return call.state !== CallState.Ending && call.state !== CallState.Ended;
}

/** The role of every call, by id. */
export function lineRoles(calls: readonly LineCall[]): Map<string, LineRole> {
  return new Map(calls.map((call) => [call.id, roleOf(call, calls.filter((other) => other.id !== call.id))]));
}

/** Whether a new incoming call rings, waits (call waiting), or is refused with 486 Busy Here. */
export function admitIncoming(calls: readonly LineCall[]): 'ring' | 'wait' | 'refuse' {
  const live = calls.filter(isLive);
  if (live.length >= MAX_CALLS) return 'refuse';
  return live.some((call) => call.state !== CallState.Incoming) ? 'wait' : 'ring';
}

/** The tone the agent hears: one at a time. */
export type LineTone = 'ringtone' | 'call-waiting' | 'ringback' | 'none';

/**
 * Which tone plays: the ringtone for a call ringing with nothing else up; the call-waiting tone in
 * the earpiece for a call that waits (it wins over ring-back: the agent must know); ring-back while
 * a call rings out without the far end's own early media, unless the agent is talking to someone.
 */
export function toneFor(calls: readonly LineCall[]): LineTone {
  const roles = lineRoles(calls);
  const has = (role: LineRole): boolean => [...roles.values()].includes(role);
  if (has(LineRole.Waiting)) return 'call-waiting';
  if (has(LineRole.Ringing)) return 'ringtone';
  if (has(LineRole.Active) || has(LineRole.Conference)) return 'none';
  const ringingOut = calls.some((call) => call.state === CallState.Ringing && !call.earlyMedia);
  return ringingOut ? 'ringback' : 'none';
}

/** A move the agent asks for, on the calls as a whole. */
export type LineMove =
  | { kind: 'answer'; callId: string }
  | { kind: 'hangup-and-answer'; callId: string }
  | { kind: 'hold'; callId: string }
  | { kind: 'resume'; callId: string }
  | { kind: 'swap' }
  | { kind: 'merge' }
  | { kind: 'split'; keepCallId: string }
  | { kind: 'dial' };

/** One step of a plan, run in order; a hold or resume step waits for the far end's answer. */
export type LineStep =
  | { kind: 'hold'; callId: string }
  | { kind: 'resume'; callId: string }
  | { kind: 'answer'; callId: string }
  | { kind: 'hangup'; callId: string }
  | { kind: 'mix'; callIds: [string, string] }
  | { kind: 'unmix' }
  | { kind: 'dial' };

/** Why a move is not allowed now; the panel and the background turn it into a sentence. */
export type LineRefusal =
  /** The call named is not in a state this move applies to (e.g. answering a call that is up). */
  | 'wrong-call'
  /** Another call is being set up; it cannot be held before it is answered. */
  | 'other-connecting'
  /** Swap and merge need exactly one active and one held call. */
  | 'nothing-to-swap'
  /** A hold or resume is on its way; the move would cross it. */
  | 'hold-changing'
  /** The calls are in a conference: split it or hang up first. */
  | 'in-conference'
  /** Two calls are up already. */
  | 'too-many';

/** The move is not allowed with the calls as they are (see {@link LineRefusal}). */
export class IllegalLineMoveError extends Exception {
  constructor(
    readonly move: LineMove['kind'],
    readonly reason: LineRefusal,
  ) {
    super(`${move} not possible: ${reason}`);
  }
}

/**
 * The steps that carry out `move` with `calls` as they are, or an {@link IllegalLineMoveError}.
 * Pure: the engine runs the steps (`LineSwitch`), the panel asks only whether a move is allowed.
 */
export function planMove(move: LineMove, calls: readonly LineCall[]): LineStep[] {
  const roles = lineRoles(calls);
  const refuse = (reason: LineRefusal): never => {
    throw new IllegalLineMoveError(move.kind, reason);
  };
  const withRole = (...wanted: LineRole[]): LineCall[] =>
    calls.filter((call) => wanted.includes(roles.get(call.id) ?? LineRole.Ending));
  const others = (callId: string): LineCall[] => calls.filter((call) => call.id !== callId);
  const role = (callId: string): LineRole | undefined => roles.get(callId);
  const holdChanging = (call: LineCall): boolean =>
    call.hold === HoldState.Holding || call.hold === HoldState.Resuming;
  // A call being resumed is about to be Active: a move that leaves another call talking must wait.
  const resumingBesides = (callId?: string): boolean =>
    calls.some((call) => call.id !== callId && call.hold === HoldState.Resuming);

  switch (move.kind) {
    case 'answer': {
      const target = role(move.callId);
      if (target !== LineRole.Ringing && target !== LineRole.Waiting) refuse('wrong-call');
      if (withRole(LineRole.Connecting).length > 0) refuse('other-connecting');
      if (withRole(LineRole.Conference).length > 0) refuse('in-conference');
      if (resumingBesides()) refuse('hold-changing');
      const active = withRole(LineRole.Active);
      return [...active.map((call) => ({ kind: 'hold' as const, callId: call.id })), { kind: 'answer', callId: move.callId }];
    }
    case 'hangup-and-answer': {
      const target = role(move.callId);
      if (target !== LineRole.Ringing && target !== LineRole.Waiting) refuse('wrong-call');
      const ending = others(move.callId).filter((call) => {
        const other = role(call.id);
        return other !== LineRole.Ending && other !== LineRole.Ringing && other !== LineRole.Waiting;
      });
      return [...ending.map((call) => ({ kind: 'hangup' as const, callId: call.id })), { kind: 'answer', callId: move.callId }];
    }
    case 'hold': {
      const target = role(move.callId);
      if (target === LineRole.Conference) refuse('in-conference');
      if (target !== LineRole.Active) refuse('wrong-call');
      return [{ kind: 'hold', callId: move.callId }];
    }
    case 'resume': {
      if (role(move.callId) !== LineRole.Held) refuse('wrong-call');
      if (withRole(LineRole.Connecting).length > 0) refuse('other-connecting');
      if (withRole(LineRole.Conference).length > 0) refuse('in-conference');
      if (resumingBesides(move.callId)) refuse('hold-changing');
      const active = withRole(LineRole.Active);
      // Hold the one the agent talks to first, so that the agent never talks to both.
      return [...active.map((call) => ({ kind: 'hold' as const, callId: call.id })), { kind: 'resume', callId: move.callId }];
    }
    case 'swap':
    case 'merge': {
      if (withRole(LineRole.Conference).length > 0) refuse('in-conference');
      const active = withRole(LineRole.Active);
      const held = withRole(LineRole.Held);
      if (active.length !== 1 || held.length !== 1) refuse('nothing-to-swap');
      const talking = active[0] as LineCall;
      const waiting = held[0] as LineCall;
      if (holdChanging(waiting)) refuse('hold-changing');
      if (withRole(LineRole.Connecting).length > 0) refuse('other-connecting');
      return move.kind === 'swap'
        ? [
            { kind: 'hold', callId: talking.id },
            { kind: 'resume', callId: waiting.id },
          ]
        : [
            { kind: 'resume', callId: waiting.id },
            { kind: 'mix', callIds: [talking.id, waiting.id] },
          ];
    }
    case 'split': {
      const members = withRole(LineRole.Conference);
      if (members.length === 0) refuse('nothing-to-swap');
      if (!members.some((call) => call.id === move.keepCallId)) refuse('wrong-call');
      // Back to the plain microphone first, then the others wait on hold.
      return [
        { kind: 'unmix' },
        ...members.filter((call) => call.id !== move.keepCallId).map((call) => ({ kind: 'hold' as const, callId: call.id })),
      ];
    }
    case 'dial': {
      const live = calls.filter(isLive);
      if (live.length >= MAX_CALLS) refuse('too-many');
      if (withRole(LineRole.Connecting).length > 0) refuse('other-connecting');
      if (resumingBesides()) refuse('hold-changing');
      const active = withRole(LineRole.Active);
      return [...active.map((call) => ({ kind: 'hold' as const, callId: call.id })), { kind: 'dial' }];
    }
  }
}

/** Whether `move` is allowed with `calls` as they are (for enabling the panel's buttons). */
export function canMove(move: LineMove, calls: readonly LineCall[]): boolean {
  try {
    planMove(move, calls);
    return true;
  } catch (error) {
    if (error instanceof IllegalLineMoveError) return false;
    throw error;
  }
}
