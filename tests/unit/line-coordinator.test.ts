import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CallState } from '@/lib/phone/call-state';
import { HoldState } from '@/lib/phone/hold-state';
import {
  admitIncoming,
  canMove,
  IllegalLineMoveError,
  LineRole,
  lineRoles,
  MAX_CALLS,
  planMove,
  toneFor,
  type LineCall,
  type LineMove,
  type LineRefusal,
  type LineStep,
} from '@/lib/phone/line-coordinator';

beforeEach(() => {
  fakeBrowser.reset();
});

const C = CallState;
const H = HoldState;

/** Calls by shorthand: `active`, `held`, `waiting`, … (the id is the letter given). */
const active = (id = 'a'): LineCall => ({ id, state: C.Established, hold: H.Active });
const held = (id = 'b', hold: HoldState = H.Held): LineCall => ({ id, state: C.Established, hold });
const ringing = (id = 'r'): LineCall => ({ id, state: C.Incoming });
const dialing = (id = 'd', state: CallState = C.Dialing, earlyMedia = false): LineCall => ({ id, state, earlyMedia });
const answering = (id = 'n'): LineCall => ({ id, state: C.Answering });
const member = (id: string): LineCall => ({ id, state: C.Established, hold: H.Active, conference: true });
const ending = (id = 'e'): LineCall => ({ id, state: C.Ending, hold: H.Active });

describe('lineRoles', () => {
  it.each([
    { what: 'a call ringing alone', calls: [ringing()], roles: { r: LineRole.Ringing } },
    { what: 'two calls ringing, nothing up', calls: [ringing('r'), ringing('s')], roles: { r: LineRole.Ringing, s: LineRole.Ringing } },
    { what: 'a call ringing while one talks', calls: [active(), ringing()], roles: { a: LineRole.Active, r: LineRole.Waiting } },
    { what: 'a call ringing while one is held', calls: [held(), ringing()], roles: { b: LineRole.Held, r: LineRole.Waiting } },
    { what: 'a call ringing while one dials', calls: [dialing(), ringing()], roles: { d: LineRole.Connecting, r: LineRole.Waiting } },
    { what: 'a call ringing beside one ending', calls: [ending(), ringing()], roles: { e: LineRole.Ending, r: LineRole.Ringing } },
    { what: 'an established call before its hold exists', calls: [{ id: 'a', state: C.Established }], roles: { a: LineRole.Active } },
    {
      what: 'holding and resuming count as held (never two talking during a swap)',
      calls: [held('a', H.Holding), held('b', H.Resuming)],
      roles: { a: LineRole.Held, b: LineRole.Held },
    },
    { what: 'an inbound call being answered', calls: [answering()], roles: { n: LineRole.Connecting } },
    { what: 'an outbound call ringing out', calls: [dialing('d', C.Ringing)], roles: { d: LineRole.Connecting } },
    { what: 'conference members', calls: [member('a'), member('b')], roles: { a: LineRole.Conference, b: LineRole.Conference } },
    { what: 'an ended call', calls: [{ id: 'x', state: C.Ended }], roles: { x: LineRole.Ending } },
  ])('$what', ({ calls, roles }) => {
    expect(Object.fromEntries(lineRoles(calls))).toEqual(roles);
  });
});

describe('admitIncoming', () => {
  it.each([
    { what: 'nothing up', calls: [], admit: 'ring' },
    { what: 'another call ringing only', calls: [ringing()], admit: 'ring' },
    { what: 'a call in progress', calls: [active()], admit: 'wait' },
    { what: 'a held call', calls: [held()], admit: 'wait' },
    { what: 'a call dialling out', calls: [dialing()], admit: 'wait' },
    { what: 'a call ending (it is going away)', calls: [ending()], admit: 'ring' },
    { what: 'one active and one held', calls: [active(), held()], admit: 'refuse' },
    { what: 'a call in progress and one waiting', calls: [active(), ringing()], admit: 'refuse' },
    { what: 'a conference', calls: [member('a'), member('b')], admit: 'refuse' },
    { what: 'one active and one ending', calls: [active(), ending()], admit: 'wait' },
  ] as const)('$what: $admit', ({ calls, admit }) => {
    expect(admitIncoming(calls)).toBe(admit);
  });

  it('carries two calls at most', () => {
    expect(MAX_CALLS).toBe(2);
  });
});

