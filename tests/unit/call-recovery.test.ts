import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Invitation, SessionState } from 'sip.js';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeFor } from '@/lib/background/badge';
import { deriveOutcome, hangupSide } from '@/lib/history/call-outcome';
import { mergeCallSnapshot } from '@/lib/history/merge-call-snapshot';
import { CallLine } from '@/lib/phone/call-line';
import { CallRecovery, reinviteVerdict, RECOVERY_GRACE_MS, transportLossAction } from '@/lib/phone/call-recovery';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import type { MediaHost } from '@/lib/phone/media-host';
import { inboundAudioPackets, MEDIA_STALL_MS, MediaWatchdog } from '@/lib/phone/media-watchdog';
import { EMPTY_SNAPSHOT, type CallSnapshot } from '@/lib/phone/phone-snapshot';
import { createRecoveryMachine, RECOVERY_TRANSITIONS, RecoveryState } from '@/lib/phone/recovery-state';
import { StateMachine } from '@/lib/phone/state-machine';
import { WakeDetector } from '@/lib/phone/wake-detector';
import { IllegalTransitionError } from '@/lib/util/exception';
import { setLogLevel } from '@/lib/util/logger';

const R = RecoveryState;
const recoveryStates = Object.values(RecoveryState);

beforeEach(() => {
  fakeBrowser.reset();
  setLogLevel('error');
});

afterEach(() => {
  vi.useRealTimers();
  setLogLevel('info');
});

describe('RecoveryState transition table', () => {
  const pairs = recoveryStates.flatMap((from) =>
    recoveryStates.map((to) => ({ from, to, legal: RECOVERY_TRANSITIONS[from].includes(to) })),
  );

  it('has exactly one entry per state, listing only known states, never itself', () => {
    expect(Object.keys(RECOVERY_TRANSITIONS).sort()).toEqual([...recoveryStates].sort());
    for (const from of recoveryStates) {
      for (const to of RECOVERY_TRANSITIONS[from]) expect(recoveryStates).toContain(to);
      expect(RECOVERY_TRANSITIONS[from]).not.toContain(from);
    }
  });

  it('starts Steady', () => {
    expect(createRecoveryMachine().state).toBe(R.Steady);
  });

  it.each(pairs.filter((p) => p.legal))('allows $from -> $to', ({ from, to }) => {
    const machine = new StateMachine('Recovery', from, RECOVERY_TRANSITIONS);
    machine.transition(to);
    expect(machine.state).toBe(to);
  });

  it.each(pairs.filter((p) => !p.legal))('rejects $from -> $to and stays in $from', ({ from, to }) => {
    const machine = new StateMachine('Recovery', from, RECOVERY_TRANSITIONS);
    expect(() => machine.transition(to)).toThrow(IllegalTransitionError);
    expect(machine.state).toBe(from);
  });

  // The edges drawn in the TSDoc diagram of recovery-state.ts.
  it.each([
    { from: R.Steady, to: R.AwaitingTransport, why: 'transport lost' },
    { from: R.AwaitingTransport, to: R.Renegotiating, why: 'registered again' },
    { from: R.Renegotiating, to: R.Steady, why: '2xx, or a refusal that keeps the dialog' },
    { from: R.Renegotiating, to: R.AwaitingTransport, why: 'transport lost again' },
    { from: R.AwaitingTransport, to: R.Lost, why: 'grace period over' },
    { from: R.Renegotiating, to: R.Lost, why: '408, 481, no answer' },
    { from: R.Steady, to: R.Renegotiating, why: 'media stalled' },
    { from: R.Steady, to: R.Lost, why: 'media stalled again after its restart' },
  ])('allows $from -> $to ($why), as drawn', ({ from, to }) => {
    expect(RECOVERY_TRANSITIONS[from]).toContain(to);
  });

  it('Lost is final', () => {
    expect(RECOVERY_TRANSITIONS[R.Lost]).toEqual([]);
  });
});

