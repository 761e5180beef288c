import {
  Invitation,
  Inviter,
  RequestPendingError,
  SessionState,
  type Session,
  type SessionDescriptionHandler,
  type UserAgent,
  type URI,
  type Web,
} from 'sip.js';
import type { CrmEntityRef } from '@/lib/crm/crm-adapter';
import { CallHold, HoldNotPossibleError } from '@/lib/phone/call-hold';
import type { CallMedia } from '@/lib/phone/call-media';
import { CallRecovery, transportLossAction } from '@/lib/phone/call-recovery';
import { CallEndReason, CallState, createCallMachine } from '@/lib/phone/call-state';
import type { MediaHost } from '@/lib/phone/media-host';
import type { CallQuality } from '@/lib/phone/call-quality';
import type { CallSnapshot } from '@/lib/phone/phone-snapshot';
import { inboundAudioPackets, MediaWatchdog } from '@/lib/phone/media-watchdog';
import { QualityMeter } from '@/lib/phone/quality-meter';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('call');

/** Audio only: a softphone for agents never sends video. */
const AUDIO_ONLY = { constraints: { audio: true, video: false } };

export interface CallLineDelegate {
  onCallChange(call: CallLine): void;
}

interface Remote {
  uri: string;
  number: string;
  name?: string;
  /** The CRM record the far end is, when the call was started on its card. */
  crmEntity?: CrmEntityRef;
}

/**
 * One call over a SIP.js session, inbound ({@link Invitation}) or outbound ({@link Inviter}).
 *
 * SIP.js session states are translated into our {@link CallState} here and only here; the reason a
 * call ended is worked out from what happened (our action, the far end's BYE or CANCEL, a final
 * response), not guessed from the last state.
 */
export class CallLine {
  readonly id: string = crypto.randomUUID();
  readonly startedAt: number;
  private readonly machine;
  private isMuted = false;
  private answeredAt: number | undefined;
  private endedAt: number | undefined;
  private endReason: CallEndReason | undefined;
  private sipCode: number | undefined;
  /** Why the call will end, once something has decided it (set before SIP.js reports Terminated). */
  private pendingEnd: CallEndReason | undefined;
  /** Set when the engine refused the call by itself (Do not disturb). */
  private refusal: 'dnd' | 'lines-busy' | undefined;
  /**
   * The call is being handed on by a transfer: a BYE from the far end now means the transfer
   * happened (the transferee or the replaced target leaves, RFC 5589 §6-7), not a hang-up.
   */
  private transferHandOff = false;
  /** The far end sent 183 with SDP: its own ring-back or announcements play, so ours must not. */
  earlyMedia = false;
  /** Live audio quality while up; the whole call's once ended. */
  private quality: CallQuality | undefined;
  private meter: QualityMeter | undefined;
  /** Hold of the established call (absent before it is established). */
  private holdControl: CallHold | undefined;
  /** The microphone switch in progress (see {@link CallLine.replaceMicrophone}). */
  private microphoneSwitch: Promise<void> = Promise.resolve();
  /** Keeps the call across a lost connection or media path; exists once the call is up. */
  private recovery: CallRecovery | undefined;
  private readonly watchdog = new MediaWatchdog();

  private constructor(
    readonly accountId: string,
    readonly direction: 'outbound' | 'inbound',
    readonly session: Session,
    private readonly remote: Remote,
    private readonly media: MediaHost,
    private readonly delegate: CallLineDelegate,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
    this.machine = createCallMachine(direction);
    this.machine.changes.on(() => this.delegate.onCallChange(this));
    session.stateChange.addListener((state) => this.onSessionState(state));
    session.delegate = {
      onBye: () => {
        this.pendingEnd ??= this.transferHandOff ? CallEndReason.Transferred : CallEndReason.RemoteHangup;
      },
      onCancel: () => {
        this.pendingEnd = CallEndReason.CallerCancelled;
      },
      onSessionDescriptionHandler: (handler) => this.attachAudio(handler),
      // A re-INVITE from the far end: its offer says whether it holds us.
      onInvite: (request) => {
        this.holdControl?.remoteOffer(request.body);
      },
      // Without a handler SIP.js would accept a REFER and place the new call by itself, a call the
      // engine, the panel and the history would never see. Declined (RFC 3515 §2.4.2 lets the
      // recipient refuse): the agent transfers calls, the far end does not move the agent.
      onRefer: (referral) => {
        log.info(`call ${this.id}: REFER to ${referral.referTo.toString()} declined`);
        referral.reject({ statusCode: 603 }).catch((error: unknown) => log.warn('REFER not declined', error));
      },
    };
  }

