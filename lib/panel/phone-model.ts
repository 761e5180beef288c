import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { tPanel } from '@/lib/i18n/panel-messages';
import { tPhone } from '@/lib/i18n/phone-messages';
import type { PanelToBackground } from '@/lib/messaging/panel-to-background';
import { RemoteError, type Client } from '@/lib/messaging/protocol';
import {
  normalizeDialTarget,
  type DialTarget,
  type DialTargetError,
} from '@/lib/numbers/normalize-dial-target';
import { RecordingErrorSchema, type RecordingError } from '@/lib/history/recording-error';
import { formatDuration } from '@/lib/panel/format-duration';
import type { PanelSettings, PanelSettingsSource } from '@/lib/panel/panel-settings';
import {
  dialPreviewWords,
  dtmfFailureWords,
  endWords,
  registrationWords,
  transferFailureWords,
} from '@/lib/panel/phone-words';
import { pickSnapshot } from '@/lib/panel/pick-snapshot';
import type { RecordingErrorSource } from '@/lib/panel/recording-error-source';
import type { SnapshotSource } from '@/lib/panel/snapshot-source';
import { qualityLevel, type CallQuality, type QualityLevel } from '@/lib/phone/call-quality';
import { CallState, type CallEndReason } from '@/lib/phone/call-state';
import { HoldState } from '@/lib/phone/hold-state';
import { canMove, LineRole, lineRoles } from '@/lib/phone/line-coordinator';
import {
  EMPTY_SNAPSHOT,
  PhoneSnapshotSchema,
  type AccountStatus,
  type CallSnapshot,
  type PhoneSnapshot,
  type RegistrationFailure,
} from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';
import { TransferState } from '@/lib/phone/transfer-state';
import { DEFAULT_SETTINGS } from '@/lib/settings/settings-schema';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('panel');

/** The typed client of {@link PanelToBackground}. */
export type PanelClient = Client<(typeof PanelToBackground)['methods']>;

export interface PhoneModelOptions {
  client: PanelClient;
  snapshotSource: SnapshotSource;
  settingsSource: PanelSettingsSource;
  /** Opens the extension's options page (`runtime.openOptionsPage`). */
  openOptionsPage: () => Promise<void>;
  /**
   * Wall clock in epoch ms; compared with the engine's `answeredAt`, `endedAt` and `retryAt`.
   * @defaultValue `Date.now`
   */
  clock?: () => number;
  /**
   * How long the "how the call ended" notice stays, counted from the end of the call.
   * @defaultValue 6000
   */
  endedNoticeMs?: number;
  /**
   * How often timers and countdowns refresh while the model runs.
   * @defaultValue 1000
   */
  tickMs?: number;
  /** Where the last recording that could not be saved is kept; without it none is shown. */
  recordingErrorSource?: RecordingErrorSource;
}

/** `data-state` of the status bar when there is no account at all. */
export const NO_ACCOUNT_STATE = 'none';

/** One account's registration, ready to show. */
export interface AccountView {
  accountId: string;
  aor: string;
  state: RegistrationState;
  /** "Ready", "Reconnecting in 12 s", … */
  stateText: string;
  failure?: RegistrationFailure;
  /** The failure as a sentence, while `Failed` or `Waiting`. */
  failureText?: string;
  detail?: string;
  /** Whole seconds until the next automatic attempt, while `Waiting`. */
  retryInSeconds?: number;
  /** The user can ask for an attempt now (`Failed` or `Waiting`). */
  canRetry: boolean;
}

/** The first account's state, or {@link NO_ACCOUNT_STATE}: what the status bar summarises. */
export interface StatusSummary {
  state: RegistrationState | typeof NO_ACCOUNT_STATE;
  text: string;
}