describe('transportLossAction', () => {
  it.each([
    { state: CallState.Established, confirmed: true, action: 'recover' },
    { state: CallState.Dialing, confirmed: false, action: 'end' },
    { state: CallState.Ringing, confirmed: false, action: 'end' },
    { state: CallState.Incoming, confirmed: false, action: 'end' },
    { state: CallState.Answering, confirmed: false, action: 'end' },
    { state: CallState.Ending, confirmed: true, action: 'none' },
    { state: CallState.Ended, confirmed: false, action: 'none' },
  ])('a call $state (dialog confirmed: $confirmed) when the connection drops: $action', ({ state, confirmed, action }) => {
    expect(transportLossAction(state, confirmed)).toBe(action);
  });

  it('goes by the dialog, so a state added later for an answered call (e.g. on hold) recovers too', () => {
    for (const state of Object.values(CallState)) {
      if (state === CallState.Ending || state === CallState.Ended) continue;
      expect(transportLossAction(state, true)).toBe('recover');
    }
  });
});

describe('reinviteVerdict', () => {
  it.each([
    { code: 200, cause: 'transport', verdict: 'recovered' },
    { code: 200, cause: 'media', verdict: 'recovered' },
    { code: 491, cause: 'transport', verdict: 'retry' },
    { code: 408, cause: 'transport', verdict: 'lost' },
    { code: 481, cause: 'transport', verdict: 'lost' },
    { code: 0, cause: 'transport', verdict: 'lost' },
    { code: 481, cause: 'media', verdict: 'lost' },
    { code: 488, cause: 'transport', verdict: 'kept' },
    { code: 500, cause: 'transport', verdict: 'kept' },
    { code: 488, cause: 'media', verdict: 'lost' },
    { code: 500, cause: 'media', verdict: 'lost' },
  ] as const)('$code after a $cause loss: $verdict', ({ code, cause, verdict }) => {
    expect(reinviteVerdict(code, cause)).toBe(verdict);
  });
});

/** A call's side of the recovery: answers re-INVITEs from a script, one promise per re-INVITE. */
class ScriptedCall {
  readonly answers: ((code: number) => void)[] = [];
  lost = 0;
  changes = 0;
  readonly recovery: CallRecovery;

  constructor(options: ConstructorParameters<typeof CallRecovery>[1] = {}) {
    this.recovery = new CallRecovery(
      {
        restartIce: () => new Promise<number>((resolve) => this.answers.push(resolve)),
        onLost: () => this.lost++,
        onChange: () => this.changes++,
      },
      options,
    );
  }

  /** The far end answers the latest re-INVITE. */
  async answer(code: number): Promise<void> {
    this.answers.at(-1)!(code);
    await vi.advanceTimersByTimeAsync(0);
  }
}

