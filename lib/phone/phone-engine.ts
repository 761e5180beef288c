import { UserAgent, type Invitation } from 'sip.js';
import { AccountLine, type AccountLineOptions } from '@/lib/phone/account-line';
import { AutoAnswerScheduler } from '@/lib/phone/auto-answer-scheduler';
import { decideIncoming, DEFAULT_CALL_HANDLING, type CallHandling } from '@/lib/phone/call-handling';
import { CallLine } from '@/lib/phone/call-line';
import { CallRecorder, type RecordedSegment, type RecorderSettings } from '@/lib/phone/call-recorder';
import { CallState } from '@/lib/phone/call-state';
import { testConnection } from '@/lib/phone/connection-test';
import { intercomDelaySeconds } from '@/lib/phone/intercom-hint';
import type { MediaHost } from '@/lib/phone/media-host';
import { MessageSendError } from '@/lib/phone/message-failure';
import type { CallSnapshot, ConnectionTestResult, PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';
import { accountFingerprint } from '@/lib/phone/sip-user-agent-factory';
import type { ReceivedMessage } from '@/lib/phone/text-message';
import type { Account, AudioSettings } from '@/lib/settings/settings-schema';
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
  private seq = 0;
  private microphone: PhoneSnapshot['microphone'] = 'unknown';
  private ringbackRegion = 'RU';
  private publishQueued = false;
  private tone: 'ringtone' | 'ringback' | 'none' = 'none';
  /** The configuration being applied (see {@link PhoneEngine.configure}). */
  private configuring: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private readonly unsubscribeOnline: () => void;
  private readonly unsubscribeMicrophone: () => void;
  private readonly unsubscribeAudioRoute: () => void;

  constructor(private readonly options: PhoneEngineOptions) {
    this.now = options.now ?? Date.now;
    this.autoAnswers = new AutoAnswerScheduler((callId) => this.autoAnswer(callId), this.now);
    this.unsubscribeOnline = options.media.onOnlineChange((online) => {
      for (const { line } of this.lines.values()) line.networkChanged(online);
    });
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
          onStatusChange: () => this.publish(),
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
    return {
      seq: this.seq,
      engineId: this.engineId,
      accounts: [...this.lines.values()].map(({ line }) => line.status()),
      calls: [...this.calls.values()].map((call) => this.callSnapshot(call)),
      recent: this.recent.map((call) => call.snapshot()),
      microphone: this.microphone,
      ...(this.callHandling.doNotDisturb ? { doNotDisturb: true } : {}),
      ...this.audioFallback(),
    };
  }

  /** Places a call to a complete SIP URI from an account; returns the call's id. */
  placeCall(accountId: string, target: string, displayTarget: string): string {
    const line = this.line(accountId);
    if (line.state !== RegistrationState.Registered) {
      throw new NotFoundError(`account ${line.aor} is not registered`);
    }
    const uri = UserAgent.makeURI(target);
    if (!uri) throw new TypeError(`not a SIP URI: ${target}`);
    const call = CallLine.outbound(accountId, line.ua, uri, displayTarget, this.callDeps());
    this.calls.set(call.id, call);
    this.addRecorder(call);
    call.start();
    this.publish();
    return call.id;
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

  answer(callId: string): void {
    this.autoAnswers.cancel(callId);
    this.call(callId).answer();
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

  setMute(callId: string, muted: boolean): void {
    this.call(callId).setMute(muted);
  }

  /** Puts a call on hold or takes it off; resolves once the far end agreed (see `CallLine.setHold`). */
  setHold(callId: string, hold: boolean): Promise<void> {
    return this.call(callId).setHold(hold);
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

  private callSnapshot(call: CallLine): CallSnapshot {
    const recorder = this.recorders.get(call.id);
    const autoAnswerAt = this.autoAnswers.at(call.id);
    const snapshot = autoAnswerAt === undefined ? call.snapshot() : { ...call.snapshot(), autoAnswerAt };
    if (!recorder || recorder.settings.policy === 'off') return snapshot;
    return { ...snapshot, recordingPolicy: recorder.settings.policy, recording: recorder.recording };
  }

  private onCallChange(call: CallLine): void {
    const recorder = this.recorders.get(call.id);
    // Answered, declined or cancelled by the caller: no auto-answer is due any more.
    if (call.state !== CallState.Incoming) this.autoAnswers.cancel(call.id);
    if (call.state === CallState.Established) recorder?.answered();
    // Ending: the BYE is on its way; what is said after the agent pressed Hang up is not recorded.
    if (call.state === CallState.Ending || call.ended) recorder?.end();
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

  /** One tone at a time: ringing in wins over ringing out; none while a call is up. */
  private applyTone(): void {
    const calls = [...this.calls.values()];
    let tone: 'ringtone' | 'ringback' | 'none' = 'none';
    if (!calls.some((c) => c.state === CallState.Established)) {
      if (calls.some((c) => c.state === CallState.Incoming)) tone = 'ringtone';
      else if (calls.some((c) => c.state === CallState.Ringing && !c.earlyMedia)) tone = 'ringback';
    }
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