/** One call that is not over, ready to show. */
export interface CallView {
  id: string;
  accountId: string;
  direction: CallSnapshot['direction'];
  directionText: string;
  state: CallState;
  stateText: string;
  /** Name when the PBX gave one, else the number. */
  remoteLabel: string;
  /** The number under the name, when a name is shown. */
  remoteDetail?: string;
  muted: boolean;
  /** Talk time (`mm:ss` / `hh:mm:ss`) once answered. */
  timer?: string;
  /** Ringing here: Answer and Decline instead of Hang up. */
  incoming: boolean;
  canMute: boolean;
  canHangup: boolean;
  /** Hanging up an unanswered outbound call is cancelling it. */
  hangupText: string;
  /** A command for this call is on its way. */
  busy: boolean;
  /** The connection was lost and the call is being restored: the card says "Reconnecting…". */
  reconnecting: boolean;
  /** The call is up: the card offers its keypad. */
  canKeypad: boolean;
  /** Keypad digits sent so far on this call. */
  dtmfSent?: string;
  /** Why the last keypad digits were not sent, in words. */
  dtmfError?: string;
  /** A transfer (blind or ask first) can be started from this call. */
  canTransfer: boolean;
  /** The transfer under way, or why the last one failed. */
  transfer?: CallTransferView;
  /** On the consult call of an "ask first" transfer: which caller it is about. */
  consultForText?: string;
  /** Audio is being recorded: the card says so for as long as it lasts. */
  recording: boolean;
  /** The account records on demand and the call is up: the card offers Record / Stop recording. */
  canRecord: boolean;
  /** The line's quality while the call is up, once measured. */
  quality?: QualityView;
  /** The call is held by us, or on its way there (Hold shows pressed). */
  held: boolean;
  /** Hold/Resume can be pressed: the call is up and no hold change is on its way. */
  canHold: boolean;
  /** "Hold" or "Resume". */
  holdText: string;
  /** Said on the card while the call is held, being held or resumed, or held by the far end. */
  holdNotice?: string;
  /** Whole seconds until the engine answers this ringing call by itself (auto-answer, intercom). */
  autoAnswerInSeconds?: number;
  /** "Answering automatically in 3 s". */
  autoAnswerText?: string;
  /** What the call is among the calls up (active, held, waiting, conference…). */
  line: LineRole;
  /** A second call ringing during a call: Answer holds the current one first. */
  waiting: boolean;
  /** Answer can be pressed (a ringing call, and no other call still connecting). */
  canAnswer: boolean;
  /** The call is in the 3-way conference. */
  inConference: boolean;
  /** A short label of the call's place among several calls ("Call waiting", "In conference"), if any. */
  lineText?: string;
}

/** The Swap and Merge buttons, shown while one call is active and one is held. */
export interface LineControls {
  canSwap: boolean;
  canMerge: boolean;
}

/** A call's transfer, ready to show. */
export interface CallTransferView {
  state: TransferState;
  /** What is going on ("Transferring to 1003…"), or why it failed. */
  text: string;
  /** The last attempt failed (the card says why, as an alert). */
  failed: boolean;
  /** Ask first: the target answered, the transfer can be completed. */
  canComplete: boolean;
  /** Ask first: the agent can hang up the consult call and go back to the caller. */
  canCancel: boolean;
}

/** The live quality of a call's audio, ready to show. */
export interface QualityView {
  level: QualityLevel;
  /** "Good line", or a warning when it is poor. */
  text: string;
  /** The figures behind it (MOS, jitter, loss, round trip). */
  detail: string;
}

/** The short notice after a call ends. */
export interface EndedNotice {
  callId: string;
  reason?: CallEndReason;
  text: string;
}

export interface DialPreview {
  /** What will be dialled; nothing typed yet (a hint); or not something that can be dialled. */
  kind: 'target' | 'hint' | 'error';
  text: string;
}

type DialResult = { ok: true; target: DialTarget } | { ok: false; error: DialTargetError };

const RINGING_OUT: readonly CallState[] = [CallState.Dialing, CallState.Ringing];

/**
 * The side panel's state and actions.
 *
 * The panel keeps no phone state of its own: everything is derived from the engine's snapshot
 * (mirrored in `storage.session`) and the settings; actions are commands to the background, whose
 * effect comes back as a new snapshot. Only what the user is typing lives here.
 */
export class PhoneModel {
  /** The snapshot being shown. */
  readonly snapshot = signal<PhoneSnapshot>(EMPTY_SNAPSHOT);
  /** `undefined` until loaded. */
  readonly settings = signal<PanelSettings | undefined>(undefined);
  /** The clock, refreshed every tick so timers and countdowns move. */
  readonly now: Signal<number>;
  readonly dialInput = signal('');
  /** The account chosen in the "call from" selector, if the user chose one. */
  readonly chosenAccountId = signal<string | undefined>(undefined);
  /** A placeCall is on its way. */
  readonly placing = signal(false);
  readonly dialError = signal<string | undefined>(undefined);
  readonly callError = signal<string | undefined>(undefined);
  /** The last recording that could not be saved, as the background reported it. */
  readonly recordingError = signal<RecordingError | undefined>(undefined);
  /** The call whose transfer form is open, if any. */
  readonly transferFor = signal<string | undefined>(undefined);
  /** The transfer target as typed. */
  readonly transferInput = signal('');

  /** Swap or Merge is on its way. */
  readonly lineBusy = signal(false);

