import { URI, type Notification } from 'sip.js';
import type { CallLine } from '@/lib/phone/call-line';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import type { TransferSnapshot } from '@/lib/phone/phone-snapshot';
import { referProgress } from '@/lib/phone/refer-progress';
import type { TransferFailure } from '@/lib/phone/transfer-failure';
import { createTransferMachine, TransferState } from '@/lib/phone/transfer-state';
import { Exception } from '@/lib/util/exception';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('transfer');

/** The call cannot be transferred now (not established, or another transfer is under way). */
export class TransferNotPossibleError extends Exception {}

export interface CallTransferDelegate {
  /** Something about the transfer changed (publish a snapshot). */
  onTransferChange(transfer: CallTransfer): void;
  /** Puts the caller's call on hold before the consult call is dialled. */
  hold(call: CallLine): Promise<void>;
  /** Takes the caller's call off hold when the agent returns to the caller. */
  resume(call: CallLine): Promise<void>;
}

export interface CallTransferOptions {
  delegate: CallTransferDelegate;
  /**
   * How long to wait, after the REFER was accepted, for the final NOTIFY (the transferee's call to
   * the target answered or failed). Longer than a target's usual no-answer time.
   * @defaultValue 120000
   */
  outcomeTimeoutMs?: number;
}

/**
 * The transfer of one call, where the agent is the transferor (RFC 5589).
 *
 * Blind: REFER with `Refer-To: <target>` (RFC 3515). Ask first: the caller is put on hold and the
 * target dialled as a second call; *complete* sends REFER with `Refer-To: <target?Replaces=…>`
 * (RFC 3891) naming the consult dialog, so the caller calls the target and takes that dialog over.
 * Either way the transferee reports its own call to the target in NOTIFYs whose `message/sipfrag`
 * body is that call's status line (RFC 3515 §2.4.5): 2xx ends the agent's calls as
 * "transferred" (the transferor hangs up, RFC 5589 §6), 3xx-6xx leaves them as they were.
 */
export class CallTransfer {
  private readonly machine = createTransferMachine();
  private readonly outcomeTimeoutMs: number;
  private kind: 'blind' | 'attended' = 'blind';
  private target = '';
  private consultCall: CallLine | undefined;
  private failure: TransferFailure | undefined;
  private sipCode: number | undefined;
  private outcomeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped with every REFER, so late answers to an earlier one are ignored. */
  private attempt = 0;

  constructor(
    readonly call: CallLine,
    private readonly options: CallTransferOptions,
  ) {
    this.outcomeTimeoutMs = options.outcomeTimeoutMs ?? 120_000;
    this.machine.changes.on(() => this.options.delegate.onTransferChange(this));
  }

  get state(): TransferState {
    return this.machine.state;
  }

  /** The consult call of an "ask first" transfer, while it is linked. */
  get consult(): CallLine | undefined {
    return this.consultCall;
  }

