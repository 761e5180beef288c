import { RequestPendingError, type Session } from 'sip.js';
import { createHoldMachine, HoldState } from '@/lib/phone/hold-state';
import { Exception } from '@/lib/util/exception';

/** The far end (or a proxy) refused the re-INVITE that puts a call on hold or takes it off. */
export class HoldRefusedError extends Exception {
  constructor(
    readonly hold: boolean,
    /** The final response's status code; absent when no response came (timeout, transport). */
    readonly code?: number,
  ) {
    super(`${hold ? 'hold' : 'resume'} refused${code === undefined ? '' : ` with ${code}`}`);
  }
}

/** The hold command came while the call cannot change its hold (not established, or a change is on its way). */
export class HoldNotPossibleError extends Exception {}

export interface CallHoldDelegate {
  /** The hold state changed (the call card follows it). */
  onHoldChange(): void;
  /** Whether the agent muted the microphone: resuming must not unmute. */
  isMuted(): boolean;
}

export interface CallHoldOptions {
  /**
   * Waits before the one retry after 491 Request Pending (re-INVITEs crossed). RFC 3261 §14.1: the
   * owner of the Call-ID (the caller) waits 2.1–4 s, the other side 0–2 s, so the two retries do
   * not cross again.
   */
  glareWait?: (ms: number) => Promise<void>;
  /** @defaultValue Math.random */
  random?: () => number;
}

interface TrackSwitches {
  enableSenderTracks?(enable: boolean): void;
  enableReceiverTracks?(enable: boolean): void;
}

/**
 * Hold and resume of one established SIP.js session: a re-INVITE whose offer is `sendonly` (hold)
 * or `sendrecv` (resume), built by SIP.js's session description handler from its `hold` option.
 * The option is kept in `sessionDescriptionHandlerOptionsReInvite`, so every later offer or answer
 * of the dialog — a re-INVITE from the far end, an ICE restart — keeps the call held.
 *
 * While held the microphone is not sent and the far end's audio (music on hold, if any) is not
 * played; resuming restores both, keeping the agent's mute.
 */
export class CallHold {
  private readonly machine = createHoldMachine();
  private readonly wait: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** The far end's last offer put us on hold (its SDP said sendonly or inactive). */
  private remote = false;

  constructor(
    private readonly session: Session,
    /** Whether this side sent the INVITE that created the dialog (the Call-ID's owner). */
    private readonly callIdOwner: boolean,
    private readonly delegate: CallHoldDelegate,
    options: CallHoldOptions = {},
  ) {
    this.wait = options.glareWait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.machine.changes.on(() => this.delegate.onHoldChange());
  }

  get state(): HoldState {
    return this.machine.state;
  }

  /** The call is held or on its way there: the microphone must stay off. */
  get held(): boolean {
    return this.machine.state === HoldState.Held || this.machine.state === HoldState.Holding;
  }

  /** The far end has put us on hold. */
  get remoteHeld(): boolean {
    return this.remote;
  }

  /**
   * Puts the call on hold (`true`) or takes it off (`false`). Resolves once the far end accepted;
   * rejects with {@link HoldRefusedError} when it refused (the call stays as it was), or
   * {@link HoldNotPossibleError} while another hold change is on its way.
   */
  async set(hold: boolean): Promise<void> {
    const state = this.machine.state;
    if (hold && (state === HoldState.Held || state === HoldState.Holding)) return;
    if (!hold && (state === HoldState.Active || state === HoldState.Resuming)) return;
    if (state === HoldState.Holding || state === HoldState.Resuming) {
      throw new HoldNotPossibleError('a hold change is already on its way');
    }
    this.machine.transition(hold ? HoldState.Holding : HoldState.Resuming);
    // Stop sending at once when holding; start again only once the far end agreed to resume.
    if (hold) this.switchTracks(false);
    try {
      await this.reinvite(hold, true);
      this.machine.transition(hold ? HoldState.Held : HoldState.Active);
      if (!hold) this.switchTracks(true);
    } catch (error) {
      this.machine.transition(hold ? HoldState.Active : HoldState.Held);
      if (hold) this.switchTracks(true);
      throw error;
    }
  }

  /**
   * Reads an offer from the far end (a re-INVITE): `sendonly` or `inactive` means it holds us
   * (RFC 3264 §8.4). Returns whether that changed.
   */
  remoteOffer(sdp: string | undefined): boolean {
    if (!sdp) return false;
    const direction = mediaDirection(sdp);
    const held = direction === 'sendonly' || direction === 'inactive';
    if (held === this.remote) return false;
    this.remote = held;
    this.delegate.onHoldChange();
    return true;
  }

  private async reinvite(hold: boolean, mayRetry: boolean): Promise<void> {
    // The Web handler's own options (`hold`) extend the core type SIP.js declares here.
    const previous = this.session.sessionDescriptionHandlerOptionsReInvite as Record<string, unknown>;
    this.session.sessionDescriptionHandlerOptionsReInvite = { ...previous, hold } as Record<string, unknown>;
    let code: number | undefined;
    try {
      code = await new Promise<number | undefined>((resolve, reject) => {
        this.session
          .invite({
            requestDelegate: {
              onAccept: () => resolve(undefined),
              onReject: (response) => resolve(response.message.statusCode ?? 500),
            },
          })
          .catch(reject);
      });
    } catch (error) {
      this.session.sessionDescriptionHandlerOptionsReInvite = { ...previous };
      if (error instanceof RequestPendingError && mayRetry) {
        // Our own re-INVITE is still open (e.g. an ICE restart): try once more after a moment.
        await this.wait(500);
        return this.reinvite(hold, false);
      }
      throw new HoldRefusedError(hold);
    }
    if (code === undefined) return;
    this.session.sessionDescriptionHandlerOptionsReInvite = { ...previous };
    if (code === 491 && mayRetry) {
      const ms = this.callIdOwner ? 2100 + this.random() * 1900 : this.random() * 2000;
      await this.wait(ms);
      return this.reinvite(hold, false);
    }
    throw new HoldRefusedError(hold, code);
  }

  private switchTracks(on: boolean): void {
    const handler = this.session.sessionDescriptionHandler as TrackSwitches | undefined;
    handler?.enableSenderTracks?.(on && !this.delegate.isMuted());
    handler?.enableReceiverTracks?.(on);
  }
}

const DIRECTION = /^a=(sendonly|inactive|recvonly|sendrecv)\s*$/m;

/**
 * The direction of the audio stream of an SDP: the audio section's own attribute, else the
 * session-level one (RFC 4566 §6), else `sendrecv`.
 */
export function mediaDirection(sdp: string): 'sendonly' | 'inactive' | 'recvonly' | 'sendrecv' {
  const sections = sdp.split(/\r?\n(?=m=)/);
  const session = sections[0]?.startsWith('m=') ? '' : (sections[0] ?? '');
  const audio = sections.find((section) => section.startsWith('m=audio')) ?? '';
  const found = DIRECTION.exec(audio)?.[1] ?? DIRECTION.exec(session)?.[1] ?? 'sendrecv';
  return found as 'sendonly' | 'inactive' | 'recvonly' | 'sendrecv';
}