  private readonly busyCalls = signal<ReadonlySet<string>>(new Set());
  private readonly client: PanelClient;
  private readonly snapshotSource: SnapshotSource;
  private readonly settingsSource: PanelSettingsSource;
  private readonly openOptionsPage: () => Promise<void>;
  private readonly clock: () => number;
  private readonly endedNoticeMs: number;
  private readonly tickMs: number;
  private readonly recordingErrorSource: RecordingErrorSource | undefined;
  /** When an ended call without `endedAt` was first seen here. */
  private readonly endSeenAt = new Map<string, number>();
  private stops: (() => void)[] = [];

  constructor(options: PhoneModelOptions) {
    this.client = options.client;
    this.snapshotSource = options.snapshotSource;
    this.settingsSource = options.settingsSource;
    this.openOptionsPage = options.openOptionsPage;
    this.clock = options.clock ?? Date.now;
    this.endedNoticeMs = options.endedNoticeMs ?? 6000;
    this.tickMs = options.tickMs ?? 1000;
    this.recordingErrorSource = options.recordingErrorSource;
    this.now = signal(this.clock());
  }

  /** The sentence about {@link recordingError}, for the panel's message. */
  readonly recordingErrorText: ReadonlySignal<string | undefined> = computed(() => {
    const error = this.recordingError.value;
    return error ? tPanel(`recording.error.${error.kind}`) : undefined;
  });

  /** Every account to show: the engine's, then enabled configured ones the engine has not reported yet. */
  readonly accounts: ReadonlySignal<AccountView[]> = computed(() => {
    const now = this.now.value;
    const reported = this.snapshot.value.accounts;
    const configured = (this.settings.value?.accounts ?? [])
      .filter((account) => account.enabled && !reported.some((r) => r.accountId === account.id))
      .map((account): AccountStatus => ({
        accountId: account.id,
        aor: account.aor,
        state: RegistrationState.Idle,
        attempts: 0,
      }));
    return [...reported, ...configured].map((status): AccountView => {
      const { state, retryAt, failure, detail } = status;
      const troubled = state === RegistrationState.Failed || state === RegistrationState.Waiting;
      const retryInSeconds =
        state === RegistrationState.Waiting && retryAt !== undefined
          ? Math.max(0, Math.ceil((retryAt - now) / 1000))
          : undefined;
      return {
        accountId: status.accountId,
        aor: status.aor,
        state,
        stateText: registrationWords(state, retryInSeconds),
        ...(troubled && failure ? { failure, failureText: tPhone(`failure.${failure}`) } : {}),
        ...(troubled && detail ? { detail } : {}),
        ...(retryInSeconds === undefined ? {} : { retryInSeconds }),
        canRetry: troubled,
      };
    });
  });

  /**
   * No account anywhere: none configured (once settings are known), and none reported by a running
   * engine. Before either is known the panel does not claim there is none.
   */
  readonly noAccount: ReadonlySignal<boolean> = computed(() => {
    if (this.accounts.value.length > 0) return false;
    return this.settings.value !== undefined || this.snapshot.value.engineId !== '';
  });

  readonly status: ReadonlySignal<StatusSummary> = computed(() => {
    const first = this.accounts.value[0];
    if (first) return { state: first.state, text: first.stateText };
    return this.noAccount.value
      ? { state: NO_ACCOUNT_STATE, text: tPhone('registration.noAccount') }
      : { state: RegistrationState.Idle, text: tPhone('registration.idle') };
  });

  /** The microphone is refused, so calls would be silent. */
  readonly microphoneBlocked: ReadonlySignal<boolean> = computed(
    () =>
      this.snapshot.value.microphone === 'denied' ||
      this.snapshot.value.accounts.some((account) => account.failure === 'no-microphone'),
  );

  /**
   * Chosen audio devices that are not connected, one sentence each ("Headset unplugged — using the
   * default microphone"); empty when every chosen device is there.
   */
  readonly audioFallbackNotices: ReadonlySignal<string[]> = computed(() => {
    const fallback = this.snapshot.value.audioFallback;
    if (!fallback) return [];
    const roles = ['microphone', 'speaker', 'ringer'] as const;
    return roles.flatMap((role) => {
      const label = fallback[role];
      if (label === undefined) return [];
      return [tPanel(`audio.fallback.${role}`, { device: label || tPanel('audio.unnamedDevice') })];
    });
  });

  /** The account a call is placed from: the chosen one, else the first registered, else the first. */
  readonly fromAccount: ReadonlySignal<AccountView | undefined> = computed(() => {
    const accounts = this.accounts.value;
    return (
      accounts.find((account) => account.accountId === this.chosenAccountId.value) ??
      accounts.find((account) => account.state === RegistrationState.Registered) ??
      accounts[0]
    );
  });

