import { describe, expect, it } from 'vitest';
import { RequestPendingError, type Session } from 'sip.js';
import { HoldFailedError, wordHoldError } from '@/lib/background/hold-error';
import { RemoteError } from '@/lib/messaging/protocol';
import { CallHold, HoldNotPossibleError, HoldRefusedError, mediaDirection } from '@/lib/phone/call-hold';
import { HoldState } from '@/lib/phone/hold-state';

type Answer = { accept: true } | { reject: number } | { throws: Error };

/**
 * A SIP.js session as far as hold uses it: `invite()` answers from a script, and the session
 * description handler's track switches are recorded.
 */
class FakeSession {
  sessionDescriptionHandlerOptionsReInvite: Record<string, unknown> = { constraints: { audio: true, video: false } };
  readonly offers: Record<string, unknown>[] = [];
  readonly tracks: string[] = [];
  answers: Answer[] = [];
  /** Called before answering, e.g. to check the state while the re-INVITE is out. */
  onInvite: (() => void) | undefined;
  sessionDescriptionHandler = {
    enableSenderTracks: (on: boolean) => this.tracks.push(`send:${on}`),
    enableReceiverTracks: (on: boolean) => this.tracks.push(`receive:${on}`),
  };

  invite(options: { requestDelegate: { onAccept(): void; onReject(response: { message: { statusCode: number } }): void } }) {
    this.offers.push({ ...this.sessionDescriptionHandlerOptionsReInvite });
    this.onInvite?.();
    const answer = this.answers.shift() ?? { accept: true };
    if ('throws' in answer) return Promise.reject(answer.throws);
    queueMicrotask(() => {
      if ('accept' in answer) options.requestDelegate.onAccept();
      else options.requestDelegate.onReject({ message: { statusCode: answer.reject } });
    });
    return Promise.resolve({});
  }
}

function setup(options: { muted?: boolean; owner?: boolean } = {}) {
  const session = new FakeSession();
  const waits: number[] = [];
  let changes = 0;
  const hold = new CallHold(
    session as unknown as Session,
    options.owner ?? true,
    { onHoldChange: () => (changes += 1), isMuted: () => options.muted ?? false },
    { glareWait: async (ms) => void waits.push(ms), random: () => 0.5 },
  );
  return { session, hold, waits, changes: () => changes };
}

