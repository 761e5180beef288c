import { URI, type Session } from 'sip.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CallLine } from '@/lib/phone/call-line';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import { CallTransfer, TransferNotPossibleError } from '@/lib/phone/call-transfer';
import { referProgress, sipfragStatus } from '@/lib/phone/refer-progress';
import { TransferState } from '@/lib/phone/transfer-state';
import { setLogLevel } from '@/lib/util/logger';

beforeEach(() => {
  fakeBrowser.reset();
  setLogLevel('error');
});

afterEach(() => {
  vi.useRealTimers();
});

interface ReferCall {
  referTo: URI | Session;
  accept(): void;
  reject(code: number): void;
  notify(body: string): void;
}

/** A call as CallTransfer sees it, with a session that records REFERs and lets the test answer them. */
function fakeCall(id: string, state: CallState = CallState.Established) {
  const refers: ReferCall[] = [];
  const session = {
    refer: vi.fn((referTo: URI | Session, options: { requestDelegate: { onAccept(r: unknown): void; onReject(r: unknown): void }; onNotify(n: unknown): void }) => {
      refers.push({
        referTo,
        accept: () => options.requestDelegate.onAccept({}),
        reject: (code) => options.requestDelegate.onReject({ message: { statusCode: code, reasonPhrase: 'No' } }),
        notify: (body) => options.onNotify({ request: { body }, accept: () => Promise.resolve() }),
      });
      return Promise.resolve({});
    }),
  } as unknown as Session;
  const call = {
    id,
    session,
    state,
    ended: false,
    handOff: false,
    endedAs: undefined as CallEndReason | undefined,
    answeredAt: undefined as number | undefined,
    sipCode: undefined as number | undefined,
    expectTransferEnd(expect: boolean) {
      call.handOff = expect;
    },
    endTransferred() {
      call.end(CallEndReason.Transferred);
    },
    hangup() {
      call.end(CallEndReason.LocalHangup);
    },
    end(reason: CallEndReason) {
      call.state = CallState.Ended;
      call.ended = true;
      call.endedAs = reason;
    },
    snapshot() {
      return {
        endReason: call.endedAs,
        ...(call.answeredAt === undefined ? {} : { answeredAt: call.answeredAt }),
        ...(call.sipCode === undefined ? {} : { sipCode: call.sipCode }),
      };
    },
  };
  return { call, refers, line: call as unknown as CallLine };
}

function setUp(outcomeTimeoutMs?: number) {
  const caller = fakeCall('caller');
  const held: string[] = [];
  const changes: TransferState[] = [];
  const transfer = new CallTransfer(caller.line, {
    delegate: {
      onTransferChange: (t) => changes.push(t.state),
      hold: async (call) => {
        held.push(`hold ${call.id}`);
      },
      resume: async (call) => {
        held.push(`resume ${call.id}`);
      },
    },
    ...(outcomeTimeoutMs === undefined ? {} : { outcomeTimeoutMs }),
  });
  return { caller, transfer, held, changes };
}

const TARGET = new URI('sip', '1003', 'demo.local');

describe('referProgress (NOTIFY sipfrag, RFC 3515 §2.4.5)', () => {
  it.each([
    ['SIP/2.0 100 Trying', { kind: 'progress', code: 100 }],
    ['SIP/2.0 180 Ringing\r\n', { kind: 'progress', code: 180 }],
    ['  SIP/2.0 200 OK', { kind: 'success', code: 200 }],
    ['SIP/2.0 486 Busy Here', { kind: 'failure', code: 486 }],
    ['SIP/2.0 603 Decline', { kind: 'failure', code: 603 }],
    ['', undefined],
    ['hello', undefined],
    ['SIP/2.0 099 Odd', undefined],
  ])('reads %j', (body, expected) => {
    expect(referProgress(body)).toEqual(expected);
  });

  it('takes the status code of the status line only', () => {
    expect(sipfragStatus('SIP/2.0 202 Accepted\r\nContent-Length: 0')).toBe(202);
    expect(sipfragStatus(undefined)).toBeUndefined();
  });
});