  /** Several accounts: let the user choose which one calls. */
  readonly showAccountPicker: ReadonlySignal<boolean> = computed(() => this.accounts.value.length > 1);

  readonly dialResult: ReadonlySignal<DialResult> = computed(() => {
    const settings = this.settings.value ?? DEFAULT_SETTINGS;
    return normalizeDialTarget(this.dialInput.value, {
      defaultCountry: settings.defaultCountry,
      dialFormat: settings.dialFormat,
    });
  });

  readonly dialPreview: ReadonlySignal<DialPreview> = computed(() => {
    const result = this.dialResult.value;
    const kind = result.ok ? 'target' : result.error === 'empty' ? 'hint' : 'error';
    return { kind, text: dialPreviewWords(result) };
  });

  /** A valid target, a registered account to call from, and no call being placed already. */
  readonly canDial: ReadonlySignal<boolean> = computed(
    () =>
      this.dialResult.value.ok &&
      this.fromAccount.value?.state === RegistrationState.Registered &&
      !this.placing.value,
  );

  /** Calls that are not over; ringing inbound calls first, since they need an answer now. */
  readonly calls: ReadonlySignal<CallView[]> = computed(() => {
    const now = this.now.value;
    const busy = this.busyCalls.value;
    const calls = this.snapshot.value.calls;
    const views = calls
      .filter((call) => call.state !== CallState.Ended)
      .map((call, _index, all) => toCallView(call, now, busy.has(call.id), all));
    return [...views.filter((call) => call.incoming), ...views.filter((call) => !call.incoming)];
  });

  /** Do not disturb is on in the engine: incoming calls are refused without ringing. */
  readonly doNotDisturb: ReadonlySignal<boolean> = computed(() => this.snapshot.value.doNotDisturb === true);

  /** A Do not disturb change is on its way. */
  readonly togglingDoNotDisturb = signal(false);

  /**
   * Swap / Merge for two calls (one active, one held); `undefined` when there are not two calls
   * past ringing, or they are in a conference (each card then offers Split).
   */
  readonly lineControls: ReadonlySignal<LineControls | undefined> = computed(() => {
    const calls = this.snapshot.value.calls;
    const up = this.calls.value.filter((call) => call.line === LineRole.Active || call.line === LineRole.Held);
    if (up.length !== 2) return undefined;
    return { canSwap: canMove({ kind: 'swap' }, calls), canMerge: canMove({ kind: 'merge' }, calls) };
  });

  /** The transfer target as typed, normalized like the dialpad's. */
  readonly transferResult: ReadonlySignal<DialResult> = computed(() => {
    const settings = this.settings.value ?? DEFAULT_SETTINGS;
    return normalizeDialTarget(this.transferInput.value, {
      defaultCountry: settings.defaultCountry,
      dialFormat: settings.dialFormat,
    });
  });

  readonly transferPreview: ReadonlySignal<DialPreview> = computed(() => {
    const result = this.transferResult.value;
    const kind = result.ok ? 'target' : result.error === 'empty' ? 'hint' : 'error';
    return { kind, text: dialPreviewWords(result) };
  });

  /**
   * The call that keypad keys typed in the panel go to: the call being talked on (the consult call
   * while asking first, since the caller is on hold then).
   */
  readonly keypadCallId: ReadonlySignal<string | undefined> = computed(() => {
    // A held call hears nothing; the digits are for the call being talked on.
    const up = this.calls.value.filter((call) => call.canKeypad && !call.held);
    return (up.find((call) => call.consultForText !== undefined) ?? up[0])?.id;
  });

  /** The first call ringing here, if any. */
  readonly incomingCall: ReadonlySignal<CallView | undefined> = computed(() =>
    this.calls.value.find((call) => call.incoming),
  );

  /** The first call past ringing here (dialling out, connecting, talking or hanging up). */
  readonly activeCall: ReadonlySignal<CallView | undefined> = computed(() =>
    this.calls.value.find((call) => !call.incoming),
  );

  /** How the latest call ended, for {@link PhoneModelOptions.endedNoticeMs} after it did. */
  readonly endedNotice: ReadonlySignal<EndedNotice | undefined> = computed(() => {
    // A call refused under Do not disturb never rang here: it is in the missed list, not news.
    const last = this.snapshot.value.recent.find((call) => call.refusal === undefined);
    if (!last) return undefined;
    const endedAt = last.endedAt ?? this.endSeenAt.get(last.id);
    if (endedAt === undefined || this.now.value - endedAt >= this.endedNoticeMs) return undefined;
    return {
      callId: last.id,
      ...(last.endReason ? { reason: last.endReason } : {}),
      text: endWords(last.endReason, last.sipCode),
    };
  });