  /** Creates an outbound call to `target`; {@link CallLine.start} sends the INVITE. */
  static outbound(
    accountId: string,
    ua: UserAgent,
    target: URI,
    displayTarget: string,
    deps: { media: MediaHost; delegate: CallLineDelegate; now: () => number },
    crmEntity?: CrmEntityRef,
  ): CallLine {
    const inviter = new Inviter(ua, target, {
      sessionDescriptionHandlerOptions: AUDIO_ONLY,
      earlyMedia: true,
    });
    return new CallLine(
      accountId,
      'outbound',
      inviter,
      { uri: target.toString(), number: displayTarget, ...(crmEntity ? { crmEntity } : {}) },
      deps.media,
      deps.delegate,
      deps.now,
    );
  }

  /** Wraps an INVITE that arrived. */
  static inbound(
    accountId: string,
    invitation: Invitation,
    deps: { media: MediaHost; delegate: CallLineDelegate; now: () => number },
  ): CallLine {
    const identity = invitation.remoteIdentity;
    const name = identity.displayName?.trim();
    return new CallLine(
      accountId,
      'inbound',
      invitation,
      { uri: identity.uri.toString(), number: identity.uri.user ?? identity.uri.toString(), ...(name ? { name } : {}) },
      deps.media,
      deps.delegate,
      deps.now,
    );
  }

  get state(): CallState {
    return this.machine.state;
  }

  get ended(): boolean {
    return this.machine.state === CallState.Ended;
  }