describe('CallTransfer', () => {
  describe('blind', () => {
    it('REFERs the caller to the target; a 2xx NOTIFY ends the call as transferred', () => {
      const { caller, transfer, changes } = setUp();
      transfer.blind(TARGET, '1003');
      expect(transfer.state).toBe(TransferState.Referring);
      expect(caller.refers[0]!.referTo).toBe(TARGET);
      caller.refers[0]!.accept();
      // Once accepted, the caller leaving us is the transfer happening.
      expect(caller.call.handOff).toBe(true);
      caller.refers[0]!.notify('SIP/2.0 100 Trying');
      caller.refers[0]!.notify('SIP/2.0 180 Ringing');
      expect(transfer.state).toBe(TransferState.Referring);
      caller.refers[0]!.notify('SIP/2.0 200 OK');
      expect(transfer.state).toBe(TransferState.Done);
      expect(caller.call.endedAs).toBe(CallEndReason.Transferred);
      expect(changes).toEqual([TransferState.Referring, TransferState.Done]);
    });

    it.each([403, 405, 501, 488])('a REFER refused with %i fails with its code and the call goes on', (code) => {
      const { caller, transfer } = setUp();
      transfer.blind(TARGET, '1003');
      caller.refers[0]!.reject(code);
      expect(transfer.state).toBe(TransferState.Failed);
      expect(transfer.view()).toEqual({ state: 'failed', kind: 'blind', target: '1003', failure: 'refused', sipCode: code });
      expect(caller.call.ended).toBe(false);
      expect(caller.call.handOff).toBe(false);
    });

    it('a 3xx-6xx NOTIFY (the target busy) fails and the call goes on', () => {
      const { caller, transfer } = setUp();
      transfer.blind(TARGET, '1003');
      caller.refers[0]!.accept();
      caller.refers[0]!.notify('SIP/2.0 486 Busy Here');
      expect(transfer.view()).toMatchObject({ state: 'failed', failure: 'target-failed', sipCode: 486 });
      expect(caller.call.ended).toBe(false);
      expect(caller.call.handOff).toBe(false);
    });

    it('no final NOTIFY in time: no outcome, the call goes on', () => {
      vi.useFakeTimers();
      const { caller, transfer } = setUp(5000);
      transfer.blind(TARGET, '1003');
      caller.refers[0]!.accept();
      vi.advanceTimersByTime(4999);
      expect(transfer.state).toBe(TransferState.Referring);
      vi.advanceTimersByTime(1);
      expect(transfer.view()).toMatchObject({ state: 'failed', failure: 'no-outcome' });
      // A NOTIFY that comes after it was given up changes nothing.
      caller.refers[0]!.notify('SIP/2.0 200 OK');
      expect(caller.call.ended).toBe(false);
    });

    it('may be tried again after a failure, and the failure is cleared', () => {
      const { caller, transfer } = setUp();
      transfer.blind(TARGET, '1003');
      caller.refers[0]!.reject(403);
      transfer.blind(TARGET, '1004');
      expect(transfer.view()).toEqual({ state: 'referring', kind: 'blind', target: '1004' });
      // The answer to the first REFER arriving late does not touch the second.
      caller.refers[0]!.reject(500);
      expect(transfer.state).toBe(TransferState.Referring);
    });

    it('refuses a second transfer while one is under way, and any on a call that is not up', () => {
      const { transfer } = setUp();
      transfer.blind(TARGET, '1003');
      expect(() => transfer.blind(TARGET, '1003')).toThrow(TransferNotPossibleError);
      const ringing = fakeCall('ringing', CallState.Ringing);
      const other = new CallTransfer(ringing.line, {
        delegate: { onTransferChange: () => undefined, hold: async () => undefined, resume: async () => undefined },
      });
      expect(() => other.blind(TARGET, '1003')).toThrow(TransferNotPossibleError);
      expect(other.state).toBe(TransferState.Idle);
    });
  });

  describe('ask first', () => {
    async function consulting() {
      const setup = setUp();
      const target = fakeCall('consult');
      const consult = await setup.transfer.startConsult(() => target.line, '1003');
      expect(consult).toBe(target.line);
      return { ...setup, target };
    }

    it('holds the caller before dialling the target, and links the consult call', async () => {
      const { transfer, held } = await consulting();
      expect(held).toEqual(['hold caller']);
      expect(transfer.view()).toEqual({ state: 'consulting', kind: 'attended', target: '1003', consultCallId: 'consult' });
    });

    it('complete: REFER with Replaces names the consult session; 2xx ends both calls as transferred', async () => {
      const { caller, transfer, target } = await consulting();
      transfer.complete();
      expect(caller.refers[0]!.referTo).toBe(target.call.session);
      // The target may end the consult dialog before the caller's NOTIFY arrives.
      expect(target.call.handOff).toBe(true);
      caller.refers[0]!.accept();
      caller.refers[0]!.notify('SIP/2.0 200 OK');
      expect(transfer.state).toBe(TransferState.Done);
      expect(caller.call.endedAs).toBe(CallEndReason.Transferred);
      expect(target.call.endedAs).toBe(CallEndReason.Transferred);
    });

    it('complete refused: back to consulting with the reason, both calls still up', async () => {
      const { caller, transfer, target, held } = await consulting();
      transfer.complete();
      caller.refers[0]!.reject(501);
      expect(transfer.view()).toMatchObject({ state: 'consulting', failure: 'refused', sipCode: 501, consultCallId: 'consult' });
      expect(target.call.handOff).toBe(false);
      expect(held).toEqual(['hold caller']);
    });

    it('cancel: hangs up the target and resumes the caller', async () => {
      const { transfer, target, held } = await consulting();
      transfer.cancel();
      expect(transfer.state).toBe(TransferState.Idle);
      expect(target.call.endedAs).toBe(CallEndReason.LocalHangup);
      expect(held).toEqual(['hold caller', 'resume caller']);
    });

    it('the target does not answer: failed with its code, the caller resumed', async () => {
      const { transfer, target, held } = await consulting();
      target.call.sipCode = 486;
      target.call.end(CallEndReason.Rejected);
      transfer.onConsultChange(target.line);
      expect(transfer.view()).toEqual({ state: 'failed', kind: 'attended', target: '1003', failure: 'consult-failed', sipCode: 486 });
      expect(held).toEqual(['hold caller', 'resume caller']);
    });

    it('the target hangs up while consulting: failed, the caller resumed', async () => {
      const { transfer, target, held } = await consulting();
      target.call.answeredAt = 1;
      target.call.end(CallEndReason.RemoteHangup);
      transfer.onConsultChange(target.line);
      expect(transfer.view()).toMatchObject({ state: 'failed', failure: 'consult-ended' });
      expect(held).toEqual(['hold caller', 'resume caller']);
    });

    it('the agent hangs up the consult call from its card: the same as cancel', async () => {
      const { transfer, target, held } = await consulting();
      target.call.end(CallEndReason.LocalHangup);
      transfer.onConsultChange(target.line);
      expect(transfer.state).toBe(TransferState.Idle);
      expect(transfer.view()?.failure).toBeUndefined();
      expect(held).toEqual(['hold caller', 'resume caller']);
    });

    it('refuses complete before the target answered, and cancel or complete when not consulting', async () => {
      const { transfer, target } = await consulting();
      target.call.state = CallState.Ringing;
      expect(() => transfer.complete()).toThrow(TransferNotPossibleError);
      transfer.cancel();
      expect(() => transfer.cancel()).toThrow(TransferNotPossibleError);
      expect(() => transfer.complete()).toThrow(TransferNotPossibleError);
    });

    it('does not dial when holding the caller fails', async () => {
      const caller = fakeCall('caller');
      const transfer = new CallTransfer(caller.line, {
        delegate: {
          onTransferChange: () => undefined,
          hold: () => Promise.reject(new Error('488')),
          resume: async () => undefined,
        },
      });
      const dial = vi.fn(() => fakeCall('consult').line);
      await expect(transfer.startConsult(dial, '1003')).rejects.toThrow('488');
      expect(dial).not.toHaveBeenCalled();
      expect(transfer.state).toBe(TransferState.Idle);
    });
  });
});