  /**
   * What a screen reader should hear: an incoming call, a call's state, how it ended, else the
   * registration state (without the countdown, which would be re-read every second).
   */
  readonly announcement: ReadonlySignal<string> = computed(() => {
    const incoming = this.incomingCall.value;
    if (incoming?.waiting) return tPanel('announce.waiting', { remote: incoming.remoteLabel });
    if (incoming) return tPanel('announce.incoming', { remote: incoming.remoteLabel });
    const active = this.activeCall.value;
    if (active) return tPanel('announce.call', { remote: active.remoteLabel, state: active.stateText });
    const ended = this.endedNotice.value;
    if (ended) return ended.text;
    const status = this.status.value;
    return status.state === RegistrationState.Waiting ? registrationWords(status.state) : status.text;
  });

  /**
   * Shows the stored snapshot, asks the background for a fresh one (which wakes the service worker
   * and makes it reconcile with the engine), and follows changes from then on.
   */
  async start(): Promise<void> {
    this.dispose();
    this.stops.push(this.snapshotSource.watch((value) => this.receive(value, true)));
    this.stops.push(
      this.settingsSource.watch((settings) => {
        this.settings.value = settings;
      }),
    );
    const timer = setInterval(() => this.tick(), this.tickMs);
    this.stops.push(() => clearInterval(timer));
    const errors = this.recordingErrorSource;
    if (errors) {
      this.stops.push(errors.watch((value) => this.receiveRecordingError(value)));
      errors.getValue().then(
        (value) => this.receiveRecordingError(value),
        (error: unknown) => log.warn('cannot read the recording error', error),
      );
    }

    await Promise.all([
      this.snapshotSource.getValue().then(
        // The stored value may be older than the engine the background is reconciling with.
        (value) => this.receive(value, false),
        (error: unknown) => log.warn('cannot read the stored snapshot', error),
      ),
      this.client.getSnapshot({}).then(
        (snapshot) => this.receive(snapshot, true),
        (error: unknown) => log.warn('the background did not give a snapshot', error),
      ),
      this.settingsSource.load().then(
        (settings) => {
          // A change seen by the watcher meanwhile is newer than what load() read.
          this.settings.value ??= settings;
        },
        (error: unknown) => log.warn('cannot load settings', error),
      ),
    ]);
  }

  /** Stops watching and ticking (the panel is closing). */
  dispose(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
  }

  /** Refreshes the clock (timers, countdowns, the ended notice). */
  tick(): void {
    this.now.value = this.clock();
  }

  /**
   * Offers a snapshot from storage or the background; shows it if it is newer than the current one
   * (see {@link pickSnapshot}). Invalid values are ignored.
   *
   * @returns whether it is now shown.
   */
  receive(value: unknown, allowEngineChange: boolean): boolean {
    const parsed = PhoneSnapshotSchema.safeParse(value);
    if (!parsed.success) {
      log.warn('ignoring an invalid snapshot', parsed.error.issues);
      return false;
    }
    const current = this.snapshot.value;
    const next = pickSnapshot(current, parsed.data, { allowEngineChange });
    if (next === current) return false;
    const now = this.clock();
    const last = next.recent[0];
    if (last && last.endedAt === undefined && !this.endSeenAt.has(last.id)) this.endSeenAt.set(last.id, now);
    batch(() => {
      this.now.value = now;
      this.snapshot.value = next;
    });
    return true;
  }

  setDialInput(value: string): void {
    batch(() => {
      this.dialInput.value = value;
      this.dialError.value = undefined;
    });
  }

  /** A keypad key (or a typed keypad character) adds its character to the number. */
  pressKey(char: string): void {
    this.setDialInput(this.dialInput.value + char);
  }

  backspace(): void {
    this.setDialInput(this.dialInput.value.slice(0, -1));
  }

  chooseAccount(accountId: string): void {
    this.chosenAccountId.value = accountId;
  }

  /**
   * Dials what was typed, from {@link fromAccount}. The raw text is sent: the background normalizes
   * it again at its boundary. The field is cleared once the call exists.
   *
   * @returns the new call's id, or `undefined` when it could not be placed (see {@link dialError}).
   */
  async placeCall(): Promise<string | undefined> {
    if (!this.canDial.value) return undefined;
    const accountId = this.fromAccount.value?.accountId;
    batch(() => {
      this.placing.value = true;
      this.dialError.value = undefined;
    });
    try {
      const { callId } = await this.client.placeCall({
        target: this.dialInput.value.trim(),
        ...(accountId === undefined ? {} : { accountId }),
      });
      this.dialInput.value = '';
      return callId;
    } catch (error) {
      log.warn('placeCall failed', error);
      this.dialError.value = describeError(error);
      return undefined;
    } finally {
      this.placing.value = false;
    }
  }