describe('toneFor', () => {
  it.each([
    { what: 'nothing', calls: [], tone: 'none' },
    { what: 'a call ringing alone', calls: [ringing()], tone: 'ringtone' },
    { what: 'a call waiting during a call', calls: [active(), ringing()], tone: 'call-waiting' },
    { what: 'a call waiting beside a held call', calls: [held(), ringing()], tone: 'call-waiting' },
    { what: 'a call waiting while one rings out (the agent must know)', calls: [dialing('d', C.Ringing), ringing()], tone: 'call-waiting' },
    { what: 'a call ringing out', calls: [dialing('d', C.Ringing)], tone: 'ringback' },
    { what: 'a call still dialling (no 180 yet)', calls: [dialing('d', C.Dialing)], tone: 'none' },
    { what: 'a call ringing out with the far end’s early media', calls: [dialing('d', C.Ringing, true)], tone: 'none' },
    { what: 'a second call ringing out while the first is held', calls: [held(), dialing('d', C.Ringing)], tone: 'ringback' },
    { what: 'a call ringing out while another one talks', calls: [active(), dialing('d', C.Ringing)], tone: 'none' },
    { what: 'a call in progress', calls: [active()], tone: 'none' },
    { what: 'a conference', calls: [member('a'), member('b')], tone: 'none' },
  ] as const)('$what: $tone', ({ calls, tone }) => {
    expect(toneFor(calls)).toBe(tone);
  });
});

