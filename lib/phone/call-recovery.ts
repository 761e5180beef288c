import { CallState } from '@/lib/phone/call-state';
import { createRecoveryMachine, RecoveryState } from '@/lib/phone/recovery-state';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('recovery');

/** How long an established call waits for the signalling connection to come back. */
export const RECOVERY_GRACE_MS = 20_000;

/** 491 Request Pending answers crossing re-INVITEs; retried this many times (RFC 3261 §14.1). */
const MAX_GLARE_RETRIES = 2;

/** What a call does when its account's signalling connection drops, by the call's state. */
export type TransportLossAction = 'recover' | 'end' | 'none';

/**
 * A call whose dialog is confirmed (answered, whatever our state calls it now, e.g. on hold) keeps
 * it and tries to recover; a call still being set up ends at once (its INVITE transaction cannot
 * complete over a connection that is gone, and a caller left ringing would be a ghost); a call
 * already over or hanging up needs nothing.
 */
export function transportLossAction(state: CallState, dialogConfirmed: boolean): TransportLossAction {
  if (state === CallState.Ending || state === CallState.Ended) return 'none';
  return dialogConfirmed ? 'recover' : 'end';
}

/** How the final answer to a recovery re-INVITE is taken. */
export type ReinviteVerdict = 'recovered' | 'retry' | 'lost' | 'kept';

/**
 * Reads the status code of the final answer to a recovery re-INVITE (0: it could not be sent).
 *
 * - 2xx: the far end has our new Contact and ICE restarted.
 * - 491: re-INVITEs crossed; try again after a pause (RFC 3261 §14.1).
 * - 408, 481 or no answer: the dialog is gone (RFC 3261 §12.2.1.2, §14.1).
 * - any other refusal leaves the session as it was (RFC 3261 §14.1): after a transport loss the
 *   call is kept (its media may well be flowing, and the media watchdog ends it if not); after a
 *   media stall the one restart allowed has failed, so the call is lost.
 */
export function reinviteVerdict(code: number, cause: 'transport' | 'media'): ReinviteVerdict {
  if (code >= 200 && code < 300) return 'recovered';
  if (code === 491) return 'retry';
  if (code === 0 || code === 408 || code === 481) return 'lost';
  return cause === 'transport' ? 'kept' : 'lost';
}

export interface CallRecoveryDelegate {
  /**
   * Sends a re-INVITE with an ICE restart. Resolves with the status code of its final answer
   * (SIP.js answers its own transaction timeout as 408), or 0 when it could not be sent.
   */
  restartIce(): Promise<number>;
  /** Recovery failed: end the call with "connection lost" (BYE best effort). */
  onLost(): void;
  /** {@link CallRecovery.reconnecting} or the state changed. */
  onChange(): void;
}

export interface CallRecoveryOptions {
  /** How long the signalling connection may stay down before the call is lost. @defaultValue 20000 */
  graceMs?: number;
  /**
   * Whether this side generated the dialog's Call-ID (an outbound call): sets the 491 back-off,
   * 2.1–4 s for the owner, 0–2 s otherwise (RFC 3261 §14.1). @defaultValue false
   */
  ownsCallId?: boolean;
  /** Source of randomness in [0, 1). @defaultValue Math.random */
  random?: () => number;
}

/**
 * Keeps one established call alive across a lost signalling connection or a stalled media path.
 *
 * Transport lost: wait up to the grace period for the account to register again, then send a
 * re-INVITE with an ICE restart, which also carries the new Contact (a WebSocket proxy aliases
 * it to the new connection), so the far end can reach us again (RFC 3261 §12.2.2, target
 * refresh). Media stalled: one ICE-restart re-INVITE per stall. The call is lost when SIP says
 * the dialog is gone or time runs out. Timers are plain `setTimeout`s (tests use fake timers).
 */
export class CallRecovery {
  private readonly machine = createRecoveryMachine();
  private readonly graceMs: number;
  private readonly ownsCallId: boolean;
  private readonly random: () => number;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private cause: 'transport' | 'media' = 'transport';
  /** Increases with every re-INVITE, so a late answer to an abandoned one is ignored. */
  private attempt = 0;
  private glareRetries = 0;
  /** The one media restart of the current stall was spent. */
  private mediaRestartSpent = false;
  private disposed = false;