describe('CallHold', () => {
  it('holds with a sendonly offer, stops sending and playing, and keeps it for later offers', async () => {
    const { session, hold } = setup();
    let during: HoldState | undefined;
    session.onInvite = () => (during = hold.state);
    await hold.set(true);
    expect(during).toBe(HoldState.Holding);
    expect(hold.state).toBe(HoldState.Held);
    expect(session.offers).toEqual([{ constraints: { audio: true, video: false }, hold: true }]);
    // Kept for the dialog's later offers and answers (a re-INVITE from the far end, an ICE restart).
    expect(session.sessionDescriptionHandlerOptionsReInvite).toMatchObject({ hold: true });
    expect(session.tracks).toEqual(['send:false', 'receive:false']);
  });

  it('resumes with a sendrecv offer and sends again, unless the agent is muted', async () => {
    const { session, hold } = setup({ muted: true });
    await hold.set(true);
    await hold.set(false);
    expect(hold.state).toBe(HoldState.Active);
    expect(session.offers.map((offer) => offer.hold)).toEqual([true, false]);
    expect(session.tracks.slice(-2)).toEqual(['send:false', 'receive:true']);
  });

  it('does nothing when asked for the state it is already in', async () => {
    const { session, hold } = setup();
    await hold.set(false);
    await hold.set(true);
    await hold.set(true);
    expect(session.offers).toHaveLength(1);
  });

  it('stays active and says so when the far end refuses the hold', async () => {
    const { session, hold } = setup();
    session.answers = [{ reject: 488 }];
    await expect(hold.set(true)).rejects.toEqual(expect.objectContaining({ name: 'HoldRefusedError', code: 488, hold: true }));
    expect(hold.state).toBe(HoldState.Active);
    expect(session.sessionDescriptionHandlerOptionsReInvite).not.toHaveProperty('hold');
    // Audio was switched off for the attempt and is back on.
    expect(session.tracks).toEqual(['send:false', 'receive:false', 'send:true', 'receive:true']);
  });

  it('stays held when the far end refuses the resume', async () => {
    const { session, hold } = setup();
    await hold.set(true);
    session.answers = [{ reject: 403 }];
    await expect(hold.set(false)).rejects.toBeInstanceOf(HoldRefusedError);
    expect(hold.state).toBe(HoldState.Held);
    expect(session.sessionDescriptionHandlerOptionsReInvite).toMatchObject({ hold: true });
  });

  it('tries once more after 491 Request Pending, waiting 2.1–4 s as the caller (RFC 3261 §14.1)', async () => {
    const { session, hold, waits } = setup({ owner: true });
    session.answers = [{ reject: 491 }, { accept: true }];
    await hold.set(true);
    expect(hold.state).toBe(HoldState.Held);
    expect(session.offers).toHaveLength(2);
    expect(waits).toEqual([2100 + 0.5 * 1900]);
  });

  it('waits 0–2 s as the called side, and gives up after a second 491', async () => {
    const { session, hold, waits } = setup({ owner: false });
    session.answers = [{ reject: 491 }, { reject: 491 }];
    await expect(hold.set(true)).rejects.toEqual(expect.objectContaining({ code: 491 }));
    expect(waits).toEqual([1000]);
    expect(hold.state).toBe(HoldState.Active);
  });

  it('retries once when SIP.js still has a re-INVITE of its own open', async () => {
    const { session, hold } = setup();
    session.answers = [{ throws: new RequestPendingError('Reinvite in progress') }, { accept: true }];
    await hold.set(true);
    expect(hold.state).toBe(HoldState.Held);
  });

  it('refuses a second change while one is on its way', async () => {
    const { session, hold } = setup();
    const first = hold.set(true);
    await expect(hold.set(false)).rejects.toBeInstanceOf(HoldNotPossibleError);
    await first;
    expect(session.offers).toHaveLength(1);
  });

  it('notices the far end holding us and taking us back, from its offers', () => {
    const { hold, changes } = setup();
    expect(hold.remoteOffer('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendonly\r\n')).toBe(true);
    expect(hold.remoteHeld).toBe(true);
    expect(hold.remoteOffer('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=inactive\r\n')).toBe(false);
    expect(hold.remoteOffer('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n')).toBe(true);
    expect(hold.remoteHeld).toBe(false);
    expect(changes()).toBe(2);
  });
});

describe('mediaDirection', () => {
  it.each([
    ['v=0\r\nm=audio 9 RTP/AVP 0\r\na=sendonly\r\n', 'sendonly'],
    ['v=0\r\na=inactive\r\nm=audio 9 RTP/AVP 0\r\n', 'inactive'],
    ['v=0\r\na=sendonly\r\nm=audio 9 RTP/AVP 0\r\na=recvonly\r\n', 'recvonly'],
    ['v=0\r\nm=video 9 RTP/AVP 96\r\na=sendonly\r\nm=audio 9 RTP/AVP 0\r\n', 'sendrecv'],
    ['v=0\r\nm=audio 9 RTP/AVP 0\r\n', 'sendrecv'],
  ])('reads %j as %s', (sdp, direction) => {
    expect(mediaDirection(sdp)).toBe(direction);
  });
});

describe('wordHoldError', () => {
  it.each([
    [new RemoteError('HoldRefusedError', 'hold refused with 488'), true, 'The call could not be put on hold: the other side refused (488).'],
    [new HoldRefusedError(false, 403), false, 'The call could not be taken off hold: the other side refused (403). It stays on hold.'],
    [new RemoteError('HoldRefusedError', 'hold refused'), true, 'The call could not be put on hold: the other side refused (no answer).'],
    [new RemoteError('HoldNotPossibleError', 'busy'), true, 'The call is still changing its hold; try again in a moment.'],
  ])('words %s', (error, hold, text) => {
    const worded = wordHoldError(error, hold);
    expect(worded).toBeInstanceOf(HoldFailedError);
    expect((worded as Error).message).toBe(text);
  });

  it('passes other errors through', () => {
    const error = new RemoteError('NotFoundError', 'no such call: c1');
    expect(wordHoldError(error, true)).toBe(error);
  });
});
