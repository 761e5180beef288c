import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CallMedia } from '@/lib/phone/call-media';
import { HoldNotPossibleError, HoldRefusedError } from '@/lib/phone/call-hold';
import { CallState } from '@/lib/phone/call-state';
import { ConferenceMixError, type ConferenceMix } from '@/lib/phone/conference-mixer';
import { ConferenceState } from '@/lib/phone/conference-state';
import { HoldState } from '@/lib/phone/hold-state';
import { IllegalLineMoveError, LineRole } from '@/lib/phone/line-coordinator';
import { LineSwitch, type SwitchableCall } from '@/lib/phone/line-switch';
import { NotFoundError } from '@/lib/util/exception';
import { setLogLevel } from '@/lib/util/logger';

beforeEach(() => {
  fakeBrowser.reset();
  setLogLevel('error');
});

/** A call whose hold answers from a script, recording everything done to it in one shared log. */
class FakeCall implements SwitchableCall {
  earlyMedia = false;
  muted = false;
  hold: HoldState | undefined;
  /** What the far end answers to the next hold or resume. */
  answers: ('accept' | number)[] = [];
  /** Resolves a pending hold/resume by hand (to check order); unset means at once. */
  gate: Promise<void> | undefined;

  constructor(
    readonly id: string,
    public state: CallState,
    private readonly log: string[],
  ) {
    if (state === CallState.Established) this.hold = HoldState.Active;
  }

  snapshot(): { hold?: HoldState } {
    return this.hold === undefined ? {} : { hold: this.hold };
  }

  async setHold(hold: boolean): Promise<void> {
    if (this.state !== CallState.Established) throw new HoldNotPossibleError(`${this.id} is not established`);
    // Like CallHold: asking for the state it is in already does nothing.
    if (this.hold === (hold ? HoldState.Held : HoldState.Active)) return;
    this.log.push(`${hold ? 'hold' : 'resume'} ${this.id}`);
    this.hold = hold ? HoldState.Holding : HoldState.Resuming;
    await this.gate;
    const answer = this.answers.shift() ?? 'accept';
    if (answer !== 'accept') {
      this.hold = hold ? HoldState.Active : HoldState.Held;
      throw new HoldRefusedError(hold, answer);
    }
    this.hold = hold ? HoldState.Held : HoldState.Active;
    this.log.push(`${hold ? 'held' : 'resumed'} ${this.id}`);
  }

  setMute(muted: boolean): void {
    this.muted = muted;
    this.log.push(`${muted ? 'mute' : 'unmute'} ${this.id}`);
  }

  answer(): void {
    this.log.push(`answer ${this.id}`);
    this.state = CallState.Established;
    this.hold = HoldState.Active;
  }

  hangup(): void {
    this.log.push(`hangup ${this.id}`);
    this.state = CallState.Ending;
  }

  callMedia(): CallMedia | undefined {
    return { local: {}, remote: {}, peerConnection: {} } as unknown as CallMedia;
  }
}

function setup() {
  const log: string[] = [];
  const calls: FakeCall[] = [];
  const add = (id: string, state: CallState, hold?: HoldState): FakeCall => {
    const call = new FakeCall(id, state, log);
    if (hold) call.hold = hold;
    calls.push(call);
    return call;
  };
  const mix = {
    setMuted: vi.fn((muted: boolean) => log.push(`mix muted ${muted}`)),
    stop: vi.fn(async () => void log.push('mix stopped')),
    wiring: vi.fn(() => ({ members: [], muted: false })),
  } satisfies ConferenceMix;
  const startConference = vi.fn(async (members: readonly { callId: string }[], muted: boolean) => {
    log.push(`mix ${members.map((m) => m.callId).join('+')}${muted ? ' muted' : ''}`);
    return mix;
  });
  let changes = 0;
  const lines = new LineSwitch({
    calls: () => calls.filter((call) => call.state !== CallState.Ended),
    media: { startConference },
    delegate: { onLineChange: () => (changes += 1) },
  });
  return { log, calls, add, lines, mix, startConference, changes: () => changes };
}

