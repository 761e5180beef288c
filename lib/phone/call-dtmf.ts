import type { CallLine } from '@/lib/phone/call-line';
import { CallState } from '@/lib/phone/call-state';
import { DtmfQueue, type DtmfFailure } from '@/lib/phone/dtmf-queue';
import { createDtmfSender } from '@/lib/phone/dtmf-senders';
import { DTMF_SENT_KEPT, type DtmfSnapshot } from '@/lib/phone/phone-snapshot';
import type { DtmfMethod } from '@/lib/settings/settings-schema';
import { Exception } from '@/lib/util/exception';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('dtmf');

/** Digits were asked for on a call that is not up. */
export class DtmfNotPossibleError extends Exception {}

export interface CallDtmfOptions {
  /** The method of the call's account, read at each digit (a settings change applies at once). */
  method: () => DtmfMethod;
  /** Something changed (publish a snapshot). */
  onChange: () => void;
}

/**
 * The keypad of one call: its digits go out in order through a {@link DtmfQueue}, and what was sent
 * (or why it was not) is kept for the call card.
 */
export class CallDtmf {
  private readonly queue: DtmfQueue;
  private sent = '';
  private failure: DtmfFailure | undefined;
  private sipCode: number | undefined;

  constructor(
    private readonly call: CallLine,
    private readonly options: CallDtmfOptions,
  ) {
    this.queue = new DtmfQueue(createDtmfSender(call.session, options.method), {
      onSent: (digit) => {
        this.sent = (this.sent + digit).slice(-DTMF_SENT_KEPT);
        this.failure = undefined;
        this.sipCode = undefined;
        this.options.onChange();
      },
      onFailed: (error) => {
        log.info(`call ${this.call.id}: ${error.message}`);
        this.failure = error.failure;
        this.sipCode = error.sipCode;
        this.options.onChange();
      },
    });
  }

  /** Queues digits (`0-9`, `*`, `#`, `A-D`) to be sent after those already waiting. */
  send(digits: string): void {
    if (this.call.state !== CallState.Established) {
      throw new DtmfNotPossibleError(`call ${this.call.id} is not established (${this.call.state})`);
    }
    this.queue.enqueue(digits);
  }

  /** Drops digits still waiting (the call ended). */
  stop(): void {
    this.queue.clear();
  }

  /** What the snapshot shows; `undefined` until a digit was sent or failed. */
  view(): DtmfSnapshot | undefined {
    if (this.sent === '' && this.failure === undefined) return undefined;
    return {
      sent: this.sent,
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.sipCode !== undefined ? { sipCode: this.sipCode } : {}),
    };
  }
}