  constructor(
    private readonly delegate: CallRecoveryDelegate,
    options: CallRecoveryOptions = {},
  ) {
    this.graceMs = options.graceMs ?? RECOVERY_GRACE_MS;
    this.ownsCallId = options.ownsCallId ?? false;
    this.random = options.random ?? Math.random;
    this.machine.changes.on(() => this.delegate.onChange());
  }

  get state(): RecoveryState {
    return this.machine.state;
  }

  /** Recovering right now: the call card says "Reconnecting…". */
  get reconnecting(): boolean {
    return this.state === RecoveryState.AwaitingTransport || this.state === RecoveryState.Renegotiating;
  }

  /** The account's signalling connection dropped. The grace period runs from the first loss. */
  transportLost(): void {
    if (this.disposed) return;
    if (this.state !== RecoveryState.Steady && this.state !== RecoveryState.Renegotiating) return;
    this.attempt += 1;
    this.clearRetry();
    this.cause = 'transport';
    this.machine.transition(RecoveryState.AwaitingTransport);
    this.graceTimer ??= setTimeout(() => {
      this.graceTimer = undefined;
      if (this.state !== RecoveryState.AwaitingTransport) return;
      log.info(`connection not back within ${this.graceMs} ms`);
      this.lose();
    }, this.graceMs);
  }

  /** The account is registered again: renegotiate the call over the new connection. */
  transportRestored(): void {
    if (this.disposed || this.state !== RecoveryState.AwaitingTransport) return;
    this.clearGrace();
    this.glareRetries = 0;
    this.machine.transition(RecoveryState.Renegotiating);
    this.renegotiate();
  }

  /**
   * No audio arrives and ICE says the path is broken: restart ICE once; a second stall without
   * audio in between ends the call.
   */
  mediaStalled(): void {
    if (this.disposed || this.state !== RecoveryState.Steady) return;
    if (this.mediaRestartSpent) {
      log.info('media still stalled after an ICE restart');
      this.lose();
      return;
    }
    this.mediaRestartSpent = true;
    this.cause = 'media';
    this.glareRetries = 0;
    this.machine.transition(RecoveryState.Renegotiating);
    this.renegotiate();
  }

  /** Audio arrives again: a later stall may try its own restart. */
  mediaFlowing(): void {
    this.mediaRestartSpent = false;
  }

  /** The call ended: stop every timer and ignore what is still in flight. */
  dispose(): void {
    this.disposed = true;
    this.clearGrace();
    this.clearRetry();
  }

  private renegotiate(): void {
    const attempt = ++this.attempt;
    this.delegate
      .restartIce()
      .catch((error: unknown) => {
        log.warn('recovery re-INVITE not sent', error);
        return 0;
      })
      .then((code) => {
        if (this.disposed || attempt !== this.attempt || this.state !== RecoveryState.Renegotiating) return;
        this.onAnswer(code);
      });
  }

  private onAnswer(code: number): void {
    const verdict = reinviteVerdict(code, this.cause);
    log.info(`recovery re-INVITE (${this.cause}) answered ${code}: ${verdict}`);
    switch (verdict) {
      case 'recovered':
      case 'kept':
        this.machine.transition(RecoveryState.Steady);
        break;
      case 'retry':
        if (this.glareRetries >= MAX_GLARE_RETRIES) {
          this.machine.transition(RecoveryState.Steady);
          break;
        }
        this.glareRetries += 1;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          if (!this.disposed && this.state === RecoveryState.Renegotiating) this.renegotiate();
        }, this.glareDelay());
        break;
      case 'lost':
        this.lose();
        break;
    }
  }

  /** RFC 3261 §14.1: 2.1–4 s for the Call-ID's owner, 0–2 s for the other side, in 10 ms units. */
  private glareDelay(): number {
    const [low, high] = this.ownsCallId ? [2100, 4000] : [0, 2000];
    return Math.round((low + this.random() * (high - low)) / 10) * 10;
  }

  private lose(): void {
    if (this.state === RecoveryState.Lost) return;
    this.clearGrace();
    this.clearRetry();
    this.machine.transition(RecoveryState.Lost);
    this.delegate.onLost();
  }

  private clearGrace(): void {
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