describe('LineSwitch', () => {
  it('Alice talks to Bob when Carol calls: Answer holds Bob, waits for the hold, then answers Carol', async () => {
    const { log, add, lines } = setup();
    const bob = add('bob', CallState.Established);
    add('carol', CallState.Incoming);
    expect(lines.tone()).toBe('call-waiting');
    let release!: () => void;
    bob.gate = new Promise((resolve) => (release = resolve));
    const answering = lines.answer('carol');
    await Promise.resolve();
    // The INVITE's 200 is not sent while Bob's hold is still on its way.
    expect(log).toEqual(['hold bob']);
    release();
    await expect(answering).resolves.toEqual({ notHeld: [] });
    expect(log).toEqual(['hold bob', 'held bob', 'answer carol']);
    expect(Object.fromEntries(lines.roles())).toEqual({ bob: LineRole.Held, carol: LineRole.Active });
    expect(lines.tone()).toBe('none');
  });

  it('Bob refuses to be held: Carol is answered all the same and Bob is muted, which the result says', async () => {
    const { log, add, lines } = setup();
    const bob = add('bob', CallState.Established);
    add('carol', CallState.Incoming);
    bob.answers = [488];
    await expect(lines.answer('carol')).resolves.toEqual({ notHeld: [{ callId: 'bob', code: 488 }] });
    expect(log).toEqual(['hold bob', 'mute bob', 'answer carol']);
    expect(bob.muted).toBe(true);
  });

  it('Carol gives up while Bob is being held: Bob is taken off hold again and the answer fails', async () => {
    const { log, add, lines } = setup();
    const bob = add('bob', CallState.Established);
    const carol = add('carol', CallState.Incoming);
    let release!: () => void;
    bob.gate = new Promise((resolve) => (release = resolve));
    const answering = lines.answer('carol');
    await Promise.resolve();
    carol.state = CallState.Ended;
    release();
    bob.gate = undefined;
    await expect(answering).rejects.toBeInstanceOf(NotFoundError);
    expect(log).toEqual(['hold bob', 'held bob', 'resume bob', 'resumed bob']);
  });

  it('hang up and answer: Bob is hung up, then Carol answered', async () => {
    const { log, add, lines } = setup();
    add('bob', CallState.Established);
    add('carol', CallState.Incoming);
    await lines.answer('carol', true);
    expect(log).toEqual(['hangup bob', 'answer carol']);
  });

  it('refuses answer-and-hold while the other call is still dialling, touching nothing', async () => {
    const { log, add, lines } = setup();
    add('dave', CallState.Dialing);
    add('carol', CallState.Incoming);
    await expect(lines.answer('carol')).rejects.toMatchObject({ reason: 'other-connecting' });
    expect(log).toEqual([]);
  });

  it('swap holds the talking call and only then resumes the held one', async () => {
    const { log, add, lines } = setup();
    const bob = add('bob', CallState.Established);
    add('carol', CallState.Established, HoldState.Held);
    let release!: () => void;
    bob.gate = new Promise((resolve) => (release = resolve));
    const swapping = lines.swap();
    await Promise.resolve();
    expect(log).toEqual(['hold bob']);
    release();
    await swapping;
    expect(log).toEqual(['hold bob', 'held bob', 'resume carol', 'resumed carol']);
  });

  it('a swap whose hold is refused stops there: the held call stays held', async () => {
    const { log, add, lines } = setup();
    const bob = add('bob', CallState.Established);
    add('carol', CallState.Established, HoldState.Held);
    bob.answers = [500];
    await expect(lines.swap()).rejects.toBeInstanceOf(HoldRefusedError);
    expect(log).toEqual(['hold bob']);
    expect(Object.fromEntries(lines.roles())).toEqual({ bob: LineRole.Active, carol: LineRole.Held });
  });

  it('Resume on the held card while another call talks is a swap; Hold and Resume of a lone call are plain', async () => {
    const { log, add, lines } = setup();
    add('bob', CallState.Established);
    const carol = add('carol', CallState.Established, HoldState.Held);
    await lines.setHold('carol', false);
    expect(log).toEqual(['hold bob', 'held bob', 'resume carol', 'resumed carol']);
    log.length = 0;
    carol.state = CallState.Ended;
    await lines.setHold('bob', false);
    await lines.setHold('bob', false);
    expect(log).toEqual(['resume bob', 'resumed bob']);
  });

  it('leaves a hold of a call not yet established to the call itself (its own error)', async () => {
    const { add, lines } = setup();
    add('dave', CallState.Dialing);
    await expect(lines.setHold('dave', true)).rejects.toBeInstanceOf(HoldNotPossibleError);
    await expect(lines.setHold('nobody', true)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('merge resumes the held call, then mixes both with the mute of the call in progress', async () => {
    const { log, add, lines, startConference } = setup();
    const bob = add('bob', CallState.Established);
    add('carol', CallState.Established, HoldState.Held);
    bob.muted = true;
    await lines.merge();
    expect(log).toEqual(['resume carol', 'resumed carol', 'mute carol', 'mix bob+carol muted']);
    expect(startConference).toHaveBeenCalledOnce();
    expect(lines.conferenceState).toBe(ConferenceState.Mixed);
    expect(Object.fromEntries(lines.roles())).toEqual({ bob: LineRole.Conference, carol: LineRole.Conference });
    expect(lines.tone()).toBe('none');
  });

  it('counts the held call as in the conference from the moment its resume starts (never two talking calls)', async () => {
    const { add, lines } = setup();
    add('bob', CallState.Established);
    const carol = add('carol', CallState.Established, HoldState.Held);
    let release!: () => void;
    carol.gate = new Promise((resolve) => (release = resolve));
    const merging = lines.merge();
    await Promise.resolve();
    await Promise.resolve();
    expect(lines.conferenceState).toBe(ConferenceState.Merging);
    expect(Object.fromEntries(lines.roles())).toEqual({ bob: LineRole.Conference, carol: LineRole.Conference });
    release();
    await merging;
  });

  it('a merge whose resume is refused leaves both calls as they were', async () => {
    const { add, lines, startConference } = setup();
    add('bob', CallState.Established);
    const carol = add('carol', CallState.Established, HoldState.Held);
    carol.answers = [403];
    await expect(lines.merge()).rejects.toBeInstanceOf(HoldRefusedError);
    expect(startConference).not.toHaveBeenCalled();
    expect(lines.conferenceState).toBe(ConferenceState.Idle);
    expect(Object.fromEntries(lines.roles())).toEqual({ bob: LineRole.Active, carol: LineRole.Held });
  });

  it('a mix that cannot be put on the line puts the resumed call back on hold and says why', async () => {
    const { log, add, lines, startConference } = setup();
    add('bob', CallState.Established);
    add('carol', CallState.Established, HoldState.Held);
    startConference.mockRejectedValueOnce(new ConferenceMixError('InvalidStateError'));
    await expect(lines.merge()).rejects.toBeInstanceOf(ConferenceMixError);
    expect(log).toEqual(['resume carol', 'resumed carol', 'hold carol', 'held carol']);
    expect(lines.conferenceState).toBe(ConferenceState.Idle);
    expect(Object.fromEntries(lines.roles())).toEqual({ bob: LineRole.Active, carol: LineRole.Held });
  });

  it('mute in the conference mutes the agent for both calls, then the mix', async () => {
    const { log, add, lines } = setup();
    const bob = add('bob', CallState.Established);
    const carol = add('carol', CallState.Established, HoldState.Held);
    await lines.merge();
    log.length = 0;
    lines.setMute('carol', true);
    expect(log).toEqual(['mute bob', 'mute carol', 'mix muted true']);
    expect([bob.muted, carol.muted]).toEqual([true, true]);
  });

  it('split keeps one call and holds the other, after the plain microphone is back', async () => {
    const { log, add, lines } = setup();
    add('bob', CallState.Established);
    add('carol', CallState.Established, HoldState.Held);
    await lines.merge();
    log.length = 0;
    await lines.split('carol');
    expect(log).toEqual(['mix stopped', 'hold bob', 'held bob']);
    expect(lines.conferenceState).toBe(ConferenceState.Idle);
    expect(Object.fromEntries(lines.roles())).toEqual({ bob: LineRole.Held, carol: LineRole.Active });
  });

  it('a conference call that hangs up ends the mix; the other call stays, talking', async () => {
    const { log, add, lines } = setup();
    add('bob', CallState.Established);
    const carol = add('carol', CallState.Established, HoldState.Held);
    await lines.merge();
    log.length = 0;
    carol.state = CallState.Ending;
    lines.callChanged(carol);
    await vi.waitFor(() => expect(lines.conferenceState).toBe(ConferenceState.Idle));
    expect(log).toEqual(['mix stopped']);
    expect(Object.fromEntries(lines.roles())).toEqual({ bob: LineRole.Active, carol: LineRole.Ending });
  });

  it('refuses Hold on a conference call (split first)', async () => {
    const { add, lines } = setup();
    add('bob', CallState.Established);
    add('carol', CallState.Established, HoldState.Held);
    await lines.merge();
    await expect(lines.setHold('bob', true)).rejects.toMatchObject({ reason: 'in-conference' });
    await expect(lines.swap()).rejects.toBeInstanceOf(IllegalLineMoveError);
  });

  it('dialling during a call holds it first, then places the call; with two calls up it refuses', async () => {
    const { log, add, lines } = setup();
    add('bob', CallState.Established);
    await expect(lines.dial(() => log.push('dial') && 'dave')).resolves.toBe('dave');
    expect(log).toEqual(['hold bob', 'held bob', 'dial']);
    add('dave', CallState.Established);
    await expect(lines.dial(() => 'eve')).rejects.toMatchObject({ reason: 'too-many' });
  });

  it('a refused hold stops the dial', async () => {
    const { log, add, lines } = setup();
    const bob = add('bob', CallState.Established);
    bob.answers = [488];
    const place = vi.fn(() => 'dave');
    await expect(lines.dial(place)).rejects.toBeInstanceOf(HoldRefusedError);
    expect(place).not.toHaveBeenCalled();
    expect(log).toEqual(['hold bob']);
  });

  it('runs moves one at a time: a second click plans against the calls as the first left them', async () => {
    const { log, add, lines } = setup();
    const bob = add('bob', CallState.Established);
    add('carol', CallState.Established, HoldState.Held);
    let release!: () => void;
    bob.gate = new Promise((resolve) => (release = resolve));
    const first = lines.swap();
    const second = lines.swap();
    await Promise.resolve();
    expect(log).toEqual(['hold bob']);
    release();
    bob.gate = undefined;
    await first;
    await second;
    expect(log).toEqual(['hold bob', 'held bob', 'resume carol', 'resumed carol', 'hold carol', 'held carol', 'resume bob', 'resumed bob']);
  });

  it('reports a conference change to its delegate (the snapshot shows membership)', async () => {
    const { add, lines, changes } = setup();
    add('bob', CallState.Established);
    add('carol', CallState.Established, HoldState.Held);
    await lines.merge();
    expect(changes()).toBe(2);
    expect(lines.inConference('bob')).toBe(true);
  });
});