describe('CallRecovery', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it('the WebSocket drops and comes back: one ICE-restart re-INVITE, 200, and the call goes on', async () => {
    const call = new ScriptedCall();
    call.recovery.transportLost();
    expect(call.recovery.state).toBe(R.AwaitingTransport);
    expect(call.recovery.reconnecting).toBe(true);
    expect(call.answers).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(3000);
    call.recovery.transportRestored();
    expect(call.recovery.state).toBe(R.Renegotiating);
    expect(call.answers).toHaveLength(1);
    await call.answer(200);

    expect(call.recovery.state).toBe(R.Steady);
    expect(call.recovery.reconnecting).toBe(false);
    expect(call.lost).toBe(0);
    // The grace period was cancelled when the transport came back.
    await vi.advanceTimersByTimeAsync(RECOVERY_GRACE_MS * 2);
    expect(call.lost).toBe(0);
    expect(call.changes).toBe(3);
  });

  it.each([481, 408])('the far end no longer knows the dialog (%i): the call is lost', async (code) => {
    const call = new ScriptedCall();
    call.recovery.transportLost();
    call.recovery.transportRestored();
    await call.answer(code);
    expect(call.recovery.state).toBe(R.Lost);
    expect(call.lost).toBe(1);
  });

  it('a re-INVITE that cannot be sent loses the call', async () => {
    const lost = vi.fn();
    const recovery = new CallRecovery({
      restartIce: () => Promise.reject(new Error('no dialog')),
      onLost: lost,
      onChange: () => undefined,
    });
    recovery.transportLost();
    recovery.transportRestored();
    await vi.advanceTimersByTimeAsync(0);
    expect(recovery.state).toBe(R.Lost);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('the connection never comes back: the call is lost when the grace period is over, not before', async () => {
    const call = new ScriptedCall({ graceMs: 20_000 });
    call.recovery.transportLost();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(call.lost).toBe(0);
    expect(call.recovery.reconnecting).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.lost).toBe(1);
    expect(call.recovery.state).toBe(R.Lost);
    // Too late: a registration after that changes nothing.
    call.recovery.transportRestored();
    expect(call.answers).toHaveLength(0);
  });

  it('the grace period runs from the first loss, however many reconnection attempts fail', async () => {
    const call = new ScriptedCall({ graceMs: 20_000 });
    call.recovery.transportLost();
    await vi.advanceTimersByTimeAsync(15_000);
    call.recovery.transportLost();
    await vi.advanceTimersByTimeAsync(5000);
    expect(call.lost).toBe(1);
  });

  it('the connection drops again during the re-INVITE: its late answer is ignored and a new one follows', async () => {
    const call = new ScriptedCall();
    call.recovery.transportLost();
    call.recovery.transportRestored();
    call.recovery.transportLost();
    expect(call.recovery.state).toBe(R.AwaitingTransport);
    await call.answer(481);
    expect(call.lost).toBe(0);
    expect(call.recovery.state).toBe(R.AwaitingTransport);
    call.recovery.transportRestored();
    expect(call.answers).toHaveLength(2);
    await call.answer(200);
    expect(call.recovery.state).toBe(R.Steady);
  });

  it('re-INVITEs cross (491): the owner of the Call-ID tries again after 2.1–4 s (RFC 3261 §14.1)', async () => {
    const call = new ScriptedCall({ ownsCallId: true, random: () => 0.5 });
    call.recovery.transportLost();
    call.recovery.transportRestored();
    await call.answer(491);
    expect(call.recovery.state).toBe(R.Renegotiating);
    await vi.advanceTimersByTimeAsync(3040);
    expect(call.answers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(call.answers).toHaveLength(2);
    await call.answer(200);
    expect(call.recovery.state).toBe(R.Steady);
  });

  it('a refusal that keeps the dialog (e.g. 500 from a proxy that cannot reach the far end) keeps the call', async () => {
    const call = new ScriptedCall();
    call.recovery.transportLost();
    call.recovery.transportRestored();
    await call.answer(500);
    expect(call.recovery.state).toBe(R.Steady);
    expect(call.lost).toBe(0);
  });

  it('media stalls: one ICE restart; if the media stalls again without audio in between, the call is lost', async () => {
    const call = new ScriptedCall();
    call.recovery.mediaStalled();
    expect(call.recovery.state).toBe(R.Renegotiating);
    await call.answer(200);
    expect(call.recovery.state).toBe(R.Steady);
    call.recovery.mediaStalled();
    expect(call.answers).toHaveLength(1);
    expect(call.recovery.state).toBe(R.Lost);
    expect(call.lost).toBe(1);
  });

  it('media stalls, recovers, and stalls again later: each stall gets its own restart', async () => {
    const call = new ScriptedCall();
    call.recovery.mediaStalled();
    await call.answer(200);
    call.recovery.mediaFlowing();
    call.recovery.mediaStalled();
    expect(call.answers).toHaveLength(2);
    expect(call.recovery.state).toBe(R.Renegotiating);
  });

  it('a media restart refused (488) loses the call', async () => {
    const call = new ScriptedCall();
    call.recovery.mediaStalled();
    await call.answer(488);
    expect(call.recovery.state).toBe(R.Lost);
    expect(call.lost).toBe(1);
  });

  it('a call that ended meanwhile hears nothing more', async () => {
    const call = new ScriptedCall();
    call.recovery.transportLost();
    call.recovery.dispose();
    await vi.advanceTimersByTimeAsync(RECOVERY_GRACE_MS * 2);
    call.recovery.transportRestored();
    expect(call.lost).toBe(0);
    expect(call.answers).toHaveLength(0);
  });
});

describe('MediaWatchdog', () => {
  it('silence over a healthy path is not a stall (a far end on hold sends nothing)', () => {
    const watchdog = new MediaWatchdog();
    expect(watchdog.observe(100, 'connected', 0)).toBeUndefined();
    expect(watchdog.observe(100, 'connected', 60_000)).toBeUndefined();
  });

  it('flat packets with ICE disconnected stall after 8 s, again every 8 s, and flow again with audio', () => {
    const watchdog = new MediaWatchdog();
    watchdog.observe(100, 'connected', 0);
    expect(watchdog.observe(100, 'disconnected', 2000)).toBeUndefined();
    expect(watchdog.observe(100, 'disconnected', MEDIA_STALL_MS - 1)).toBeUndefined();
    expect(watchdog.observe(100, 'disconnected', MEDIA_STALL_MS)).toBe('stalled');
    expect(watchdog.observe(100, 'failed', MEDIA_STALL_MS + 2000)).toBeUndefined();
    expect(watchdog.observe(100, 'failed', MEDIA_STALL_MS * 2)).toBe('stalled');
    expect(watchdog.observe(150, 'connected', MEDIA_STALL_MS * 2 + 2000)).toBe('flowing');
    expect(watchdog.observe(200, 'connected', MEDIA_STALL_MS * 2 + 4000)).toBeUndefined();
  });

  it('packets that keep arriving are no stall, whatever ICE says', () => {
    const watchdog = new MediaWatchdog();
    for (let at = 0, packets = 0; at < 30_000; at += 2000, packets += 100) {
      expect(watchdog.observe(packets, 'disconnected', at)).toBeUndefined();
    }
  });

  it('reads inbound audio packets from a statistics report', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['a', { type: 'inbound-rtp', kind: 'audio', packetsReceived: 120 }],
      ['b', { type: 'outbound-rtp', kind: 'audio', packetsSent: 500 }],
      ['c', { type: 'inbound-rtp', kind: 'video', packetsReceived: 900 }],
      ['d', { type: 'inbound-rtp', mediaType: 'audio', packetsReceived: 30 }],
    ]);
    expect(inboundAudioPackets(report)).toBe(150);
  });
});