  /**
   * Answers a ringing call. A waiting call (another call is up) is answered with the current call
   * put on hold first; if the far end refused the hold, the panel says so (that call is muted).
   */
  answer(callId: string): Promise<boolean> {
    const call = this.calls.value.find((c) => c.id === callId);
    if (!call?.waiting) return this.command(callId, () => this.client.answerCall({ callId }));
    return this.command(callId, async () => this.reportNotHeld((await this.client.answerAndHold({ callId })).notHeld));
  }

  /** "Hang up and answer" on a waiting call: the other calls end, this one is answered. */
  hangupAndAnswer(callId: string): Promise<boolean> {
    return this.command(callId, () => this.client.hangupAndAnswer({ callId }));
  }

  /** Holds the active call and resumes the held one. */
  swapCalls(): Promise<boolean> {
    return this.lineCommand(() => this.client.swapCalls({}));
  }

  /** Joins the active and the held call into a 3-way conference. */
  mergeCalls(): Promise<boolean> {
    return this.lineCommand(() => this.client.mergeCalls({}));
  }

  private async lineCommand(send: () => Promise<unknown>): Promise<boolean> {
    this.lineBusy.value = true;
    try {
      return await this.command(undefined, send);
    } finally {
      this.lineBusy.value = false;
    }
  }

  /** Ends the conference, keeping `callId` with the agent; the other call waits on hold. */
  splitConference(callId: string): Promise<boolean> {
    return this.command(callId, () => this.client.splitConference({ keepCallId: callId }));
  }

  decline(callId: string): Promise<boolean> {
    return this.command(callId, () => this.client.declineCall({ callId }));
  }

  /** Hangs up, or cancels a call still ringing out. */
  hangup(callId: string): Promise<boolean> {
    return this.command(callId, () => this.client.hangupCall({ callId }));
  }

  /** Puts the call on hold, or takes it off hold, from what the engine last reported. */
  toggleHold(callId: string): Promise<boolean> {
    const call = this.snapshot.value.calls.find((c) => c.id === callId);
    if (!call) return Promise.resolve(false);
    const held = call.hold === HoldState.Held || call.hold === HoldState.Holding;
    return this.command(callId, () => this.client.setHold({ callId, hold: !held }));
  }

  /** Keeps a ringing call ringing instead of letting the engine answer it by itself. */
  cancelAutoAnswer(callId: string): Promise<boolean> {
    return this.command(callId, () => this.client.cancelAutoAnswer({ callId }));
  }

  /** Turns Do not disturb on or off, from what the engine last reported. */
  async toggleDoNotDisturb(): Promise<boolean> {
    if (this.togglingDoNotDisturb.value) return false;
    this.togglingDoNotDisturb.value = true;
    try {
      return await this.command(undefined, () => this.client.setDoNotDisturb({ on: !this.doNotDisturb.value }));
    } finally {
      this.togglingDoNotDisturb.value = false;
    }
  }

  /** Flips mute from what the engine last reported. */
  toggleMute(callId: string): Promise<boolean> {
    const call = this.snapshot.value.calls.find((c) => c.id === callId);
    if (!call) return Promise.resolve(false);
    return this.command(callId, () => this.client.setMute({ callId, muted: !call.muted }));
  }

  /** Record / Stop recording on the call card, from what the engine last reported. */
  toggleRecording(callId: string): Promise<boolean> {
    const call = this.snapshot.value.calls.find((c) => c.id === callId);
    if (!call) return Promise.resolve(false);
    return this.command(callId, () =>
      call.recording ? this.client.stopRecording({ callId }) : this.client.startRecording({ callId }),
    );
  }

  /** Sends keypad digits on a call; they go out in the order pressed. */
  sendDtmf(callId: string, digits: string): Promise<boolean> {
    // Not marked busy: the next key must not wait for this one's answer (the engine queues them).
    return this.command(undefined, () => this.client.sendDtmf({ callId, digits }));
  }

  /** Opens the transfer form of a call (closes any other). */
  openTransfer(callId: string): void {
    batch(() => {
      this.transferFor.value = callId;
      this.transferInput.value = '';
    });
  }

  closeTransfer(): void {
    this.transferFor.value = undefined;
  }

  setTransferInput(value: string): void {
    this.transferInput.value = value;
  }

