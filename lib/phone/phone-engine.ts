import { UserAgent, type Invitation } from 'sip.js';
import { AccountLine, type AccountLineOptions } from '@/lib/phone/account-line';
import { CallDtmf } from '@/lib/phone/call-dtmf';
import { CallLine } from '@/lib/phone/call-line';
import { CallRecorder, type RecordedSegment, type RecorderSettings } from '@/lib/phone/call-recorder';
import { CallState } from '@/lib/phone/call-state';
import { CallTransfer } from '@/lib/phone/call-transfer';
import { testConnection } from '@/lib/phone/connection-test';
import type { MediaHost } from '@/lib/phone/media-host';
import { MessageSendError } from '@/lib/phone/message-failure';
import type { CallSnapshot, ConnectionTestResult, PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';
import { accountFingerprint } from '@/lib/phone/sip-user-agent-factory';
import type { ReceivedMessage } from '@/lib/phone/text-message';
import type { Account, DtmfMethod } from '@/lib/settings/settings-schema';
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
  private tone: 'ringtone' | 'ringback' | 'none' = 'none';
  private readonly now: () => number;
  private readonly unsubscribeOnline: () => void;
  private readonly unsubscribeMicrophone: () => void;

  constructor(private readonly options: PhoneEngineOptions) {
    this.now = options.now ?? Date.now;
    this.unsubscribeOnline = options.media.onOnlineChange((online) => {
      for (const { line } of this.lines.values()) line.networkChanged(online);
    });
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
          onStatusChange: () => this.publish(),
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

  /** Puts a call on hold or takes it off; resolves once the far end agreed (see `CallLine.setHold`). */
  setHold(callId: string, hold: boolean): Promise<void> {
    return this.call(callId).setHold(hold);
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
    for (const call of this.calls.values()) call.hangup();
    await Promise.all([...this.lines.values()].map(({ line }) => line.stop()));
    this.lines.clear();
  }

  /** The live call objects, for statistics (tests, quality meter). */
  liveCall(callId: string): CallLine | undefined {
    return this.calls.get(callId);
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
    const dtmf = this.keypads.get(call.id)?.view();
    const transfer = this.transfers.get(call.id)?.view();
    const consultFor = this.consultOf.get(call.id);
    const snapshot = {
      ...call.snapshot(),
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