  snapshot(): CallSnapshot {
    return {
      id: this.id,
      accountId: this.accountId,
      direction: this.direction,
      remoteUri: this.remote.uri,
      remoteNumber: this.remote.number,
      ...(this.remote.name ? { remoteName: this.remote.name } : {}),
      ...(this.remote.crmEntity ? { crmEntity: this.remote.crmEntity } : {}),
      state: this.machine.state,
      muted: this.isMuted,
      startedAt: this.startedAt,
      ...(this.answeredAt !== undefined ? { answeredAt: this.answeredAt } : {}),
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt } : {}),
      ...(this.endReason ? { endReason: this.endReason } : {}),
      ...(this.sipCode !== undefined ? { sipCode: this.sipCode } : {}),
      ...(this.quality ? { quality: this.quality } : {}),
      ...(this.holdControl ? { hold: this.holdControl.state } : {}),
      ...(this.holdControl?.remoteHeld ? { remoteHold: true } : {}),
      ...(this.refusal ? { refusal: this.refusal } : {}),
      ...(this.recovery?.reconnecting && !this.ended ? { reconnecting: true } : {}),
    };
  }

  /**
   * Puts the established call on hold or takes it off (a re-INVITE, RFC 3264 §8.4). Rejects with
   * `HoldRefusedError` when the far end refuses, `HoldNotPossibleError` when the call is not up.
   */
  async setHold(hold: boolean): Promise<void> {
    if (!this.holdControl || this.machine.state !== CallState.Established) {
      throw new HoldNotPossibleError(`call ${this.id} is not established`);
    }
    await this.holdControl.set(hold);
  }

  /** Whether this side holds the call (or is putting it on hold). */
  get held(): boolean {
    return this.holdControl?.held ?? false;
  }

  /** Being restored after a lost connection or media path ("Reconnecting…"). */
  get reconnecting(): boolean {
    return this.recovery?.reconnecting === true && !this.ended;
  }

  /**
   * The account's connection to the server dropped. An established call waits for it to come
   * back (see {@link CallRecovery}); a call still being set up ends now with "connection lost".
   */
  transportLost(): void {
    switch (transportLossAction(this.machine.state, this.session.state === SessionState.Established)) {
      case 'recover':
        this.recovery?.transportLost();
        break;
      case 'end':
        log.info(`call ${this.id} was being set up when the connection dropped`);
        this.loseConnection();
        break;
      case 'none':
        break;
    }
  }

  /** The account is registered again over a new connection. */
  transportRestored(): void {
    this.recovery?.transportRestored();
  }

  /** Reads the media statistics now (after a wake-up or a network change) instead of at the next tick. */
  checkMedia(): void {
    void this.meter?.sample();
  }

  /** Sends the INVITE of an outbound call. */
  start(): void {
    if (!(this.session instanceof Inviter)) throw new TypeError('start() is for outbound calls');
    this.session
      .invite({
        requestDelegate: {
          onProgress: (response) => {
            const code = response.message.statusCode ?? 0;
            if (code === 183 && response.message.body) this.earlyMedia = true;
            if ((code === 180 || code === 183) && this.machine.state === CallState.Dialing) {
              this.machine.transition(CallState.Ringing);
            } else this.delegate.onCallChange(this);
          },
          onReject: (response) => {
            this.sipCode = response.message.statusCode;
            // 487 answers our own CANCEL; anything else is the far end or server refusing.
            if (this.pendingEnd !== CallEndReason.Cancelled) this.pendingEnd = CallEndReason.Rejected;
          },
        },
      })
      .catch((error: unknown) => this.failed(error));
  }

  /** Answers an inbound call. */
  answer(): void {
    if (!(this.session instanceof Invitation)) throw new TypeError('answer() is for inbound calls');
    this.machine.transition(CallState.Answering);
    this.session
      .accept({ sessionDescriptionHandlerOptions: AUDIO_ONLY })
      .catch((error: unknown) => this.failed(error));
  }

  /** Declines an inbound call with 486 Busy Here or 603 Decline. */
  decline(code: 486 | 603): void {
    if (!(this.session instanceof Invitation)) throw new TypeError('decline() is for inbound calls');
    if (this.machine.state !== CallState.Incoming) return;
    this.pendingEnd = CallEndReason.Declined;
    this.sipCode = code;
    this.machine.transition(CallState.Ending);
    this.session.reject({ statusCode: code }).catch((error: unknown) => this.failed(error));
  }

  /**
   * Refuses an inbound call at once, before it rings, because the agent takes no calls (Do not
   * disturb): 486 Busy Here, 480 Temporarily Unavailable, or 302 Moved Temporarily with `contact`
   * as the Contact to try instead (RFC 3261 §13.3.1.3, §8.3). SIP.js sends the final response and
   * terminates the session synchronously, so the call is `Ended` when this returns.
   */
  refuse(code: 486 | 480 | 302, contact?: string, reason: 'dnd' | 'lines-busy' = 'dnd'): void {
    if (!(this.session instanceof Invitation)) throw new TypeError('refuse() is for inbound calls');
    if (this.machine.state !== CallState.Incoming) return;
    this.refusal = reason;
    this.pendingEnd = CallEndReason.Declined;
    this.sipCode = code;
    const extraHeaders = contact ? [`Contact: <${contact}>`] : [];
    try {
      this.session.reject({ statusCode: code, extraHeaders }).catch((error: unknown) => this.failed(error));
    } catch (error) {
      // The transaction may be gone already (the caller cancelled in the same instant).
      this.failed(error);
    }
  }

  /** Ends the call whatever its state: cancel while ringing out, decline while ringing in, BYE when up. */
  hangup(declineCode: 486 | 603 = 486): void {
    const state = this.machine.state;
    if (state === CallState.Ended || state === CallState.Ending) return;
    if (state === CallState.Incoming) {
      this.decline(declineCode);
      return;
    }
    this.machine.transition(CallState.Ending);
    if (this.session instanceof Inviter && this.session.state !== SessionState.Established) {
      this.pendingEnd = CallEndReason.Cancelled;
      this.session.cancel().catch((error: unknown) => this.failed(error));
    } else {
      this.pendingEnd = CallEndReason.LocalHangup;
      this.session.bye().catch((error: unknown) => {
        // The dialog may already be gone (e.g. BYE crossed); make sure the call does not linger.
        log.warn('BYE failed', error);
        this.finish();
      });
    }
  }

  /** Whether a BYE from the far end counts as the transfer having happened (see `CallTransfer`). */
  expectTransferEnd(expect: boolean): void {
    this.transferHandOff = expect;
  }

  /** Ends an established call because it was transferred: BYE, end reason `Transferred`. */
  endTransferred(): void {
    const state = this.machine.state;
    if (state === CallState.Ended || state === CallState.Ending) return;
    this.pendingEnd = CallEndReason.Transferred;
    this.machine.transition(CallState.Ending);
    this.session.bye().catch((error: unknown) => {
      log.warn('BYE after transfer failed', error);
      this.finish();
    });
  }

  setMute(muted: boolean): void {
    const handler = this.session.sessionDescriptionHandler as SessionDescriptionHandlerWithTracks | undefined;
    // Unmuting a held call must not start sending: resume does that.
    handler?.enableSenderTracks?.(!muted && !this.held);
    this.isMuted = muted;
    this.delegate.onCallChange(this);
  }

  /**
   * Sends another microphone track (hot-plug, a new choice): `open` gives the stream, SIP.js's
   * handler puts its track into the RTP sender with `RTCRtpSender.replaceTrack` (no re-INVITE: the
   * SDP does not change) and stops the old track. The new track is enabled as the old one was, so
   * a muted call stays muted. Switches of one call run one after another.
   */
  replaceMicrophone(open: () => Promise<MediaStream>): Promise<void> {
    const next = this.microphoneSwitch.then(async () => {
      const handler = this.session.sessionDescriptionHandler as SessionDescriptionHandlerWithTracks | undefined;
      const sending = handler?.peerConnection?.getSenders().some((sender) => sender.track?.kind === 'audio');
      if (!handler?.setLocalMediaStream || !handler.localMediaStream || !sending || this.ended) return;
      const stream = await open();
      const track = stream.getAudioTracks()[0];
      if (!track || this.ended || this.session.sessionDescriptionHandler !== handler) {
        for (const unused of stream.getTracks()) unused.stop();
        return;
      }
      // Read after the wait: a mute pressed while the device opened is kept.
      const previous = handler.localMediaStream.getAudioTracks()[0];
      track.enabled = previous ? previous.enabled : !this.isMuted;
      await handler.setLocalMediaStream(stream);
      log.info(`call ${this.id}: microphone now ${track.label || track.id}`);
    });
    this.microphoneSwitch = next.catch(() => undefined);
    return next;
  }

  /** Whether the agent muted the microphone. */
  get muted(): boolean {
    return this.isMuted;
  }

  /** The call's streams and peer connection, once SIP.js has set them up (recording, notice). */
  callMedia(): CallMedia | undefined {
    const handler = this.session.sessionDescriptionHandler as
      | { localMediaStream?: MediaStream; remoteMediaStream?: MediaStream; peerConnection?: RTCPeerConnection }
      | undefined;
    if (!handler?.localMediaStream || !handler.remoteMediaStream || !handler.peerConnection) return undefined;
    return { local: handler.localMediaStream, remote: handler.remoteMediaStream, peerConnection: handler.peerConnection };
  }

  /** The RTCPeerConnection of this call, for statistics. */
  peerConnection(): RTCPeerConnection | undefined {
    const handler = this.session.sessionDescriptionHandler as { peerConnection?: RTCPeerConnection } | undefined;
    return handler?.peerConnection;
  }

  private onSessionState(state: SessionState): void {
    switch (state) {
      case SessionState.Established:
        this.answeredAt = this.now();
        if (this.session.sessionDescriptionHandler) this.attachAudio(this.session.sessionDescriptionHandler);
        if (this.machine.can(CallState.Established)) this.machine.transition(CallState.Established);
        // Muting before the media existed: apply it now.
        if (this.isMuted) this.setMute(true);
        this.holdControl ??= new CallHold(this.session, this.direction === 'outbound', {
          onHoldChange: () => this.delegate.onCallChange(this),
          isMuted: () => this.isMuted,
        });
        this.startQualityMeter();
        this.startRecovery();
        break;
      case SessionState.Terminated:
        this.finish();
        break;
      default:
        break;
    }
  }

  private startQualityMeter(): void {
    if (this.meter) return;
    this.meter = new QualityMeter({
      // The meter's reading every few seconds also feeds the media watchdog: one timer, one getStats.
      getStats: () => {
        const connection = this.peerConnection();
        const stats = connection?.getStats();
        stats?.then((report) => this.watchMedia(report, connection!.iceConnectionState)).catch(() => undefined);
        return stats;
      },
      delegate: {
        onQuality: (quality) => {
          if (this.ended) return;
          this.quality = quality;
          this.delegate.onCallChange(this);
        },
      },
      now: this.now,
    });
    this.meter.start();
  }

  private startRecovery(): void {
    if (this.recovery) return;
    this.recovery = new CallRecovery(
      {
        restartIce: () => this.restartIce(),
        onLost: () => this.loseConnection(),
        onChange: () => this.delegate.onCallChange(this),
      },
      { ownsCallId: this.direction === 'outbound' },
    );
  }

  private watchMedia(report: RTCStatsReport, iceState: RTCIceConnectionState): void {
    if (this.ended) return;
    const event = this.watchdog.observe(inboundAudioPackets(report), iceState, this.now());
    if (event === 'stalled') {
      log.info(`call ${this.id}: no audio and ICE ${iceState}`);
      this.recovery?.mediaStalled();
    } else if (event === 'flowing') this.recovery?.mediaFlowing();
  }

  /**
   * Sends a re-INVITE whose offer restarts ICE (RFC 8445 §9: new ufrag and password). It also
   * carries our Contact, which the server rewrote for the new connection, so the far end
   * updates its remote target (RFC 3261 §12.2.2). Resolves with the final answer's code; a
   * re-INVITE of our own still in progress counts as glare (491), anything unsendable as 0.
   */
  private restartIce(): Promise<number> {
    const session = this.session;
    if (session.state !== SessionState.Established) return Promise.resolve(0);
    // SIP.js keeps re-INVITE options for later re-INVITEs: add the restart to what is there
    // (e.g. hold) and put the previous options back afterwards, so only this offer restarts ICE.
    const previous = session.sessionDescriptionHandlerOptionsReInvite as Web.SessionDescriptionHandlerOptions;
    const restart: Web.SessionDescriptionHandlerOptions = {
      ...previous,
      offerOptions: { ...previous.offerOptions, iceRestart: true },
    };
    return new Promise<number>((resolve) => {
      const done = (code: number): void => {
        session.sessionDescriptionHandlerOptionsReInvite = previous;
        resolve(code);
      };
      session
        .invite({
          sessionDescriptionHandlerOptions: restart,
          requestDelegate: {
            onAccept: (response) => done(response.message.statusCode ?? 200),
            onReject: (response) => done(response.message.statusCode ?? 0),
          },
        })
        .catch((error: unknown) => {
          if (error instanceof RequestPendingError) done(491);
          else {
            log.warn(`call ${this.id}: re-INVITE not sent`, error);
            done(0);
          }
        });
    });
  }

  /**
   * Ends the call because its connection is gone: BYE for an established call, CANCEL for an
   * outbound one still ringing, 480 for an inbound one — each best effort, as the connection
   * may be down — and the call is over here at once either way.
   */
  private loseConnection(): void {
    if (this.ended) return;
    this.pendingEnd = CallEndReason.ConnectionLost;
    const ignore = (error: unknown): void => log.debug('best-effort end not sent', error);
    try {
      if (this.session.state === SessionState.Established) this.session.bye().catch(ignore);
      else if (this.session instanceof Inviter) this.session.cancel().catch(ignore);
      else if (this.session instanceof Invitation && this.machine.state === CallState.Incoming) {
        this.session.reject({ statusCode: 480 }).catch(ignore);
      }
    } catch (error) {
      ignore(error);
    }
    this.finish();
  }

  private attachAudio(handler: SessionDescriptionHandler): void {
    const stream = (handler as { remoteMediaStream?: MediaStream }).remoteMediaStream;
    if (stream) this.media.attachRemoteAudio(this.id, stream);
  }

  private failed(error: unknown): void {
    log.warn(`call ${this.id} failed`, error);
    this.pendingEnd ??= CallEndReason.Failed;
    this.finish();
  }

  private finish(): void {
    if (this.machine.state === CallState.Ended) return;
    this.media.detachRemoteAudio(this.id);
    this.meter?.stop();
    this.recovery?.dispose();
    this.quality = this.meter?.result() ?? this.quality;
    this.endedAt = this.now();
    this.endReason = this.pendingEnd ?? this.inferEnd();
    this.machine.transition(CallState.Ended);
    // A session that failed on our side may still be alive in SIP.js; make sure it is torn down.
    if (this.session.state !== SessionState.Terminated && this.session.state !== SessionState.Terminating) {
      void this.session.dispose().catch(() => undefined);
    }
  }

  private inferEnd(): CallEndReason {
    if (this.answeredAt !== undefined) return CallEndReason.RemoteHangup;
    if (this.direction === 'inbound') return CallEndReason.CallerCancelled;
    return CallEndReason.Failed;
  }
}

interface SessionDescriptionHandlerWithTracks {
  enableSenderTracks?(enable: boolean): void;
  setLocalMediaStream?(stream: MediaStream): Promise<void>;
  localMediaStream?: MediaStream;
  peerConnection?: RTCPeerConnection;
}
