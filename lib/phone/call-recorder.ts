import type { CallMedia, RecordingHandle } from '@/lib/phone/call-media';
import type { MediaHost } from '@/lib/phone/media-host';
import { StateMachine } from '@/lib/phone/state-machine';
import type { RecordingPolicy } from '@/lib/settings/settings-schema';
import { Exception } from '@/lib/util/exception';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('recorder');

/**
 * Where the recording of one call stands.
 *
 * ```
 *  Waiting ──answered()──► Idle ──start()──► Recording ──stop()──► Idle
 *     │                     │                    │
 *     └────────────────── end() (hang-up) ───────┴──────────────► Ended
 * ```
 * With the `always` policy, `answered()` goes on to `Recording` at once. Every Recording → Idle
 * (or → Ended) move delivers one segment; a call may have several.
 */
export enum RecorderState {
  Waiting = 'waiting',
  Idle = 'idle',
  Recording = 'recording',
  Ended = 'ended',
}

const R = RecorderState;

const RECORDER_TRANSITIONS: Readonly<Record<RecorderState, readonly RecorderState[]>> = {
  [R.Waiting]: [R.Idle, R.Ended],
  [R.Idle]: [R.Recording, R.Ended],
  [R.Recording]: [R.Idle, R.Ended],
  [R.Ended]: [],
};

/** A start or stop the policy or the call's state does not allow; the message is for logs. */
export class RecordingNotAllowedError extends Exception {}

/** The recording settings of the call's account, fixed when the call starts. */
export interface RecorderSettings {
  policy: RecordingPolicy;
  /** Play the consent beep to both parties at each start. */
  notice: boolean;
}

/** One finished piece of a call's recording. */
export interface RecordedSegment {
  /** The engine's call id. */
  callId: string;
  /** When the call started (with `callId`, it gives the call's history id). */
  callStartedAt: number;
  /** When this segment started. */
  startedAt: number;
  mimeType: string;
  durationMs: number;
  audio: Blob;
}

export interface CallRecorderDelegate {
  /** `recording` changed: the engine publishes a new snapshot. */
  onRecorderChange(): void;
  /** A segment was stopped and its audio is ready. */
  onSegment(segment: RecordedSegment): void;
  /** Recording could not start, or its audio was lost; `message` says why (logs, the panel). */
  onRecordingFailed(callId: string, message: string): void;
}

