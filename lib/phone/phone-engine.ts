import { UserAgent, type Invitation } from 'sip.js';
import { AccountLine, type AccountLineOptions } from '@/lib/phone/account-line';
import { AutoAnswerScheduler } from '@/lib/phone/auto-answer-scheduler';
import { decideIncoming, DEFAULT_CALL_HANDLING, type CallHandling } from '@/lib/phone/call-handling';
import { CallDtmf } from '@/lib/phone/call-dtmf';
import type { CrmEntityRef } from '@/lib/crm/crm-adapter';
import { CallLine } from '@/lib/phone/call-line';
import { CallRecorder, type RecordedSegment, type RecorderSettings } from '@/lib/phone/call-recorder';
import { CallState } from '@/lib/phone/call-state';
import type { ConferenceWiring } from '@/lib/phone/conference-mixer';
import { CallTransfer } from '@/lib/phone/call-transfer';
import { testConnection } from '@/lib/phone/connection-test';
import { intercomDelaySeconds } from '@/lib/phone/intercom-hint';
import { admitIncoming, type LineRole, type LineTone } from '@/lib/phone/line-coordinator';
import { LineSwitch, type NotHeld } from '@/lib/phone/line-switch';
import type { MediaHost } from '@/lib/phone/media-host';
import { MessageSendError } from '@/lib/phone/message-failure';
import type { CallSnapshot, ConnectionTestResult, PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';
import { accountFingerprint } from '@/lib/phone/sip-user-agent-factory';
import type { ReceivedMessage } from '@/lib/phone/text-message';
import { WakeDetector, type WakeDetectorOptions } from '@/lib/phone/wake-detector';
import type { Account, AudioSettings, DtmfMethod } from '@/lib/settings/settings-schema';
import { NotFoundError } from '@/lib/util/exception';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('engine');

/** How many ended calls the snapshot keeps, newest first. */
const RECENT_CALLS = 5;

export interface PhoneEngineDelegate {
  /** Called (coalesced per task) after every change with the complete new snapshot. */
  onSnapshot(snapshot: PhoneSnapshot): void;
  /** A text MESSAGE arrived (and was accepted) on one of the accounts. */
  onMessage?(message: ReceivedMessage): void;
  /** A piece of a call's recording is finished; the background stores it. */
  onRecordingFinished(segment: RecordedSegment): void;
  /** Recording of a call could not start or its audio was lost. */
  onRecordingFailed(failure: { callId: string; message: string }): void;
}

export interface PhoneEngineOptions {
  media: MediaHost;
  delegate: PhoneEngineDelegate;
  /** @defaultValue Date.now */
  now?: () => number;
  /** Passed to each account line (backoff tuning). */
  accountLine?: AccountLineOptions;
  /** Tuning of the sleep detector (tests). */
  wakeDetector?: Omit<WakeDetectorOptions, 'onWake'>;
}

/**
 * The phone: one {@link AccountLine} per enabled account and the calls on them.
 *
 * Host-agnostic: it needs WebRTC and a {@link MediaHost}, so it runs in Chrome's offscreen document
 * or Firefox's background page, and is driven by messages from the background.
 */
export class PhoneEngine {
  readonly engineId: string = crypto.randomUUID();
  private readonly lines = new Map<string, { line: AccountLine; fingerprint: string }>();
  private readonly calls = new Map<string, CallLine>();
  private readonly recorders = new Map<string, CallRecorder>();
  /** Recording settings per account, as last configured (they do not restart a registration). */
  private recordingSettings = new Map<string, RecorderSettings>();
  private recent: CallLine[] = [];
  /** Do not disturb and auto-answer, as last configured. */
  private callHandling: CallHandling = DEFAULT_CALL_HANDLING;
  private readonly autoAnswers: AutoAnswerScheduler;
  /** The keypad of each call a digit was sent on. */
  private readonly keypads = new Map<string, CallDtmf>();
  /** The transfer of each call the agent tried to transfer. */
  private readonly transfers = new Map<string, CallTransfer>();
  /** Consult call id → the id of the caller's call it is about ("ask first" transfers). */
  private readonly consultOf = new Map<string, string>();
  /** How each account's calls send keypad digits, as last configured. */
  private dtmfMethods = new Map<string, DtmfMethod>();
  private seq = 0;
  private microphone: PhoneSnapshot['microphone'] = 'unknown';
  private ringbackRegion = 'RU';
  private publishQueued = false;
  private tone: LineTone = 'none';
  /** The configuration being applied (see {@link PhoneEngine.configure}). */
  private configuring: Promise<unknown> = Promise.resolve();
  /** The multi-call rules: call waiting, swap, hold without two talking calls, the conference. */
  private readonly lineSwitch: LineSwitch;
  private readonly now: () => number;
  private readonly unsubscribeOnline: () => void;
  private readonly unsubscribeMicrophone: () => void;
  private readonly unsubscribeAudioRoute: () => void;
  private readonly unsubscribeNetwork: () => void;
  private readonly wakeDetector: WakeDetector;

  constructor(private readonly options: PhoneEngineOptions) {
    this.now = options.now ?? Date.now;
    this.autoAnswers = new AutoAnswerScheduler((callId) => this.autoAnswer(callId), this.now);
    this.lineSwitch = new LineSwitch({
      calls: () => [...this.calls.values()],
      media: options.media,
      delegate: { onLineChange: () => this.publish() },
    });
    this.unsubscribeOnline = options.media.onOnlineChange((online) => {
      for (const { line } of this.lines.values()) line.networkChanged(online);
      if (online) this.checkCallMedia();
    });
    this.unsubscribeNetwork =
      options.media.onNetworkChange?.(() => {
        log.info('network changed: checking connections');
        for (const { line } of this.lines.values()) line.checkConnection('network');
        this.checkCallMedia();
      }) ?? (() => undefined);
    this.wakeDetector = new WakeDetector({
      now: this.now,
      ...options.wakeDetector,
      onWake: (lateByMs) => {
        log.info(`woke up after ~${Math.round(lateByMs / 1000)} s: re-registering and checking calls`);
        for (const { line } of this.lines.values()) line.checkConnection('wake');
        this.checkCallMedia();
      },
    });
    this.wakeDetector.start();
    // The user may allow or block the microphone in the browser's site settings at any time.
    this.unsubscribeMicrophone = options.media.onMicrophonePermissionChange(() => void this.checkMicrophone());
    // A headset unplugged or plugged back, or another microphone chosen: live calls move over.
    this.unsubscribeAudioRoute = options.media.onAudioRouteChange((change) => {
      if (change.microphone) this.switchMicrophones();
      this.publish();
    });
    void this.checkMicrophone();
  }

  /**
   * The agent's audio devices, ring volume and microphone processing. They apply to live calls too:
   * a new microphone (or processing) replaces the track each call sends.
   */
  setAudioSettings(audio: AudioSettings): void {
    this.options.media.setAudioSettings(audio);
  }

  /**
   * Makes the running accounts match `accounts`: new ones start, removed or disabled ones stop,
   * changed ones restart, unchanged ones are left alone (so repeating a configuration is harmless).
   */
  configure(
    accounts: readonly Account[],
    ringbackRegion: string,
    callHandling: CallHandling = DEFAULT_CALL_HANDLING,
  ): Promise<PhoneSnapshot> {
    // One configuration at a time: two that overlap (the worker's start-up and a settings change a
    // moment later) would both see the account missing while the first stops its old line, and the
    // later, newer one would then keep the earlier one's line.
    const run = this.configuring.then(() => this.applyConfiguration(accounts, ringbackRegion, callHandling));
    this.configuring = run.catch(() => undefined);
    return run;
  }

  private async applyConfiguration(
    accounts: readonly Account[],
    ringbackRegion: string,
    callHandling: CallHandling,
  ): Promise<PhoneSnapshot> {
    this.ringbackRegion = ringbackRegion;
    // Applies to the next INVITE; calls already ringing keep what was decided for them.
    this.callHandling = callHandling;
    this.recordingSettings = new Map(
      accounts.map((a) => [a.id, { policy: a.recording, notice: a.recordingNotice }]),
    );
    this.dtmfMethods = new Map(accounts.map((a) => [a.id, a.dtmfMethod]));
    const wanted = new Map(accounts.filter((a) => a.enabled).map((a) => [a.id, a]));
    const stopping: Promise<void>[] = [];
    for (const [id, { line, fingerprint }] of this.lines) {
      const next = wanted.get(id);
      if (next && accountFingerprint(next) === fingerprint) continue;
      this.lines.delete(id);
      stopping.push(line.stop());
    }
    await Promise.all(stopping);
    for (const [id, account] of wanted) {
      if (this.lines.has(id)) continue;
      const line = new AccountLine(
        account,
        {
          onStatusChange: (from) => this.onStatusChange(from),
          onConnectionLost: (from) => this.onConnectionLost(from),
          onInvite: (from, invitation) => this.onInvite(from, invitation),
          onMessage: (_from, message) => this.options.delegate.onMessage?.(message),
        },
        {
          isOnline: () => this.options.media.isOnline(),
          openMicrophone: () => this.options.media.openMicrophone(),
          ...this.options.accountLine,
        },
      );
      this.lines.set(id, { line, fingerprint: accountFingerprint(account) });
      line.start();
    }
    this.publish();
    return this.snapshot();
  }

  snapshot(): PhoneSnapshot {
    const roles = this.lineSwitch.roles();
    return {
      seq: this.seq,
      engineId: this.engineId,
      accounts: [...this.lines.values()].map(({ line }) => line.status()),
      calls: [...this.calls.values()].map((call) => this.callSnapshot(call, roles)),
      recent: this.recent.map((call) => call.snapshot()),
      microphone: this.microphone,
      ...(this.callHandling.doNotDisturb ? { doNotDisturb: true } : {}),
      ...this.audioFallback(),
    };
  }

  /**
   * Places a call to a complete SIP URI from an account; resolves with the call's id. A call the
   * agent is talking to is put on hold first; with two calls up, or one being set up, the line
   * rules refuse (`IllegalLineMoveError`). `crmEntity` (the CRM card the call was started on)
   * travels in the call's snapshots, so history logs the call against it.
   */
  async placeCall(accountId: string, target: string, displayTarget: string, crmEntity?: CrmEntityRef): Promise<string> {
    const line = this.line(accountId);
    if (line.state !== RegistrationState.Registered) {
      throw new NotFoundError(`account ${line.aor} is not registered`);
    }
    const uri = UserAgent.makeURI(target);
    if (!uri) throw new TypeError(`not a SIP URI: ${target}`);
    return this.lineSwitch.dial(() => {
      const call = CallLine.outbound(accountId, line.ua, uri, displayTarget, this.callDeps(), crmEntity);
      this.calls.set(call.id, call);
      this.addRecorder(call);
      call.start();
      this.publish();
      return call.id;
    });
  }

  /**
   * Sends a text MESSAGE from an account to a complete SIP URI; resolves with its Call-ID once it
   * is accepted, rejects with a {@link MessageSendError} when it is not.
   */
  sendMessage(accountId: string, target: string, body: string): Promise<string> {
    const line = this.line(accountId);
    const uri = UserAgent.makeURI(target);
    if (!uri) return Promise.reject(new TypeError(`not a SIP URI: ${target}`));
    return line.sendMessage(uri, body).then(
      (messageId) => {
        log.info(`message ${messageId} delivered from ${line.aor}`);
        return messageId;
      },
      (error: unknown) => {
        if (error instanceof MessageSendError) log.info(`message from ${line.aor} not delivered: ${error.detail}`);
        throw error;
      },
    );
  }

  /**
   * Answers a ringing call; a call the agent is talking to is held first (see `LineSwitch.answer`:
   * a refused hold still answers, and is reported in `notHeld`).
   */
  answer(callId: string): Promise<{ notHeld: NotHeld[] }> {
    this.autoAnswers.cancel(callId);
    return this.lineSwitch.answer(callId);
  }

  /** Hangs up the other calls, then answers the ringing one. */
  hangupAndAnswer(callId: string): Promise<{ notHeld: NotHeld[] }> {
    this.autoAnswers.cancel(callId);
    return this.lineSwitch.answer(callId, true);
  }

  /** Holds the call the agent talks to, then resumes the held one. */
  swapCalls(): Promise<void> {
    return this.lineSwitch.swap();
  }

  /** Merges the active and the held call into a 3-way conference mixed here. */
  mergeCalls(): Promise<void> {
    return this.lineSwitch.merge();
  }

  /** Ends the conference: `keepCallId` stays with the agent, the other call is held. */
  splitConference(keepCallId: string): Promise<void> {
    return this.lineSwitch.split(keepCallId);
  }

  /** The agent wants the ringing call to keep ringing rather than be answered by itself. */
  cancelAutoAnswer(callId: string): void {
    this.call(callId);
    if (this.autoAnswers.cancel(callId)) this.publish();
  }

  decline(callId: string, code: 486 | 603): void {
    this.call(callId).decline(code);
  }

  hangup(callId: string): void {
    this.call(callId).hangup();
  }

  /** Mutes a call; in the conference, the agent's microphone in both calls. */
  setMute(callId: string, muted: boolean): void {
    this.call(callId); // an unknown call is a NotFoundError, as before
    this.lineSwitch.setMute(callId, muted);
  }

  /**
   * Puts a call on hold or takes it off; resolves once the far end agreed (see `CallLine.setHold`).
   * Resuming while another call is active holds that one first (a swap).
   */
  setHold(callId: string, hold: boolean): Promise<void> {
    this.call(callId); // an unknown call is a NotFoundError, as before
    return this.lineSwitch.setHold(callId, hold);
  }

  /**
   * Sends keypad digits on an established call, after any still waiting, by the method of the
   * call's account (RFC 4733 in RTP, or SIP INFO).
   */
  sendDtmf(callId: string, digits: string): void {
    const call = this.call(callId);
    let keypad = this.keypads.get(callId);
    if (!keypad) {
      keypad = new CallDtmf(call, {
        method: () => this.dtmfMethod(call.accountId),
        onChange: () => this.publish(),
      });
      this.keypads.set(callId, keypad);
    }
    keypad.send(digits);
  }

  /** How the calls of an account send keypad digits, as last configured. */
  dtmfMethod(accountId: string): DtmfMethod {
    return this.dtmfMethods.get(accountId) ?? 'rfc4733';
  }

  /** Blind transfer: REFERs the far end of an established call to a complete SIP URI. */
  blindTransfer(callId: string, target: string, displayTarget: string): void {
    const call = this.call(callId);
    const uri = UserAgent.makeURI(target);
    if (!uri) throw new TypeError(`not a SIP URI: ${target}`);
    this.transferOf(call).blind(uri, displayTarget);
  }

  /**
   * "Ask first": puts the call on hold and dials the target (a complete SIP URI) as a consult call
   * linked to it; resolves with the consult call's id.
   */
  async startConsultTransfer(callId: string, target: string, displayTarget: string): Promise<string> {
    const call = this.call(callId);
    const line = this.line(call.accountId);
    if (line.state !== RegistrationState.Registered) {
      throw new NotFoundError(`account ${line.aor} is not registered`);
    }
    const uri = UserAgent.makeURI(target);
    if (!uri) throw new TypeError(`not a SIP URI: ${target}`);
    const consult = await this.transferOf(call).startConsult(() => {
      const dialled = CallLine.outbound(call.accountId, line.ua, uri, displayTarget, this.callDeps());
      this.calls.set(dialled.id, dialled);
      this.consultOf.set(dialled.id, call.id);
      this.addRecorder(dialled);
      dialled.start();
      return dialled;
    }, displayTarget);
    this.publish();
    return consult.id;
  }

  /** "Ask first", complete: REFER with Replaces hands the caller to the consult call's target. */
  completeTransfer(callId: string): void {
    this.transferOf(this.call(callId)).complete();
  }

  /** "Ask first", cancel: hangs up the consult call and resumes the caller. */
  cancelTransfer(callId: string): void {
    this.transferOf(this.call(callId)).cancel();
  }

  /** Starts recording a call (the agent's Record; the account's policy must allow it). */
  startRecording(callId: string): void {
    this.recorder(callId).start();
  }

  /** Stops recording a call (the agent's Stop, under the `on-demand` policy). */
  stopRecording(callId: string): void {
    this.recorder(callId).stop();
  }

  /** Retries registration now, skipping backoff (one account or all). */
  retry(accountId?: string): void {
    for (const { line } of this.lines.values()) {
      if (accountId === undefined || line.id === accountId) line.retryNow();
    }
  }

  async checkMicrophone(): Promise<void> {
    const permission = await this.options.media.microphonePermission();
    if (permission !== this.microphone) {
      this.microphone = permission;
      this.publish();
    }
  }

  testConnection(account: Account): Promise<ConnectionTestResult> {
    return testConnection(account, this.now);
  }

  /** Stops every account (unregistering) and ends every call. */
  async shutdown(): Promise<void> {
    this.unsubscribeOnline();
    this.unsubscribeMicrophone();
    this.autoAnswers.cancelAll();
    this.unsubscribeAudioRoute();
    this.unsubscribeNetwork();
    this.wakeDetector.stop();
    for (const call of this.calls.values()) call.hangup();
    await Promise.all([...this.lines.values()].map(({ line }) => line.stop()));
    this.lines.clear();
  }

  /** The live call objects, for statistics (tests, quality meter). */
  liveCall(callId: string): CallLine | undefined {
    return this.calls.get(callId);
  }

  /** `audioFallback` for the snapshot, when a chosen device is not connected. */
  private audioFallback(): Pick<PhoneSnapshot, 'audioFallback'> {
    const fallback = this.options.media.audioFallback();
    return Object.keys(fallback).length > 0 ? { audioFallback: fallback } : {};
  }

  /** Every call with media opens the microphone again (as now resolved) and sends it instead. */
  private switchMicrophones(): void {
    for (const call of this.calls.values()) {
      call
        .replaceMicrophone(() => this.options.media.openMicrophone())
        .catch((error: unknown) => log.warn(`call ${call.id}: microphone not switched`, error));
    }
  }

  /** The tone playing now (tests, diagnostics). */
  get currentTone(): LineTone {
    return this.tone;
  }

  /** What the conference's calls send while it is mixed (tests, diagnostics). */
  conferenceWiring(): ConferenceWiring | undefined {
    return this.lineSwitch.wiring();
  }

  private onStatusChange(line: AccountLine): void {
    // Registered again after a lost connection: the account's calls renegotiate over the new one.
    if (line.state === RegistrationState.Registered) {
      for (const call of this.callsOf(line)) call.transportRestored();
    }
    this.publish();
  }

  private onConnectionLost(line: AccountLine): void {
    const calls = this.callsOf(line);
    if (calls.length > 0) log.info(`${line.aor}: connection lost with ${calls.length} call(s)`);
    for (const call of calls) call.transportLost();
    this.publish();
  }

  private callsOf(line: AccountLine): CallLine[] {
    return [...this.calls.values()].filter((call) => call.accountId === line.id);
  }

  /** Reads every established call's media statistics now (after a wake-up or a network change). */
  private checkCallMedia(): void {
    for (const call of this.calls.values()) if (call.state === CallState.Established) call.checkMedia();
  }

  private onInvite(line: AccountLine, invitation: Invitation): void {
    const request = invitation.request;
    const decision = decideIncoming(this.callHandling, {
      accountId: line.id,
      otherCallUp: [...this.calls.values()].some((call) => !call.ended),
      intercomDelaySeconds: intercomDelaySeconds({
        answerMode: [...request.getHeaders('Answer-Mode'), ...request.getHeaders('Priv-Answer-Mode')],
        callInfo: request.getHeaders('Call-Info'),
        alertInfo: request.getHeaders('Alert-Info'),
      }),
    });
    const call = CallLine.inbound(line.id, invitation, this.callDeps());
    if (admitIncoming(this.lineSwitch.lineCalls()) === 'refuse') {
      // Two calls are up already: busy here (RFC 3261 §21.4.24), and no card, no tone; but it is
      // journaled (from `recent`) as a missed call, so the agent can call back.
      call.refuse(486, undefined, 'lines-busy');
      this.recent = [call, ...this.recent.filter((c) => c !== call)].slice(0, RECENT_CALLS);
      log.info(`incoming call ${call.id} on ${line.aor} refused with 486: two calls are up`);
      this.publish();
      return;
    }
    if (decision.action === 'refuse') {
      // Never in `calls`: no ringtone, no RING badge, no notification; it is journaled from `recent`.
      call.refuse(decision.code, decision.contact);
      this.recent = [call, ...this.recent.filter((c) => c !== call)].slice(0, RECENT_CALLS);
      log.info(`do not disturb: refused call ${call.id} on ${line.aor} with ${decision.code}`);
      this.publish();
      return;
    }
    this.calls.set(call.id, call);
    this.addRecorder(call);
    if (decision.autoAnswerMs !== undefined) this.autoAnswers.schedule(call.id, decision.autoAnswerMs);
    log.info(`incoming call ${call.id} on ${line.aor}`);
    this.publish();
  }

  /** An auto-answer is due: answer if the call still rings and nothing else has come up meanwhile. */
  private autoAnswer(callId: string): void {
    const call = this.calls.get(callId);
    if (!call || call.state !== CallState.Incoming) return;
    const otherCallUp = [...this.calls.values()].some((other) => other !== call && !other.ended);
    if (otherCallUp) {
      log.info(`auto-answer of ${callId} dropped: another call is up`);
      this.publish();
      return;
    }
    log.info(`auto-answering ${callId}`);
    call.answer();
  }

  private callDeps(): Parameters<typeof CallLine.inbound>[2] {
    return {
      media: this.options.media,
      now: this.now,
      delegate: { onCallChange: (call: CallLine) => this.onCallChange(call) },
    };
  }

  private addRecorder(call: CallLine): void {
    const settings = this.recordingSettings.get(call.accountId) ?? { policy: 'off', notice: false };
    const recorder = new CallRecorder(call, settings, this.options.media, {
      onRecorderChange: () => this.publish(),
      onSegment: (segment) => this.options.delegate.onRecordingFinished(segment),
      onRecordingFailed: (callId, message) => {
        log.warn(`recording of ${callId} failed: ${message}`);
        this.options.delegate.onRecordingFailed({ callId, message });
      },
    });
    this.recorders.set(call.id, recorder);
  }

  private callSnapshot(call: CallLine, roles: ReadonlyMap<string, LineRole>): CallSnapshot {
    const recorder = this.recorders.get(call.id);
    const role = roles.get(call.id);
    const autoAnswerAt = this.autoAnswers.at(call.id);
    const dtmf = this.keypads.get(call.id)?.view();
    const transfer = this.transfers.get(call.id)?.view();
    const consultFor = this.consultOf.get(call.id);
    const snapshot: CallSnapshot = {
      ...call.snapshot(),
      ...(role ? { line: role } : {}),
      ...(this.lineSwitch.inConference(call.id) ? { conference: true } : {}),
      ...(autoAnswerAt === undefined ? {} : { autoAnswerAt }),
      ...(dtmf ? { dtmf } : {}),
      ...(transfer ? { transfer } : {}),
      ...(consultFor ? { consultFor } : {}),
    };
    if (!recorder || recorder.settings.policy === 'off') return snapshot;
    return { ...snapshot, recordingPolicy: recorder.settings.policy, recording: recorder.recording };
  }

  private transferOf(call: CallLine): CallTransfer {
    let transfer = this.transfers.get(call.id);
    if (!transfer) {
      transfer = new CallTransfer(call, {
        delegate: {
          onTransferChange: () => this.publish(),
          hold: (held) => held.setHold(true),
          resume: (held) => held.setHold(false),
        },
      });
      this.transfers.set(call.id, transfer);
    }
    return transfer;
  }

  /** Keeps the keypads and transfers in step with a call that changed. */
  private followCall(call: CallLine): void {
    const origin = this.consultOf.get(call.id);
    if (origin !== undefined) this.transfers.get(origin)?.onConsultChange(call);
    if (!call.ended) return;
    this.consultOf.delete(call.id);
    this.keypads.get(call.id)?.stop();
    this.keypads.delete(call.id);
    const transfer = this.transfers.get(call.id);
    if (transfer) {
      transfer.onCallEnded();
      this.transfers.delete(call.id);
      // The consult call of a caller who hung up is now an ordinary call with the target.
      for (const [consultId, callerId] of this.consultOf) if (callerId === call.id) this.consultOf.delete(consultId);
    }
  }

  private onCallChange(call: CallLine): void {
    this.followCall(call);
    const recorder = this.recorders.get(call.id);
    // Answered, declined or cancelled by the caller: no auto-answer is due any more.
    if (call.state !== CallState.Incoming) this.autoAnswers.cancel(call.id);
    if (call.state === CallState.Established) recorder?.answered();
    // Ending: the BYE is on its way; what is said after the agent pressed Hang up is not recorded.
    if (call.state === CallState.Ending || call.ended) recorder?.end();
    this.lineSwitch.callChanged(call);
    if (call.ended) this.recorders.delete(call.id);
    if (call.ended && this.calls.delete(call.id)) {
      this.recent = [call, ...this.recent].slice(0, RECENT_CALLS);
    }
    this.publish();
  }

  private publish(): void {
    this.applyTone();
    if (this.publishQueued) return;
    this.publishQueued = true;
    // Coalesce the bursts of changes one SIP event causes into one snapshot.
    queueMicrotask(() => {
      this.publishQueued = false;
      this.seq += 1;
      this.options.delegate.onSnapshot(this.snapshot());
    });
  }

  /** One tone at a time, as the line rules say (`toneFor`). */
  private applyTone(): void {
    const tone = this.lineSwitch.tone();
    if (tone === this.tone) return;
    this.tone = tone;
    if (tone === 'none') this.options.media.stopTone();
    else this.options.media.playTone(tone, this.ringbackRegion);
  }

  private line(accountId: string): AccountLine {
    const entry = this.lines.get(accountId);
    if (!entry) throw new NotFoundError(`no such account: ${accountId}`);
    return entry.line;
  }

  private recorder(callId: string): CallRecorder {
    const recorder = this.recorders.get(callId);
    if (!recorder) throw new NotFoundError(`no such call: ${callId}`);
    return recorder;
  }

  private call(callId: string): CallLine {
    const call = this.calls.get(callId);
    if (!call) throw new NotFoundError(`no such call: ${callId}`);
    return call;
  }
}