describe('WakeDetector', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
  });

  it('stays quiet while its timer runs on time, and speaks once after the clock jumped (the computer slept)', async () => {
    const onWake = vi.fn();
    const detector = new WakeDetector({ onWake, intervalMs: 5000, thresholdMs: 30_000 });
    detector.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onWake).not.toHaveBeenCalled();

    // Suspended: no timer ran while the wall clock moved on by five minutes.
    vi.setSystemTime(Date.now() + 300_000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(onWake).toHaveBeenCalledTimes(1);
    expect(onWake.mock.calls[0]![0]).toBe(300_000);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(onWake).toHaveBeenCalledTimes(1);
    detector.stop();
  });

  it('a tick late by less than the threshold (a busy or throttled page) is no wake-up', async () => {
    const onWake = vi.fn();
    const detector = new WakeDetector({ onWake, intervalMs: 5000, thresholdMs: 30_000 });
    detector.start();
    vi.setSystemTime(Date.now() + 25_000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(onWake).not.toHaveBeenCalled();
    detector.stop();
  });
});

/** A SIP.js session stand-in: enough of Session for CallLine, with the re-INVITEs it was asked for. */
class FakeSession {
  state: SessionState = SessionState.Initial;
  delegate: unknown;
  sessionDescriptionHandler = undefined;
  readonly remoteIdentity = { uri: { user: '1002', toString: () => 'sip:1002@pbx.test' }, displayName: 'Bob' };
  readonly invites: { options: Record<string, unknown>; accept(code: number): void; reject(code: number): void }[] = [];
  byes = 0;
  private reinviteOptions: Record<string, unknown> = { hold: true };
  private readonly listeners: ((state: SessionState) => void)[] = [];
  readonly stateChange = { addListener: (listener: (state: SessionState) => void) => this.listeners.push(listener) };

