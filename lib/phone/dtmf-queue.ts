import { z } from 'zod';
import { Exception } from '@/lib/util/exception';

/** The keys a telephone keypad sends as DTMF: 0-9, `*`, `#` and the column keys A-D (RFC 4733 §3.2). */
export const DTMF_DIGITS = /^[0-9*#A-D]+$/;

/** Why sending a digit failed. */
export const DtmfFailureSchema = z.enum([
  /** The far end answered the INFO with an error (405, 415, 501…). */
  'refused',
  /** The call's audio cannot carry RFC 4733 events (the far end did not offer telephone-event). */
  'unsupported',
  /** The request could not be sent. */
  'failed',
]);
export type DtmfFailure = z.infer<typeof DtmfFailureSchema>;

/** A digit could not be sent; `sipCode` is the far end's answer to an INFO. */
export class DtmfSendError extends Exception {
  constructor(
    readonly failure: DtmfFailure,
    readonly sipCode?: number,
  ) {
    super(sipCode === undefined ? `DTMF not sent (${failure})` : `DTMF not sent: SIP ${sipCode}`);
  }
}

export interface DtmfQueueDelegate {
  /** A digit went out (its tone was played, or its INFO was answered 2xx). */
  onSent(digit: string): void;
  /** A digit failed; the digits queued after it were dropped. */
  onFailed(error: DtmfSendError): void;
}

/**
 * Sends the digits of one call strictly one after another, in the order they were pressed.
 *
 * A burst of key presses must not overlap: `RTCDTMFSender.insertDTMF` replaces the tones still
 * waiting in its buffer, and INFOs sent together may be reordered by the network, so each digit
 * waits until the one before it is finished. After a failure the digits still queued are dropped:
 * "1#" sent without its "1" would mean something else to an IVR.
 */
export class DtmfQueue {
  private readonly pending: string[] = [];
  private running = false;

  constructor(
    private readonly send: (digit: string) => Promise<void>,
    private readonly delegate: DtmfQueueDelegate,
  ) {}

  /** Queues `digits` (each one a {@link DTMF_DIGITS} character). */
  enqueue(digits: string): void {
    if (!DTMF_DIGITS.test(digits)) throw new TypeError(`not DTMF digits: ${digits}`);
    this.pending.push(...digits);
    if (!this.running) void this.drain();
  }

  /** Digits waiting to be sent. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Drops what is still queued (the call ended). */
  clear(): void {
    this.pending.length = 0;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let digit = this.pending.shift(); digit !== undefined; digit = this.pending.shift()) {
        try {
          await this.send(digit);
        } catch (error) {
          this.pending.length = 0;
          this.delegate.onFailed(error instanceof DtmfSendError ? error : new DtmfSendError('failed'));
          return;
        }
        this.delegate.onSent(digit);
      }
    } finally {
      this.running = false;
    }
  }
}