describe('planMove', () => {
  it.each<{ what: string; move: LineMove; calls: LineCall[]; steps: LineStep[] }>([
    {
      what: 'answering a waiting call holds the call in progress first',
      move: { kind: 'answer', callId: 'r' },
      calls: [active(), ringing()],
      steps: [
        { kind: 'hold', callId: 'a' },
        { kind: 'answer', callId: 'r' },
      ],
    },
    { what: 'answering a call ringing alone just answers', move: { kind: 'answer', callId: 'r' }, calls: [ringing()], steps: [{ kind: 'answer', callId: 'r' }] },
    {
      what: 'answering beside a held call leaves it held',
      move: { kind: 'answer', callId: 'r' },
      calls: [held(), ringing()],
      steps: [{ kind: 'answer', callId: 'r' }],
    },
    {
      what: 'answering one of two ringing calls leaves the other ringing',
      move: { kind: 'answer', callId: 'r' },
      calls: [ringing('r'), ringing('s')],
      steps: [{ kind: 'answer', callId: 'r' }],
    },
    {
      what: 'hang up and answer ends the call in progress, then answers',
      move: { kind: 'hangup-and-answer', callId: 'r' },
      calls: [active(), ringing()],
      steps: [
        { kind: 'hangup', callId: 'a' },
        { kind: 'answer', callId: 'r' },
      ],
    },
    {
      what: 'hang up and answer also cancels a call dialling out',
      move: { kind: 'hangup-and-answer', callId: 'r' },
      calls: [dialing(), ringing()],
      steps: [
        { kind: 'hangup', callId: 'd' },
        { kind: 'answer', callId: 'r' },
      ],
    },
    {
      what: 'swap holds the talking call before resuming the held one',
      move: { kind: 'swap' },
      calls: [held('b'), active('a')],
      steps: [
        { kind: 'hold', callId: 'a' },
        { kind: 'resume', callId: 'b' },
      ],
    },
    {
      what: 'resuming beside a talking call is a swap',
      move: { kind: 'resume', callId: 'b' },
      calls: [active(), held()],
      steps: [
        { kind: 'hold', callId: 'a' },
        { kind: 'resume', callId: 'b' },
      ],
    },
    { what: 'resuming a call left alone', move: { kind: 'resume', callId: 'b' }, calls: [held()], steps: [{ kind: 'resume', callId: 'b' }] },
    { what: 'holding the call in progress', move: { kind: 'hold', callId: 'a' }, calls: [active(), held()], steps: [{ kind: 'hold', callId: 'a' }] },
    {
      what: 'merge resumes the held call, then mixes (talking call first)',
      move: { kind: 'merge' },
      calls: [held('b'), active('a')],
      steps: [
        { kind: 'resume', callId: 'b' },
        { kind: 'mix', callIds: ['a', 'b'] },
      ],
    },
    {
      what: 'split puts the plain microphone back, then holds the other call',
      move: { kind: 'split', keepCallId: 'b' },
      calls: [member('a'), member('b')],
      steps: [{ kind: 'unmix' }, { kind: 'hold', callId: 'a' }],
    },
    {
      what: 'dialling during a call holds it first',
      move: { kind: 'dial' },
      calls: [active()],
      steps: [{ kind: 'hold', callId: 'a' }, { kind: 'dial' }],
    },
    { what: 'dialling beside a held call (a consult call)', move: { kind: 'dial' }, calls: [held()], steps: [{ kind: 'dial' }] },
    { what: 'dialling with nothing up', move: { kind: 'dial' }, calls: [], steps: [{ kind: 'dial' }] },
    { what: 'dialling beside a call that is ending', move: { kind: 'dial' }, calls: [ending(), held()], steps: [{ kind: 'dial' }] },
  ])('legal: $what', ({ move, calls, steps }) => {
    expect(planMove(move, calls)).toEqual(steps);
    expect(canMove(move, calls)).toBe(true);
  });

  it.each<{ what: string; move: LineMove; calls: LineCall[]; reason: LineRefusal }>([
    { what: 'swap with one call', move: { kind: 'swap' }, calls: [active()], reason: 'nothing-to-swap' },
    { what: 'swap with no call', move: { kind: 'swap' }, calls: [], reason: 'nothing-to-swap' },
    { what: 'swap with two held calls', move: { kind: 'swap' }, calls: [held('a'), held('b')], reason: 'nothing-to-swap' },
    {
      what: 'swap with two talking calls (a refused hold left them so)',
      move: { kind: 'swap' },
      calls: [active('a'), active('b')],
      reason: 'nothing-to-swap',
    },
    { what: 'swap while the held call is still being held', move: { kind: 'swap' }, calls: [active(), held('b', H.Holding)], reason: 'hold-changing' },
    { what: 'swap in a conference', move: { kind: 'swap' }, calls: [member('a'), member('b')], reason: 'in-conference' },
    { what: 'merge with one call', move: { kind: 'merge' }, calls: [active()], reason: 'nothing-to-swap' },
    { what: 'merge again in a conference', move: { kind: 'merge' }, calls: [member('a'), member('b')], reason: 'in-conference' },
    {
      what: 'answer-and-hold while the other call is still dialling',
      move: { kind: 'answer', callId: 'r' },
      calls: [dialing(), ringing()],
      reason: 'other-connecting',
    },
    {
      what: 'answer while another inbound call is being answered',
      move: { kind: 'answer', callId: 'r' },
      calls: [answering(), ringing()],
      reason: 'other-connecting',
    },
    { what: 'answer a call that is already up', move: { kind: 'answer', callId: 'a' }, calls: [active()], reason: 'wrong-call' },
    { what: 'answer a call that is not there', move: { kind: 'answer', callId: 'zz' }, calls: [active()], reason: 'wrong-call' },
    {
      what: 'answer while the held call is being resumed (it would be a second talking call)',
      move: { kind: 'answer', callId: 'r' },
      calls: [held('b', H.Resuming), ringing()],
      reason: 'hold-changing',
    },
    { what: 'hang up and answer a call that is up', move: { kind: 'hangup-and-answer', callId: 'a' }, calls: [active()], reason: 'wrong-call' },
    { what: 'hold a conference call', move: { kind: 'hold', callId: 'a' }, calls: [member('a'), member('b')], reason: 'in-conference' },
    { what: 'hold a held call', move: { kind: 'hold', callId: 'b' }, calls: [held()], reason: 'wrong-call' },
    { what: 'hold a call still dialling', move: { kind: 'hold', callId: 'd' }, calls: [dialing()], reason: 'wrong-call' },
    { what: 'resume a call that is not held', move: { kind: 'resume', callId: 'a' }, calls: [active()], reason: 'wrong-call' },
    {
      what: 'resume while another call is still dialling',
      move: { kind: 'resume', callId: 'b' },
      calls: [held(), dialing()],
      reason: 'other-connecting',
    },
    {
      what: 'resume while the other held call is being resumed',
      move: { kind: 'resume', callId: 'b' },
      calls: [held('a', H.Resuming), held('b')],
      reason: 'hold-changing',
    },
    { what: 'split without a conference', move: { kind: 'split', keepCallId: 'a' }, calls: [active(), held()], reason: 'nothing-to-swap' },
    {
      what: 'split keeping a call that is not in the conference',
      move: { kind: 'split', keepCallId: 'zz' },
      calls: [member('a'), member('b')],
      reason: 'wrong-call',
    },
    { what: 'a third call', move: { kind: 'dial' }, calls: [active(), held()], reason: 'too-many' },
    { what: 'a call beside a conference', move: { kind: 'dial' }, calls: [member('a'), member('b')], reason: 'too-many' },
    { what: 'a call while another is dialling', move: { kind: 'dial' }, calls: [dialing()], reason: 'other-connecting' },
    { what: 'a call while the held one is being resumed', move: { kind: 'dial' }, calls: [held('b', H.Resuming)], reason: 'hold-changing' },
  ])('illegal: $what ($reason)', ({ move, calls, reason }) => {
    let error: unknown;
    try {
      planMove(move, calls);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IllegalLineMoveError);
    expect(error).toMatchObject({ move: move.kind, reason, message: `${move.kind} not possible: ${reason}` });
    expect(canMove(move, calls)).toBe(false);
  });
});