  /** What the call's snapshot shows; `undefined` while nothing was ever attempted. */
  view(): TransferSnapshot | undefined {
    if (this.machine.state === TransferState.Idle && this.failure === undefined && this.target === '') return undefined;
    return {
      state: this.machine.state,
      kind: this.kind,
      target: this.target,
      ...(this.consultCall && !this.consultCall.ended ? { consultCallId: this.consultCall.id } : {}),
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.sipCode !== undefined ? { sipCode: this.sipCode } : {}),
    };
  }

  /** Blind transfer: REFER the caller to `target` (a complete SIP URI). */
  blind(target: URI, display: string): void {
    this.assertCallUp();
    if (!this.machine.can(TransferState.Referring) || this.machine.state === TransferState.Consulting) {
      throw new TransferNotPossibleError(`cannot transfer call ${this.call.id} now (${this.machine.state})`);
    }
    this.kind = 'blind';
    this.target = display;
    this.clearFailure();
    this.machine.transition(TransferState.Referring);
    this.sendRefer(target);
  }

  /**
   * Ask first: puts the caller on hold, then dials the target with `dial` (the engine places the
   * call) and links it as the consult call. Resolves with the consult call.
   */
  async startConsult(dial: () => CallLine, display: string): Promise<CallLine> {
    this.assertCallUp();
    if (!this.machine.can(TransferState.Consulting)) {
      throw new TransferNotPossibleError(`cannot consult for call ${this.call.id} now (${this.machine.state})`);
    }
    await this.options.delegate.hold(this.call);
    // The caller may have hung up while the hold was being negotiated.
    this.assertCallUp();
    const consult = dial();
    this.kind = 'attended';
    this.target = display;
    this.consultCall = consult;
    this.clearFailure();
    this.machine.transition(TransferState.Consulting);
    return consult;
  }

  /** Ask first, complete: REFER the caller to the consult call's dialog (REFER with Replaces). */
  complete(): void {
    const consult = this.consultCall;
    if (this.machine.state !== TransferState.Consulting || !consult || consult.state !== CallState.Established) {
      throw new TransferNotPossibleError(`nothing to complete on call ${this.call.id} (${this.machine.state})`);
    }
    this.assertCallUp();
    this.clearFailure();
    // The target ends the consult dialog itself once the caller's INVITE with Replaces arrives
    // (RFC 3891 §3), possibly before the caller's NOTIFY reaches us: that BYE is the transfer.
    consult.expectTransferEnd(true);
    this.machine.transition(TransferState.Referring);
    this.sendRefer(consult);
  }

  /** Ask first, cancel: hangs up the consult call and goes back to the caller. */
  cancel(): void {
    if (this.machine.state !== TransferState.Consulting) {
      throw new TransferNotPossibleError(`nothing to cancel on call ${this.call.id} (${this.machine.state})`);
    }
    const consult = this.consultCall;
    this.consultCall = undefined;
    this.machine.transition(TransferState.Idle);
    consult?.hangup();
    this.returnToCaller();
  }

  /** The consult call changed (the engine forwards every change of it). */
  onConsultChange(consult: CallLine): void {
    if (consult !== this.consultCall || !consult.ended) return;
    this.consultCall = undefined;
    if (this.machine.state !== TransferState.Consulting) return;
    const reason = consult.snapshot().endReason;
    if (reason === CallEndReason.LocalHangup || reason === CallEndReason.Cancelled) {
      // The agent hung up the consult call from its card: the same as Cancel.
      this.machine.transition(TransferState.Idle);
    } else {
      const answered = consult.snapshot().answeredAt !== undefined;
      this.fail(answered ? 'consult-ended' : 'consult-failed', answered ? undefined : consult.snapshot().sipCode);
    }
    this.returnToCaller();
  }

  /** The caller's call ended: nothing is left to transfer. */
  onCallEnded(): void {
    this.clearOutcomeTimer();
    this.attempt += 1;
    // An "ask first" whose caller hung up leaves the agent in an ordinary call with the target.
    this.consultCall?.expectTransferEnd(false);
    this.consultCall = undefined;
    if (this.machine.state !== TransferState.Done) this.options.delegate.onTransferChange(this);
  }

  private sendRefer(referTo: URI | CallLine): void {
    const attempt = ++this.attempt;
    const current = () => attempt === this.attempt && this.machine.state === TransferState.Referring;
    // SIP.js writes `Refer-To: <contact?Replaces=call-id;to-tag;from-tag>` for a session (RFC 3891 §6.1).
    const target = referTo instanceof URI ? referTo : referTo.session;
    this.call.session
      .refer(target, {
        requestDelegate: {
          onAccept: () => {
            if (!current()) return;
            log.info(`REFER of call ${this.call.id} accepted`);
            // Some transferees hang up on us as soon as they have accepted (RFC 5589 §6 allows
            // either side to end the dialog): the caller has moved on to the target.
            this.call.expectTransferEnd(true);
            this.startOutcomeTimer(attempt);
          },
          onReject: (response) => {
            if (!current()) return;
            const code = response.message.statusCode;
            log.info(`REFER of call ${this.call.id} refused: ${code} ${response.message.reasonPhrase}`);
            this.notTransferred('refused', code);
          },
        },
        onNotify: (notification) => this.onNotify(notification, current, attempt),
      })
      .catch((error: unknown) => {
        if (!current()) return;
        log.warn(`REFER of call ${this.call.id} not sent`, error);
        this.notTransferred('failed', undefined);
      });
  }

  private onNotify(notification: Notification, current: () => boolean, attempt: number): void {
    notification.accept().catch((error: unknown) => log.debug('200 to NOTIFY not sent', error));
    if (!current()) return;
    const progress = referProgress(notification.request.body);
    if (!progress) return;
    log.info(`transfer of call ${this.call.id}: NOTIFY ${progress.code}`);
    if (progress.kind === 'progress') {
      // The target rings: the timer now waits for its answer.
      this.startOutcomeTimer(attempt);
      return;
    }
    if (progress.kind === 'failure') {
      this.notTransferred('target-failed', progress.code);
      return;
    }
    this.clearOutcomeTimer();
    this.machine.transition(TransferState.Done);
    const consult = this.consultCall;
    this.consultCall = undefined;
    consult?.endTransferred();
    this.call.endTransferred();
  }

  /** The REFER did not move the caller: back to where the agent was. */
  private notTransferred(failure: TransferFailure, sipCode: number | undefined): void {
    this.clearOutcomeTimer();
    this.call.expectTransferEnd(false);
    const consult = this.consultCall;
    if (this.kind === 'attended' && consult && !consult.ended) {
      consult.expectTransferEnd(false);
      this.failure = failure;
      this.sipCode = sipCode;
      this.machine.transition(TransferState.Consulting);
      return;
    }
    this.fail(failure, sipCode);
    // Ask first, and the target has gone meanwhile: the agent is back with the caller.
    if (this.kind === 'attended') this.returnToCaller();
  }

  private fail(failure: TransferFailure, sipCode: number | undefined): void {
    this.failure = failure;
    this.sipCode = sipCode;
    this.machine.transition(TransferState.Failed);
  }

  private returnToCaller(): void {
    if (this.call.ended) return;
    this.options.delegate.resume(this.call).catch((error: unknown) => {
      log.warn(`call ${this.call.id} could not be resumed`, error);
    });
  }

  private startOutcomeTimer(attempt: number): void {
    this.clearOutcomeTimer();
    this.outcomeTimer = setTimeout(() => {
      this.outcomeTimer = undefined;
      if (attempt !== this.attempt || this.machine.state !== TransferState.Referring) return;
      log.info(`transfer of call ${this.call.id}: no final NOTIFY in ${this.outcomeTimeoutMs} ms`);
      this.notTransferred('no-outcome', undefined);
    }, this.outcomeTimeoutMs);
  }

  private clearOutcomeTimer(): void {
    if (this.outcomeTimer !== undefined) clearTimeout(this.outcomeTimer);
    this.outcomeTimer = undefined;
  }

  private clearFailure(): void {
    this.failure = undefined;
    this.sipCode = undefined;
  }

  private assertCallUp(): void {
    if (this.call.state !== CallState.Established) {
      throw new TransferNotPossibleError(`call ${this.call.id} is not established (${this.call.state})`);
    }
  }
}