  get sessionDescriptionHandlerOptionsReInvite(): Record<string, unknown> {
    return this.reinviteOptions;
  }

  set sessionDescriptionHandlerOptionsReInvite(options: Record<string, unknown>) {
    this.reinviteOptions = { ...options };
  }

  moveTo(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }

  invite(options: {
    sessionDescriptionHandlerOptions: Record<string, unknown>;
    requestDelegate: { onAccept(r: unknown): void; onReject(r: unknown): void };
  }): Promise<void> {
    this.sessionDescriptionHandlerOptionsReInvite = options.sessionDescriptionHandlerOptions;
    const response = (code: number) => ({ message: { statusCode: code } });
    this.invites.push({
      options: options.sessionDescriptionHandlerOptions,
      accept: (code) => options.requestDelegate.onAccept(response(code)),
      reject: (code) => options.requestDelegate.onReject(response(code)),
    });
    return Promise.resolve();
  }

  bye(): Promise<void> {
    this.byes += 1;
    this.moveTo(SessionState.Terminated);
    return Promise.resolve();
  }

  reject(): Promise<void> {
    this.moveTo(SessionState.Terminated);
    return Promise.resolve();
  }

  accept(): Promise<void> {
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

// CallLine tells inbound from outbound sessions with `instanceof`; the fake's own members win.
Object.setPrototypeOf(FakeSession.prototype, Invitation.prototype);

const SILENT_MEDIA = {
  attachRemoteAudio: () => undefined,
  detachRemoteAudio: () => undefined,
} as unknown as MediaHost;

describe('CallLine across a lost connection', () => {
  let session: FakeSession;
  let call: CallLine;
  let published: CallSnapshot[];

  beforeEach(() => {
    vi.useFakeTimers();
    session = new FakeSession();
    published = [];
    call = CallLine.inbound('a1', session as unknown as Invitation, {
      media: SILENT_MEDIA,
      now: Date.now,
      delegate: { onCallChange: (changed) => published.push(changed.snapshot()) },
    });
  });

  afterEach(() => {
    if (!call.ended) session.moveTo(SessionState.Terminated);
  });

  function establish(): void {
    call.answer();
    session.moveTo(SessionState.Established);
    expect(call.state).toBe(CallState.Established);
  }

  it('a REFER from Bob is declined with 603, so no call starts behind the engine\'s back', () => {
    establish();
    const rejected: unknown[] = [];
    const delegate = session.delegate as { onRefer(referral: unknown): void };
    delegate.onRefer({
      referTo: { toString: () => '<sip:1003@pbx.test>' },
      reject: (options: unknown) => {
        rejected.push(options);
        return Promise.resolve();
      },
    });
    expect(rejected).toEqual([{ statusCode: 603 }]);
    expect(call.state).toBe(CallState.Established);
  });

  it('Bob is still ringing when the connection drops: the call ends at once as "connection lost"', () => {
    expect(call.state).toBe(CallState.Incoming);
    call.transportLost();
    expect(call.ended).toBe(true);
    expect(call.snapshot()).toMatchObject({ state: CallState.Ended, endReason: CallEndReason.ConnectionLost });
  });

  it('an established call says "reconnecting", restarts ICE over the new connection, and keeps the hold option', async () => {
    establish();
    call.transportLost();
    expect(call.snapshot().reconnecting).toBe(true);
    expect(published.at(-1)?.reconnecting).toBe(true);
    call.transportRestored();
    expect(session.invites).toHaveLength(1);
    expect(session.invites[0]!.options).toEqual({ hold: true, offerOptions: { iceRestart: true } });
    session.invites[0]!.accept(200);
    await vi.advanceTimersByTimeAsync(0);
    expect(call.snapshot().reconnecting).toBeUndefined();
    expect(call.state).toBe(CallState.Established);
    // Only that offer restarted ICE: later re-INVITEs (hold, resume) get the options as they were.
    expect(session.sessionDescriptionHandlerOptionsReInvite).toEqual({ hold: true });
  });

  it('the far end answers the re-INVITE 481: BYE, and the call ends as "connection lost"', async () => {
    establish();
    call.transportLost();
    call.transportRestored();
    session.invites[0]!.reject(481);
    await vi.advanceTimersByTimeAsync(0);
    expect(session.byes).toBe(1);
    expect(call.snapshot()).toMatchObject({ state: CallState.Ended, endReason: CallEndReason.ConnectionLost });
    expect(call.snapshot().reconnecting).toBeUndefined();
  });

  it('the connection never returns: the call ends after the grace period', async () => {
    establish();
    call.transportLost();
    await vi.advanceTimersByTimeAsync(RECOVERY_GRACE_MS);
    expect(call.snapshot()).toMatchObject({ state: CallState.Ended, endReason: CallEndReason.ConnectionLost });
  });

  it('the badge follows: CALL while reconnecting, nothing of the call once it is lost', async () => {
    establish();
    call.transportLost();
    const during = { ...EMPTY_SNAPSHOT, calls: [call.snapshot()] };
    expect(badgeFor(during).text).toBe('CALL');
    await vi.advanceTimersByTimeAsync(RECOVERY_GRACE_MS);
    const after = { ...EMPTY_SNAPSHOT, calls: [], recent: [call.snapshot()] };
    expect(badgeFor(after).text).not.toBe('CALL');
  });
});

describe('a call lost with its connection, in history', () => {
  it.each([
    { direction: 'inbound', answered: false, outcome: 'missed', why: 'it rang here: the caller needs a call back' },
    { direction: 'outbound', answered: false, outcome: 'failed', why: 'it never connected' },
    { direction: 'inbound', answered: true, outcome: 'answered', why: 'the talk happened' },
  ] as const)('$direction, answered $answered: $outcome ($why)', ({ direction, answered, outcome }) => {
    expect(deriveOutcome({ direction, answered, endReason: CallEndReason.ConnectionLost })).toBe(outcome);
  });

  it('was hung up by neither side', () => {
    expect(hangupSide(CallEndReason.ConnectionLost)).toBeUndefined();
  });

  it('"Reconnecting…" is a passing look of the call, not history: the row does not change for it', () => {
    const up: CallSnapshot = {
      id: 'c1',
      accountId: 'a1',
      direction: 'inbound',
      remoteUri: 'sip:1002@pbx.test',
      remoteNumber: '1002',
      state: CallState.Established,
      muted: false,
      startedAt: 1000,
      answeredAt: 2000,
    };
    const row = mergeCallSnapshot(undefined, up, 3000, { region: 'RU' })!;
    expect(mergeCallSnapshot(row, { ...up, reconnecting: true }, 3000, { region: 'RU' })).toBeUndefined();
    const lost = mergeCallSnapshot(
      row,
      { ...up, state: CallState.Ended, endedAt: 9000, endReason: CallEndReason.ConnectionLost },
      9000,
      { region: 'RU' },
    );
    expect(lost).toMatchObject({ endReason: 'connection-lost', outcome: 'answered', talkMs: 7000 });
  });
});
