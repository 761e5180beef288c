import type { Session } from 'sip.js';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DTMF_DIGITS, DtmfQueue, DtmfSendError } from '@/lib/phone/dtmf-queue';
import { createDtmfSender, dtmfRelayBody, DTMF_GAP_MS, DTMF_TONE_MS } from '@/lib/phone/dtmf-senders';

beforeEach(() => {
  fakeBrowser.reset();
});

/** A send function the test finishes digit by digit. */
function manualSender() {
  const started: string[] = [];
  const finishers: ((error?: Error) => void)[] = [];
  const send = (digit: string) =>
    new Promise<void>((resolve, reject) => {
      started.push(digit);
      finishers.push((error) => (error ? reject(error) : resolve()));
    });
  return { send, started, finish: (index: number, error?: Error) => finishers[index]!(error) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('DtmfQueue', () => {
  it('sends a burst one digit at a time, in the order pressed', async () => {
    const { send, started, finish } = manualSender();
    const sent: string[] = [];
    const queue = new DtmfQueue(send, { onSent: (digit) => sent.push(digit), onFailed: () => undefined });
    queue.enqueue('12');
    queue.enqueue('3');
    await flush();
    expect(started).toEqual(['1']);
    expect(queue.waiting).toBe(2);
    for (let i = 0; i < 3; i += 1) {
      finish(i);
      await flush();
    }
    expect(started).toEqual(['1', '2', '3']);
    expect(sent).toEqual(['1', '2', '3']);
  });

  it('drops what is still queued after a failure and reports it', async () => {
    const { send, started, finish } = manualSender();
    const failures: DtmfSendError[] = [];
    const queue = new DtmfQueue(send, { onSent: () => undefined, onFailed: (error) => failures.push(error) });
    queue.enqueue('1#9');
    await flush();
    finish(0, new DtmfSendError('refused', 405));
    await flush();
    expect(started).toEqual(['1']);
    expect(failures.map((error) => [error.failure, error.sipCode])).toEqual([['refused', 405]]);
    expect(queue.waiting).toBe(0);
    // A later press starts again.
    queue.enqueue('5');
    await flush();
    expect(started).toEqual(['1', '5']);
  });

  it.each(['', 'x', '1 2', 'E', '+'])('refuses %j as digits', (digits) => {
    const queue = new DtmfQueue(async () => undefined, { onSent: () => undefined, onFailed: () => undefined });
    expect(() => queue.enqueue(digits)).toThrow(TypeError);
    expect(DTMF_DIGITS.test(digits)).toBe(false);
  });

  it('accepts the sixteen keypad keys', () => {
    expect(DTMF_DIGITS.test('0123456789*#ABCD')).toBe(true);
  });
});

describe('createDtmfSender', () => {
  it('SIP INFO: one application/dtmf-relay INFO per digit, resolved by its 2xx', async () => {
    const info = vi.fn((options: { requestDelegate: { onAccept(): void } }) => {
      options.requestDelegate.onAccept();
      return Promise.resolve({});
    });
    const send = createDtmfSender({ info } as unknown as Session, () => 'info');
    await send('#');
    expect(info).toHaveBeenCalledWith(
      expect.objectContaining({
        requestOptions: {
          body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: 'Signal=#\r\nDuration=160\r\n' },
        },
      }),
    );
    expect(dtmfRelayBody('5')).toBe('Signal=5\r\nDuration=160\r\n');
  });

  it.each([405, 415, 501])('SIP INFO refused with %i: rejects with the code', async (code) => {
    const info = (options: { requestDelegate: { onReject(r: unknown): void } }) => {
      options.requestDelegate.onReject({ message: { statusCode: code } });
      return Promise.resolve({});
    };
    const send = createDtmfSender({ info } as unknown as Session, () => 'info');
    await expect(send('1')).rejects.toMatchObject({ failure: 'refused', sipCode: code });
  });

  /** An RTCDTMFSender that plays tones on a fake clock: tonechange at start and '' after the gap. */
  function dtmfSession(canInsertDTMF = true) {
    const target = new EventTarget();
    const inserted: [string, number, number][] = [];
    const dtmf = Object.assign(target, {
      canInsertDTMF,
      insertDTMF(tones: string, duration: number, gap: number) {
        inserted.push([tones, duration, gap]);
        setTimeout(() => target.dispatchEvent(Object.assign(new Event('tonechange'), { tone: tones })), 0);
        setTimeout(() => target.dispatchEvent(Object.assign(new Event('tonechange'), { tone: '' })), duration + gap);
      },
    });
    const peerConnection = { getSenders: () => [{ track: { kind: 'audio' }, dtmf }] };
    return { session: { sessionDescriptionHandler: { peerConnection } } as unknown as Session, inserted };
  }

  it('RFC 4733: inserts one 100 ms tone with a 70 ms gap and resolves only when the sender is done', async () => {
    vi.useFakeTimers();
    try {
      const { session, inserted } = dtmfSession();
      const send = createDtmfSender(session, () => 'rfc4733');
      let done = false;
      const sending = send('7').then(() => (done = true));
      expect(inserted).toEqual([['7', DTMF_TONE_MS, DTMF_GAP_MS]]);
      await vi.advanceTimersByTimeAsync(DTMF_TONE_MS + DTMF_GAP_MS - 1);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await sending;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('RFC 4733 without a negotiated telephone-event: unsupported', async () => {
    const { session } = dtmfSession(false);
    await expect(createDtmfSender(session, () => 'rfc4733')('1')).rejects.toMatchObject({ failure: 'unsupported' });
  });

  it('reads the method at each digit, so a settings change applies at once', async () => {
    let method: 'rfc4733' | 'info' = 'info';
    const info = vi.fn((options: { requestDelegate: { onAccept(): void } }) => {
      options.requestDelegate.onAccept();
      return Promise.resolve({});
    });
    const send = createDtmfSender({ info, sessionDescriptionHandler: undefined } as unknown as Session, () => method);
    await send('1');
    method = 'rfc4733';
    await expect(send('2')).rejects.toMatchObject({ failure: 'unsupported' });
    expect(info).toHaveBeenCalledTimes(1);
  });
});