  /** Transfers the call to the typed target at once (blind transfer). */
  async blindTransfer(callId: string): Promise<boolean> {
    if (!this.transferResult.value.ok) return false;
    const target = this.transferInput.value.trim();
    const sent = await this.command(callId, () => this.client.blindTransfer({ callId, target }));
    if (sent) this.closeTransfer();
    return sent;
  }

  /** Ask first: holds the caller and calls the typed target. */
  async consultTransfer(callId: string): Promise<boolean> {
    if (!this.transferResult.value.ok) return false;
    const target = this.transferInput.value.trim();
    const sent = await this.command(callId, () => this.client.startConsultTransfer({ callId, target }));
    if (sent) this.closeTransfer();
    return sent;
  }

  /** Ask first: hands the caller over to the target (`callId` is the caller's call). */
  completeTransfer(callId: string): Promise<boolean> {
    return this.command(callId, () => this.client.completeTransfer({ callId }));
  }

  /** Ask first: hangs up the target and returns to the caller (`callId` is the caller's call). */
  cancelTransfer(callId: string): Promise<boolean> {
    return this.command(callId, () => this.client.cancelTransfer({ callId }));
  }

  /** The agent has read the message about a lost recording. */
  async dismissRecordingError(): Promise<void> {
    this.recordingError.value = undefined;
    try {
      await this.client.clearRecordingError({});
    } catch (error) {
      log.warn('clearRecordingError failed', error);
    }
  }

  /** Shows a stored recording error; anything that does not parse counts as none. */
  receiveRecordingError(value: unknown): void {
    const parsed = RecordingErrorSchema.nullable().safeParse(value);
    this.recordingError.value = parsed.success ? (parsed.data ?? undefined) : undefined;
  }

  /** Registers now instead of waiting for the backoff; one account, or all. */
  async retryRegistration(accountId?: string): Promise<boolean> {
    return this.command(undefined, () =>
      this.client.retryRegistration(accountId === undefined ? {} : { accountId }),
    );
  }

  async openOptions(): Promise<void> {
    try {
      await this.openOptionsPage();
    } catch (error) {
      log.warn('cannot open the options page', error);
    }
  }

  /** Says which calls stayed up, muted, because their far end refused to be held. */
  private reportNotHeld(notHeld: readonly { callId: string; code?: number }[]): void {
    const first = notHeld[0];
    if (!first) return;
    const call = this.snapshot.value.calls.find((c) => c.id === first.callId);
    const remote = call ? call.remoteName || call.remoteNumber : tPanel('call.unknown');
    this.callError.value = tPanel('line.notHeld', {
      remote,
      code: first.code === undefined ? tPanel('line.noResponse') : String(first.code),
    });
  }

  private async command(callId: string | undefined, send: () => Promise<unknown>): Promise<boolean> {
    batch(() => {
      this.callError.value = undefined;
      if (callId !== undefined) this.busyCalls.value = new Set([...this.busyCalls.value, callId]);
    });
    try {
      await send();
      return true;
    } catch (error) {
      log.warn('command failed', error);
      this.callError.value = describeError(error);
      return false;
    } finally {
      if (callId !== undefined) {
        const busy = new Set(this.busyCalls.value);
        busy.delete(callId);
        this.busyCalls.value = busy;
      }
    }
  }
}

