import { UserAgent, type Invitation } from 'sip.js';
import { AccountLine, type AccountLineOptions } from '@/lib/phone/account-line';
import { CallLine } from '@/lib/phone/call-line';
import { CallRecorder, type RecordedSegment, type RecorderSettings } from '@/lib/phone/call-recorder';
import { CallState } from '@/lib/phone/call-state';
import { testConnection } from '@/lib/phone/connection-test';
import type { MediaHost } from '@/lib/phone/media-host';
import { MessageSendError } from '@/lib/phone/message-failure';
import type { CallSnapshot, ConnectionTestResult, PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';
import { accountFingerprint } from '@/lib/phone/sip-user-agent-factory';
import type { ReceivedMessage } from '@/lib/phone/text-message';
import { WakeDetector, type WakeDetectorOptions } from '@/lib/phone/wake-detector';
import type { Account } from '@/lib/settings/settings-schema';
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
  private seq = 0;
  private microphone: PhoneSnapshot['microphone'] = 'unknown';
  private ringbackRegion = 'RU';
  private publishQueued = false;
  private tone: 'ringtone' | 'ringback' | 'none' = 'none';
  private readonly now: () => number;
  private readonly unsubscribeOnline: () => void;
  private readonly unsubscribeMicrophone: () => void;
  private readonly unsubscribeNetwork: () => void;
  private readonly wakeDetector: WakeDetector;

  constructor(private readonly options: PhoneEngineOptions) {
    this.now = options.now ?? Date.now;
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
    void this.checkMicrophone();
  }

  /**
   * Makes the running accounts match `accounts`: new ones start, removed or disabled ones stop,
   * changed ones restart, unchanged ones are left alone (so repeating a configuration is harmless).
   */
  async configure(accounts: readonly Account[], ringbackRegion: string): Promise<PhoneSnapshot> {
    this.ringbackRegion = ringbackRegion;
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
          onStatusChange: (from) => this.onStatusChange(from),
          onConnectionLost: (from) => this.onConnectionLost(from),
          onInvite: (from, invitation) => this.onInvite(from, invitation),
          onMessage: (_from, message) => this.options.delegate.onMessage?.(message),
        },
        { isOnline: () => this.options.media.isOnline(), ...this.options.accountLine },
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
    this.call(callId).answer();
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
    const call = CallLine.inbound(line.id, invitation, this.callDeps());
    this.calls.set(call.id, call);
    this.addRecorder(call);
    log.info(`incoming call ${call.id} on ${line.aor}`);
    this.publish();
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
    const snapshot = call.snapshot();
    if (!recorder || recorder.settings.policy === 'off') return snapshot;
    return { ...snapshot, recordingPolicy: recorder.settings.policy, recording: recorder.recording };
  }

  private onCallChange(call: CallLine): void {
    const recorder = this.recorders.get(call.id);
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