/**
 * Two talking calls at once must be impossible: whatever the agent presses and whatever the far
 * ends do, in whatever order, no plan ever leaves two calls Active (the conference, where both
 * calls are Conference, is the one way to talk to both). A seeded random walk over the moves and
 * the far ends' events, with the effect of each step applied as the engine would.
 */
describe('the one-talking-call rule', () => {
  /** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function apply(calls: LineCall[], step: LineStep, nextId: () => string): LineCall[] {
    const set = (id: string, change: Partial<LineCall>): LineCall[] => calls.map((c) => (c.id === id ? { ...c, ...change } : c));
    switch (step.kind) {
      case 'hold':
        return set(step.callId, { hold: H.Held });
      case 'resume':
        return set(step.callId, { hold: H.Active });
      case 'answer':
        return set(step.callId, { state: C.Established, hold: H.Active });
      case 'hangup':
        return calls.filter((c) => c.id !== step.callId);
      case 'mix':
        return calls.map((c) => (step.callIds.includes(c.id) ? { ...c, conference: true } : c));
      case 'unmix':
        return calls.map((c) => ({ ...c, conference: false }));
      case 'dial':
        return [...calls, { id: nextId(), state: C.Dialing }];
    }
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('holds over 400 random moves and far-end events (seed %i)', (seed) => {
    const next = random(seed);
    let counter = 0;
    const nextId = (): string => `c${++counter}`;
    let calls: LineCall[] = [];
    let moves = 0;
    for (let turn = 0; turn < 400; turn++) {
      const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
      const ids = calls.map((c) => c.id);
      const choice = Math.floor(next() * 10);
      if (choice === 0 && admitIncoming(calls) !== 'refuse') {
        calls = [...calls, { id: nextId(), state: C.Incoming }];
      } else if (choice === 1 && ids.length > 0) {
        // A far end hangs up (a conference of one is no conference).
        const gone = pick(ids);
        calls = calls.filter((c) => c.id !== gone);
        if (calls.filter((c) => c.conference).length < 2) calls = calls.map((c) => ({ ...c, conference: false }));
      } else if (choice === 2) {
        // A call dialling out is answered by its far end.
        const dial = calls.find((c) => c.state === C.Dialing);
        if (dial) calls = calls.map((c) => (c === dial ? { ...c, state: C.Established, hold: H.Active } : c));
      } else {
        const id = pick(ids) ?? 'none';
        const move = pick<LineMove>([
          { kind: 'answer', callId: id },
          { kind: 'hangup-and-answer', callId: id },
          { kind: 'hold', callId: id },
          { kind: 'resume', callId: id },
          { kind: 'swap' },
          { kind: 'merge' },
          { kind: 'split', keepCallId: id },
          { kind: 'dial' },
        ])!;
        if (canMove(move, calls)) {
          moves += 1;
          for (const step of planMove(move, calls)) calls = apply(calls, step, nextId);
        }
      }
      const roles = [...lineRoles(calls).values()];
      const talking = roles.filter((role) => role === LineRole.Active).length;
      expect(talking, JSON.stringify(calls)).toBeLessThanOrEqual(1);
      if (roles.includes(LineRole.Conference)) expect(talking).toBe(0);
      expect(calls.filter((c) => c.state !== C.Ending).length).toBeLessThanOrEqual(MAX_CALLS);
    }
    expect(moves).toBeGreaterThan(20);
  });
});