function toCallView(call: CallSnapshot, now: number, busy: boolean, calls: readonly CallSnapshot[]): CallView {
  const incoming = call.state === CallState.Incoming;
  // Engines before the second line did not say; the same rules tell from the calls themselves.
  const line = call.line ?? lineRoles(calls).get(call.id) ?? LineRole.Ending;
  const up = call.state === CallState.Established;
  const transfer = call.transfer;
  const consultFor = call.consultFor === undefined ? undefined : calls.find((c) => c.id === call.consultFor);
  const remoteLabel = call.remoteName || call.remoteNumber || tPanel('call.unknown');
  const ringingOut = call.direction === 'outbound' && RINGING_OUT.includes(call.state);
  return {
    id: call.id,
    accountId: call.accountId,
    direction: call.direction,
    directionText: tPanel(call.direction === 'inbound' ? 'call.inbound' : 'call.outbound'),
    state: call.state,
    stateText: call.reconnecting ? tPhone('call.reconnecting') : tPhone(`call.${call.state}`),
    remoteLabel,
    ...(call.remoteName && call.remoteNumber ? { remoteDetail: call.remoteNumber } : {}),
    muted: call.muted,
    ...(call.answeredAt === undefined ? {} : { timer: formatDuration(now - call.answeredAt) }),
    incoming,
    canMute: call.state === CallState.Established,
    canHangup: !incoming && call.state !== CallState.Ending,
    hangupText: tPanel(ringingOut ? 'call.cancel' : 'call.hangup'),
    busy,
    recording: call.recording === true,
    canRecord: call.recordingPolicy === 'on-demand' && call.state === CallState.Established,
    ...holdView(call),
    ...(line === LineRole.Conference ? { canHold: false } : {}),
    line,
    waiting: line === LineRole.Waiting,
    canAnswer: incoming && canMove({ kind: 'answer', callId: call.id }, calls),
    inConference: line === LineRole.Conference,
    ...(line === LineRole.Waiting
      ? { lineText: tPanel('line.waiting') }
      : line === LineRole.Conference
        ? { lineText: tPanel('line.conference') }
        : {}),
    reconnecting: call.reconnecting === true,
    ...(call.state === CallState.Established && call.quality?.mos !== undefined
      ? { quality: toQualityView(call.quality, call.quality.mos) }
      : {}),
    ...(incoming && call.autoAnswerAt !== undefined ? autoAnswerView(call.autoAnswerAt, now) : {}),
    canKeypad: up,
    ...(call.dtmf?.sent ? { dtmfSent: call.dtmf.sent } : {}),
    ...(call.dtmf?.failure ? { dtmfError: dtmfFailureWords(call.dtmf.failure, call.dtmf.sipCode) } : {}),
    canTransfer:
      up &&
      call.consultFor === undefined &&
      (transfer === undefined || transfer.state === TransferState.Idle || transfer.state === TransferState.Failed),
    ...(transfer ? { transfer: toTransferView(transfer, calls) } : {}),
    ...(consultFor
      ? { consultForText: tPanel('transfer.consultFor', { remote: consultFor.remoteName || consultFor.remoteNumber }) }
      : {}),
  };
}

function toTransferView(transfer: NonNullable<CallSnapshot['transfer']>, calls: readonly CallSnapshot[]): CallTransferView {
  const consult = calls.find((c) => c.id === transfer.consultCallId);
  const failureText = transfer.failure
    ? transferFailureWords(transfer.failure, transfer.target, transfer.sipCode)
    : undefined;
  const stateText =
    transfer.state === TransferState.Consulting
      ? tPanel('transfer.consulting', { target: transfer.target })
      : transfer.state === TransferState.Referring
        ? tPanel('transfer.referring', { target: transfer.target })
        : undefined;
  // A failure is kept while the agent is back in the call; say what is going on now, then why.
  const text = [failureText && `${failureText}. ${tPanel('transfer.callGoesOn')}`, stateText].filter(Boolean).join(' ');
  return {
    state: transfer.state,
    text,
    failed: failureText !== undefined,
    canComplete: transfer.state === TransferState.Consulting && consult?.state === CallState.Established,
    canCancel: transfer.state === TransferState.Consulting,
  };
}

function holdView(call: CallSnapshot): Pick<CallView, 'held' | 'canHold' | 'holdText' | 'holdNotice'> {
  const hold = call.hold ?? HoldState.Active;
  const held = hold === HoldState.Held || hold === HoldState.Holding;
  const notice =
    hold === HoldState.Holding
      ? tPanel('call.holding')
      : hold === HoldState.Resuming
        ? tPanel('call.resuming')
        : hold === HoldState.Held
          ? tPanel('call.onHold')
          : call.remoteHold
            ? tPanel('call.remoteHold')
            : undefined;
  return {
    held,
    canHold: call.state === CallState.Established && (hold === HoldState.Active || hold === HoldState.Held),
    holdText: tPanel(held ? 'call.resume' : 'call.hold'),
    ...(notice ? { holdNotice: notice } : {}),
  };
}

function autoAnswerView(at: number, now: number): Pick<CallView, 'autoAnswerInSeconds' | 'autoAnswerText'> {
  const seconds = Math.max(0, Math.ceil((at - now) / 1000));
  return { autoAnswerInSeconds: seconds, autoAnswerText: tPanel('call.autoAnswerIn', { seconds }) };
}

function toQualityView(quality: CallQuality, mos: number): QualityView {
  const level = qualityLevel(mos);
  const figure = (value: number | undefined): string => (value === undefined ? '—' : String(Math.round(value)));
  return {
    level,
    text: tPanel(`quality.${level}`),
    detail: tPanel('quality.detail', {
      mos: mos.toFixed(1),
      jitter: figure(quality.jitterMs),
      loss: quality.packetLossPct === undefined ? '—' : quality.packetLossPct.toFixed(1),
      rtt: figure(quality.rttMs),
    }),
  };
}

/** What to tell the user about a failed command: the background's own message when it sent one. */
function describeError(error: unknown): string {
  if (error instanceof RemoteError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return tPanel('error.noAnswer', { message });
}