export interface CallRecorderOptions {
  /**
   * A segment is cut and a new one started after this long, so that one segment's audio stays well
   * under Chrome's 64 MiB message limit (2 h of 32 kbps Opus ≈ 29 MB, ≈ 38 MB as base64).
   * @defaultValue 2 hours
   */
  maxSegmentMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/** The parts of a call the recorder reads. */
export interface RecordedCall {
  readonly id: string;
  readonly startedAt: number;
  /** The call's media once answered; `undefined` before, or when it is gone. */
  callMedia(): CallMedia | undefined;
  readonly muted: boolean;
}

/**
 * Records one call for the phone engine, following the account's policy: `off` never records,
 * `on-demand` records between the agent's Record and Stop, `always` from answer to hang-up. The
 * audio itself is the {@link MediaHost}'s business (Web Audio + MediaRecorder in a browser).
 */
export class CallRecorder {
  private readonly machine = new StateMachine<RecorderState>('Recorder', R.Waiting, RECORDER_TRANSITIONS);
  private readonly maxSegmentMs: number;
  private readonly now: () => number;
  private current: { handle: RecordingHandle; startedAt: number; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(
    private readonly call: RecordedCall,
    readonly settings: RecorderSettings,
    private readonly host: Pick<MediaHost, 'startRecording' | 'playRecordingNotice' | 'prepareRecording' | 'releaseRecording'>,
    private readonly delegate: CallRecorderDelegate,
    options: CallRecorderOptions = {},
  ) {
    this.maxSegmentMs = options.maxSegmentMs ?? 2 * 3_600_000;
    this.now = options.now ?? Date.now;
    // Opened while the call rings or dials, so the recording runs from the first word of the answer.
    if (settings.policy !== 'off') host.prepareRecording?.(call.id);
    this.machine.changes.on(({ from, to }) => {
      if (from === R.Recording || to === R.Recording) this.delegate.onRecorderChange();
    });
  }

  get state(): RecorderState {
    return this.machine.state;
  }

  /** Whether audio is being recorded right now. */
  get recording(): boolean {
    return this.machine.state === R.Recording;
  }

  /** The call was answered: recording becomes possible, and starts at once under `always`. */
  answered(): void {
    if (this.machine.state !== R.Waiting) return;
    this.machine.transition(R.Idle);
    if (this.settings.policy !== 'always') return;
    try {
      this.start();
    } catch (error) {
      this.delegate.onRecordingFailed(this.call.id, messageOf(error));
    }
  }

  /**
   * Starts a segment (the agent's Record, or `always` at answer). Throws
   * {@link RecordingNotAllowedError} when the policy is `off` or the call is not answered or over;
   * rethrows the host's error when the browser cannot record. Starting twice is harmless.
   */
  start(): void {
    if (this.settings.policy === 'off') throw new RecordingNotAllowedError('recording is off for this account');
    if (this.machine.state === R.Recording) return;
    if (this.machine.state !== R.Idle) throw new RecordingNotAllowedError(`cannot record a call that is ${this.machine.state}`);
    const media = this.call.callMedia();
    if (!media) throw new RecordingNotAllowedError('the call has no media yet');
    const handle = this.host.startRecording(this.call.id, media);
    const startedAt = this.now();
    const timer = setTimeout(() => this.cutSegment(), this.maxSegmentMs);
    this.current = { handle, startedAt, timer };
    this.machine.transition(R.Recording);
    if (this.settings.notice) {
      this.host
        .playRecordingNotice(this.call.id, media, () => this.call.muted)
        .catch((error: unknown) => log.warn(`recording notice of ${this.call.id} failed`, error));
    }
  }

  /** The agent's Stop (`on-demand` only: under `always` the policy says the whole call). */
  stop(): void {
    if (this.settings.policy !== 'on-demand') {
      throw new RecordingNotAllowedError(`recording is ${this.settings.policy} for this account`);
    }
    if (this.machine.state !== R.Recording) return;
    this.finishSegment();
    this.machine.transition(R.Idle);
  }

  /** The call is over: the segment in progress is finished, and nothing more is recorded. */
  end(): void {
    if (this.machine.state === R.Ended) return;
    if (this.machine.state === R.Recording) this.finishSegment();
    this.machine.transition(R.Ended);
    if (this.settings.policy !== 'off') this.host.releaseRecording?.(this.call.id);
  }

  /** A segment reached {@link CallRecorderOptions.maxSegmentMs}: the next one starts at once. */
  private cutSegment(): void {
    if (this.machine.state !== R.Recording) return;
    this.finishSegment();
    this.machine.transition(R.Idle);
    try {
      // No second beep: the recording carries on, only the file is cut.
      const media = this.call.callMedia();
      if (!media) throw new RecordingNotAllowedError('the call has no media any more');
      const handle = this.host.startRecording(this.call.id, media);
      this.current = { handle, startedAt: this.now(), timer: setTimeout(() => this.cutSegment(), this.maxSegmentMs) };
      this.machine.transition(R.Recording);
    } catch (error) {
      this.delegate.onRecordingFailed(this.call.id, messageOf(error));
    }
  }

  private finishSegment(): void {
    const segment = this.current;
    if (!segment) return;
    this.current = undefined;
    clearTimeout(segment.timer);
    segment.handle.stop().then(
      ({ mimeType, audio, durationMs }) =>
        this.delegate.onSegment({
          callId: this.call.id,
          callStartedAt: this.call.startedAt,
          startedAt: segment.startedAt,
          mimeType,
          durationMs,
          audio,
        }),
      (error: unknown) => this.delegate.onRecordingFailed(this.call.id, messageOf(error)),
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
