import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CALL_TRANSITIONS, CallState, createCallMachine } from '@/lib/phone/call-state';
import { CONFERENCE_TRANSITIONS, ConferenceState, createConferenceMachine } from '@/lib/phone/conference-state';
import { createHoldMachine, HOLD_TRANSITIONS, HoldState } from '@/lib/phone/hold-state';
import {
  createRegistrationMachine,
  REGISTRATION_TRANSITIONS,
  RegistrationState,
} from '@/lib/phone/registration-state';
import { StateMachine, type StateChange } from '@/lib/phone/state-machine';
import { createTransferMachine, TRANSFER_TRANSITIONS, TransferState } from '@/lib/phone/transfer-state';
import { IllegalTransitionError } from '@/lib/util/exception';

beforeEach(() => {
  fakeBrowser.reset();
});

interface Pair<S extends string> {
  from: S;
  to: S;
  legal: boolean;
}

/** Every (from, to) pair of the enum, legal or not, so a new state is covered without editing this file. */
function matrix<S extends string>(states: readonly S[], table: Readonly<Record<S, readonly S[]>>): Pair<S>[] {
  return states.flatMap((from) => states.map((to) => ({ from, to, legal: table[from].includes(to) })));
}

/** States reachable from `starts` by following the table. */
function reachable<S extends string>(starts: readonly S[], table: Readonly<Record<S, readonly S[]>>): Set<S> {
  const seen = new Set<S>(starts);
  const queue = [...starts];
  while (queue.length > 0) {
    for (const next of table[queue.shift()!]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

const registrationStates = Object.values(RegistrationState);
const callStates = Object.values(CallState);

/** Runs one transition on a machine placed in `from`, recording what it publishes. */
function attempt<S extends string>(name: string, table: Readonly<Record<S, readonly S[]>>, from: S, to: S) {
  const machine = new StateMachine<S>(name, from, table);
  const published: StateChange<S>[] = [];
  machine.changes.on((change) => published.push(change));
  let error: unknown;
  try {
    machine.transition(to);
  } catch (caught) {
    error = caught;
  }
  return { machine, published, error };
}

describe('StateMachine', () => {
  const table = { a: ['b'], b: ['a', 'c'], c: [] } as const satisfies Record<string, readonly string[]>;
  type T = keyof typeof table;

  it('starts in the initial state and answers can() from its table', () => {
    const machine = new StateMachine<T>('Test', 'a', table);
    expect(machine.state).toBe('a');
    expect(machine.can('b')).toBe(true);
    expect(machine.can('c')).toBe(false);
    expect(machine.can('a')).toBe(false);
  });

  it('publishes every accepted change, in order, to every listener', () => {
    const machine = new StateMachine<T>('Test', 'a', table);
    const first: StateChange<T>[] = [];
    const second: StateChange<T>[] = [];
    machine.changes.on((change) => first.push(change));
    machine.changes.on((change) => second.push(change));
    machine.transition('b');
    machine.transition('a');
    machine.transition('b');
    machine.transition('c');
    const expected = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'a' },
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
    ];
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(machine.state).toBe('c');
  });

  it('stops publishing to a listener that unsubscribed', () => {
    const machine = new StateMachine<T>('Test', 'a', table);
    const seen: StateChange<T>[] = [];
    const off = machine.changes.on((change) => seen.push(change));
    machine.transition('b');
    off();
    machine.transition('c');
    expect(seen).toEqual([{ from: 'a', to: 'b' }]);
  });

  it('names the machine and both states in the error', () => {
    const machine = new StateMachine<T>('Test', 'a', table);
    expect(() => machine.transition('c')).toThrowError(
      expect.objectContaining({
        name: 'IllegalTransitionError',
        machine: 'Test',
        from: 'a',
        to: 'c',
        message: 'Test: illegal transition a -> c',
      }),
    );
  });
});

describe.each([
  {
    name: 'Registration',
    states: registrationStates as string[],
    table: REGISTRATION_TRANSITIONS as Readonly<Record<string, readonly string[]>>,
  },
  {
    name: 'Call',
    states: callStates as string[],
    table: CALL_TRANSITIONS as Readonly<Record<string, readonly string[]>>,
  },
  {
    name: 'Hold',
    states: Object.values(HoldState) as string[],
    table: HOLD_TRANSITIONS as Readonly<Record<string, readonly string[]>>,
  },
  {
    name: 'Conference',
    states: Object.values(ConferenceState) as string[],
    table: CONFERENCE_TRANSITIONS as Readonly<Record<string, readonly string[]>>,
  },
  {
    name: 'Transfer',
    states: Object.values(TransferState) as string[],
    table: TRANSFER_TRANSITIONS as Readonly<Record<string, readonly string[]>>,
  },
])('$name transition table', ({ name, states, table }) => {
  it('has exactly one entry per state', () => {
    expect(Object.keys(table).sort()).toEqual([...states].sort());
  });

  it.each(states)('lists only known states, each once and never itself, from %s', (from) => {
    const targets = table[from]!;
    for (const to of targets) expect(states, `${from} -> ${to}`).toContain(to);
    expect(new Set(targets).size).toBe(targets.length);
    expect(targets).not.toContain(from);
  });

  const pairs = matrix(states, table);
  const legal = pairs.filter((p) => p.legal);
  const illegal = pairs.filter((p) => !p.legal);

  it('covers the whole from × to matrix', () => {
    expect(legal.length + illegal.length).toBe(states.length ** 2);
    expect(legal.length).toBeGreaterThan(0);
    expect(illegal.length).toBeGreaterThan(0);
  });

  it.each(legal)('allows $from -> $to and publishes it', ({ from, to }) => {
    const { machine, published, error } = attempt(name, table, from, to);
    expect(error).toBeUndefined();
    expect(machine.state).toBe(to);
    expect(published).toEqual([{ from, to }]);
  });

  it.each(illegal)('rejects $from -> $to and stays in $from', ({ from, to }) => {
    const { machine, published, error } = attempt(name, table, from, to);
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toMatchObject({ machine: name, from, to });
    expect(machine.state).toBe(from);
    expect(published).toEqual([]);
    expect(machine.can(to)).toBe(false);
  });
});

describe('RegistrationState', () => {
  const S = RegistrationState;

  it('starts Idle', () => {
    expect(createRegistrationMachine().state).toBe(S.Idle);
  });

  // The edges drawn in the TSDoc diagram of registration-state.ts.
  it.each([
    { from: S.Idle, to: S.Connecting, why: 'start()' },
    { from: S.Connecting, to: S.Registering, why: 'transport up' },
    { from: S.Registering, to: S.Registered, why: '200 OK' },
    { from: S.Registered, to: S.Registering, why: 'refresh' },
    { from: S.Connecting, to: S.Waiting, why: 'fail (unreachable)' },
    { from: S.Waiting, to: S.Connecting, why: 'backoff timer fires' },
    { from: S.Registering, to: S.Waiting, why: '5xx, timeout' },
    { from: S.Registered, to: S.Waiting, why: 'transport lost, refresh rejected' },
    { from: S.Waiting, to: S.Failed, why: 'wrong credentials' },
    { from: S.Registering, to: S.Failed, why: '401/403' },
    { from: S.Unregistering, to: S.Idle, why: 'stop() completes' },
  ])('allows $from -> $to ($why), as drawn', ({ from, to }) => {
    expect(REGISTRATION_TRANSITIONS[from]).toContain(to);
  });

  it.each(registrationStates.filter((s) => s !== S.Idle))('reaches Idle from %s: stop() from any state', (from) => {
    expect(REGISTRATION_TRANSITIONS[from]).toContain(S.Idle);
  });

  it.each(registrationStates.filter((s) => s !== S.Idle && s !== S.Unregistering))(
    'can start unregistering from %s',
    (from) => {
      expect(REGISTRATION_TRANSITIONS[from]).toContain(S.Unregistering);
    },
  );

  it('leaves Idle only through start()', () => {
    expect(REGISTRATION_TRANSITIONS[S.Idle]).toEqual([S.Connecting]);
  });

  it('leaves Unregistering only for Idle', () => {
    expect(REGISTRATION_TRANSITIONS[S.Unregistering]).toEqual([S.Idle]);
  });

  it('never retries from Failed on its own: only a new Connecting (user action) or stop', () => {
    expect(REGISTRATION_TRANSITIONS[S.Failed]).not.toContain(S.Waiting);
    expect(REGISTRATION_TRANSITIONS[S.Failed]).not.toContain(S.Registering);
    expect(REGISTRATION_TRANSITIONS[S.Failed]).not.toContain(S.Registered);
  });

  it('reaches Registered only through Registering', () => {
    for (const from of registrationStates) {
      if (from !== S.Registering) expect(REGISTRATION_TRANSITIONS[from], from).not.toContain(S.Registered);
    }
  });

  it('reaches every state from Idle', () => {
    expect([...reachable([S.Idle], REGISTRATION_TRANSITIONS)].sort()).toEqual([...registrationStates].sort());
  });

  it('walks a whole life: register, lose the server, come back, stop', () => {
    const life = [
      S.Connecting,
      S.Registering,
      S.Registered,
      S.Waiting,
      S.Connecting,
      S.Registering,
      S.Registered,
      S.Unregistering,
      S.Idle,
    ];
    const machine = createRegistrationMachine();
    const seen: RegistrationState[] = [];
    machine.changes.on(({ to }) => seen.push(to));
    for (const to of life) machine.transition(to);
    expect(seen).toEqual(life);
  });
});

describe('CallState', () => {
  const C = CallState;

  it.each([
    { direction: 'outbound' as const, initial: C.Dialing },
    { direction: 'inbound' as const, initial: C.Incoming },
  ])('starts an $direction call in $initial', ({ direction, initial }) => {
    expect(createCallMachine(direction).state).toBe(initial);
  });

  // The edges drawn in the TSDoc diagram of call-state.ts.
  it.each([
    { from: C.Dialing, to: C.Ringing, why: '180/183' },
    { from: C.Ringing, to: C.Established, why: '200' },
    { from: C.Established, to: C.Ending, why: 'hang up' },
    { from: C.Ending, to: C.Ended, why: 'BYE answered' },
    { from: C.Dialing, to: C.Ended, why: '4xx-6xx, cancel, failure' },
    { from: C.Ringing, to: C.Ended, why: '4xx-6xx, cancel, failure' },
    { from: C.Established, to: C.Ended, why: 'BYE from far end' },
    { from: C.Incoming, to: C.Answering, why: 'answer()' },
    { from: C.Answering, to: C.Established, why: 'ACK' },
    { from: C.Incoming, to: C.Ended, why: 'decline, caller cancels, no answer' },
    { from: C.Answering, to: C.Ended, why: 'failure' },
  ])('allows $from -> $to ($why), as drawn', ({ from, to }) => {
    expect(CALL_TRANSITIONS[from]).toContain(to);
  });

  it('makes Ended final', () => {
    expect(CALL_TRANSITIONS[C.Ended]).toEqual([]);
  });

  it.each(callStates.filter((s) => s !== C.Ended))('can end from %s', (from) => {
    expect(CALL_TRANSITIONS[from]).toContain(C.Ended);
  });

  it.each(callStates)('never goes back to a starting state from %s', (from) => {
    expect(CALL_TRANSITIONS[from]).not.toContain(C.Dialing);
    expect(CALL_TRANSITIONS[from]).not.toContain(C.Incoming);
  });

  it('keeps the directions apart: inbound never rings out, outbound is never answered locally', () => {
    expect(reachable([C.Incoming], CALL_TRANSITIONS)).not.toContain(C.Ringing);
    expect(reachable([C.Dialing], CALL_TRANSITIONS)).not.toContain(C.Answering);
  });

  it('reaches every state from Dialing or Incoming', () => {
    expect([...reachable([C.Dialing, C.Incoming], CALL_TRANSITIONS)].sort()).toEqual([...callStates].sort());
  });

  it('rejects anything after Ended, with the machine unchanged', () => {
    const machine = createCallMachine('outbound');
    machine.transition(C.Ended);
    for (const to of callStates) {
      expect(() => machine.transition(to)).toThrow(IllegalTransitionError);
      expect(machine.state).toBe(C.Ended);
    }
  });
});

describe('HoldState', () => {
  const H = HoldState;

  it('starts Active, and a hold then a resume come back to Active', () => {
    const machine = createHoldMachine();
    expect(machine.state).toBe(H.Active);
    for (const next of [H.Holding, H.Held, H.Resuming, H.Active]) machine.transition(next);
    expect(machine.state).toBe(H.Active);
  });

  it.each([
    [H.Holding, H.Active, 'a refused hold leaves the call active'],
    [H.Resuming, H.Held, 'a refused resume leaves the call held'],
  ])('goes back from %s to %s: %s', (from, to) => {
    expect(HOLD_TRANSITIONS[from]).toContain(to);
  });

  it.each([
    [H.Active, H.Held, 'no hold without the re-INVITE'],
    [H.Held, H.Active, 'no resume without the re-INVITE'],
    [H.Holding, H.Resuming, 'no resume while the hold is on its way'],
  ])('refuses %s -> %s: %s', (from, to) => {
    expect(HOLD_TRANSITIONS[from]).not.toContain(to);
  });
});

describe('ConferenceState', () => {
  const S = ConferenceState;

  it('starts Idle, and a merge then a split come back to Idle', () => {
    const machine = createConferenceMachine();
    expect(machine.state).toBe(S.Idle);
    for (const next of [S.Merging, S.Mixed, S.Splitting, S.Idle]) machine.transition(next);
    expect(machine.state).toBe(S.Idle);
  });

  it('goes back from Merging to Idle when the resume is refused or the mix fails', () => {
    expect(CONFERENCE_TRANSITIONS[S.Merging]).toContain(S.Idle);
  });

  it.each([
    [S.Idle, S.Mixed, 'no mix without resuming the held call first'],
    [S.Mixed, S.Idle, 'no plain calls again without putting the microphone back (Splitting)'],
    [S.Merging, S.Splitting, 'no split while the merge is on its way'],
    [S.Splitting, S.Mixed, 'no mix again while splitting'],
  ])('refuses %s -> %s: %s', (from, to) => {
    expect(CONFERENCE_TRANSITIONS[from]).not.toContain(to);
  });
});

describe('TransferState', () => {
  const X = TransferState;

  it('starts Idle and reaches every state', () => {
    expect(createTransferMachine().state).toBe(X.Idle);
    expect([...reachable([X.Idle], TRANSFER_TRANSITIONS)].sort()).toEqual(Object.values(X).sort());
  });

  it.each([
    [[X.Referring, X.Done], 'blind transfer that succeeds'],
    [[X.Referring, X.Failed, X.Referring, X.Done], 'blind transfer refused, then tried again'],
    [[X.Consulting, X.Referring, X.Done], 'ask first, then complete'],
    [[X.Consulting, X.Idle], 'ask first, then cancel'],
    [[X.Consulting, X.Referring, X.Consulting, X.Idle], 'completing fails, back to the target, then cancel'],
    [[X.Consulting, X.Failed, X.Consulting], 'the target does not answer, then ask someone else'],
  ])('follows %j: %s', (path) => {
    const machine = createTransferMachine();
    for (const next of path) machine.transition(next);
    expect(machine.state).toBe(path.at(-1));
  });

  it.each([
    [X.Idle, X.Done, 'no success without a REFER'],
    [X.Idle, X.Failed, 'nothing to fail before an attempt'],
    [X.Consulting, X.Done, 'complete sends a REFER first'],
    [X.Referring, X.Idle, 'a REFER under way cannot be forgotten'],
    [X.Failed, X.Idle, 'a failure stays shown until the next attempt'],
    [X.Failed, X.Done, 'no success without a new REFER'],
  ])('refuses %s -> %s: %s', (from, to) => {
    expect(TRANSFER_TRANSITIONS[from]).not.toContain(to);
  });

  it('rejects anything after Done, with the machine unchanged', () => {
    const machine = createTransferMachine();
    machine.transition(X.Referring);
    machine.transition(X.Done);
    for (const to of Object.values(X)) {
      expect(() => machine.transition(to)).toThrow(IllegalTransitionError);
      expect(machine.state).toBe(X.Done);
    }
  });
});
