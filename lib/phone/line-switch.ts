import type { CallMedia } from '@/lib/phone/call-media';
import { HoldRefusedError } from '@/lib/phone/call-hold';
import { CallState } from '@/lib/phone/call-state';
import type { ConferenceMix, ConferenceWiring } from '@/lib/phone/conference-mixer';
import { ConferenceState, createConferenceMachine } from '@/lib/phone/conference-state';
import type { HoldState } from '@/lib/phone/hold-state';
import {
  LineRole,
  lineRoles,
  planMove,
  toneFor,
  type LineCall,
  type LineMove,
  type LineStep,
  type LineTone,
} from '@/lib/phone/line-coordinator';
import type { MediaHost } from '@/lib/phone/media-host';
import { NotFoundError } from '@/lib/util/exception';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('lines');

/** What the switch needs of a call (a `CallLine` has all of it). */
export interface SwitchableCall {
  readonly id: string;
  readonly state: CallState;
  readonly earlyMedia: boolean;
  readonly muted: boolean;
  snapshot(): { hold?: HoldState | undefined };
  setHold(hold: boolean): Promise<void>;
  setMute(muted: boolean): void;
  answer(): void;
  hangup(): void;
  callMedia(): CallMedia | undefined;
}

export interface LineSwitchDelegate {
  /** Something the snapshot shows changed (conference membership). */
  onLineChange(): void;
}

export interface LineSwitchOptions {
  /** The calls that are not over yet, oldest first. */
  calls: () => readonly SwitchableCall[];
  media: Pick<MediaHost, 'startConference'>;
  delegate: LineSwitchDelegate;
}

/** A call that could not be put on hold when another was answered (see {@link LineSwitch.answer}). */
export interface NotHeld {
  callId: string;
  /** The far end's final response, when one came. */
  code?: number;
}

/**
 * Runs the multi-call rules of `line-coordinator.ts` on the engine's live calls: answer with the
 * current call held first, swap, hold/resume without two talking calls, and the 3-way conference
 * (its {@link ConferenceState} and its mix, which the media host builds).
 *
 * Moves run one at a time, each planned when its turn comes, so a second click (or the
 * notification's Answer) never plans against calls that are about to change.
 */
export class LineSwitch {
  private readonly conference = createConferenceMachine();
  private members: string[] = [];
  private mix: ConferenceMix | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LineSwitchOptions) {
    this.conference.changes.on(() => this.options.delegate.onLineChange());
  }

  /** The calls as the rules see them. */
  lineCalls(): LineCall[] {
    return this.options.calls().map((call) => ({
      id: call.id,
      state: call.state,
      hold: call.snapshot().hold,
      conference: this.members.includes(call.id),
      earlyMedia: call.earlyMedia,
    }));
  }

  roles(): Map<string, LineRole> {
    return lineRoles(this.lineCalls());
  }

  tone(): LineTone {
    return toneFor(this.lineCalls());
  }

  get conferenceState(): ConferenceState {
    return this.conference.state;
  }

  /** Whether the call is in the conference (being merged, mixed or split). */
  inConference(callId: string): boolean {
    return this.members.includes(callId);
  }

  /** What the conference's calls send, while it is mixed (tests, diagnostics). */
  wiring(): ConferenceWiring | undefined {
    return this.mix?.wiring();
  }

  /**
   * Answers a ringing call. A call the agent is talking to is put on hold first (and its hold
   * waited for); if the far end refuses the hold, the new call is answered all the same and the
   * refusing call is muted so it does not hear the new conversation — reported in `notHeld`.
   * With `hangUpOthers` the other calls are hung up instead ("Hang up and answer").
   */
  answer(callId: string, hangUpOthers = false): Promise<{ notHeld: NotHeld[] }> {
    return this.run(async () => {
      const steps = planMove({ kind: hangUpOthers ? 'hangup-and-answer' : 'answer', callId }, this.lineCalls());
      const notHeld: NotHeld[] = [];
      const held: string[] = [];
      for (const step of steps) {
        if (step.kind === 'hold') {
          try {
            await this.call(step.callId).setHold(true);
            held.push(step.callId);
          } catch (error) {
            if (!(error instanceof HoldRefusedError)) throw error;
            log.warn(`call ${step.callId} refused hold; answering ${callId} anyway, with it muted`);
            this.call(step.callId).setMute(true);
            notHeld.push({ callId: step.callId, ...(error.code === undefined ? {} : { code: error.code }) });
          }
        } else if (step.kind === 'answer') {
          const target = this.find(step.callId);
          if (target?.state !== CallState.Incoming) {
            // The caller gave up while the other call was being held: back to that call.
            await this.resumeQuietly(held);
            throw new NotFoundError(`call ${callId} stopped ringing`);
          }
          target.answer();
        } else await this.step(step);
      }
      return { notHeld };
    });
  }

  /** Holds the call the agent talks to, then resumes the held one. */
  swap(): Promise<void> {
    return this.move({ kind: 'swap' });
  }

  /**
   * Holds (`true`) or resumes a call. Resuming while another call is active holds that one first,
   * so it is a swap; holding a conference call is refused (split first). A call already in the
   * state asked for, or not established, is left to the call itself (no-op, or its own error).
   */
  setHold(callId: string, hold: boolean): Promise<void> {
    return this.run(async () => {
      const role = lineRoles(this.lineCalls()).get(callId);
      if (role === undefined) throw new NotFoundError(`no such call: ${callId}`);
      const ruled = hold ? role === LineRole.Active || role === LineRole.Conference : role === LineRole.Held;
      if (!ruled) {
        await this.call(callId).setHold(hold);
        return;
      }
      for (const step of planMove({ kind: hold ? 'hold' : 'resume', callId }, this.lineCalls())) await this.step(step);
    });
  }

  /**
   * Merges the active and the held call into a 3-way conference: resumes the held call, then
   * mixes. The mute of the call the agent was talking on applies to both. If the mix cannot be
   * put on the line, the resumed call goes back on hold and the error says why.
   */
  merge(): Promise<void> {
    return this.run(async () => {
      const steps = planMove({ kind: 'merge' }, this.lineCalls());
      const mix = steps.find((step) => step.kind === 'mix');
      if (mix) await this.mixCalls(mix.callIds);
    });
  }

  /** Ends the mix: `keepCallId` stays with the agent, the other call waits on hold. */
  split(keepCallId: string): Promise<void> {
    return this.move({ kind: 'split', keepCallId });
  }

  /**
   * Places a new outbound call with `place`, unless the rules refuse it; the call the agent talks
   * to is put on hold first (a refused hold stops the dial: the error says why).
   */
  dial<T>(place: () => T): Promise<T> {
    return this.run(async () => {
      for (const step of planMove({ kind: 'dial' }, this.lineCalls())) {
        if (step.kind !== 'dial') await this.step(step);
      }
      return place();
    });
  }

  /** Mute of a conference call applies to the agent's microphone in both mixes. */
  setMute(callId: string, muted: boolean): void {
    if (!this.inConference(callId)) {
      this.call(callId).setMute(muted);
      return;
    }
    for (const id of this.members) this.find(id)?.setMute(muted);
    // After the calls' own mute, which switched off whatever track their senders carry (the mix).
    this.mix?.setMuted(muted);
  }

  /** A call changed: a conference member that is going away ends the conference. */
  callChanged(call: { id: string; state: CallState }): void {
    const going = call.state === CallState.Ending || call.state === CallState.Ended;
    if (!going || !this.inConference(call.id) || this.conference.state !== ConferenceState.Mixed) return;
    log.info(`call ${call.id} left the conference; back to plain calls`);
    void this.unmix().catch((error: unknown) => log.warn('ending the conference failed', error));
  }

  private move(move: LineMove): Promise<void> {
    return this.run(async () => {
      for (const step of planMove(move, this.lineCalls())) await this.step(step);
    });
  }

  private async step(step: LineStep): Promise<void> {
    switch (step.kind) {
      case 'hold':
        return this.call(step.callId).setHold(true);
      case 'resume':
        return this.call(step.callId).setHold(false);
      case 'answer':
        return this.call(step.callId).answer();
      case 'hangup':
        return this.call(step.callId).hangup();
      case 'mix':
        throw new TypeError('a mix step is run by merge()');
      case 'unmix':
        return this.unmix();
      case 'dial':
        return;
    }
  }

  /**
   * The conference is `Merging` from before the held call is resumed, so the rules never see two
   * active calls; the resumed call sends the plain microphone only until the mix replaces it.
   */
  private async mixCalls([talkingId, joiningId]: [string, string]): Promise<void> {
    const talking = this.call(talkingId);
    const joining = this.call(joiningId);
    this.members = [talkingId, joiningId];
    this.conference.transition(ConferenceState.Merging);
    try {
      await joining.setHold(false);
    } catch (error) {
      this.members = [];
      this.conference.transition(ConferenceState.Idle);
      throw error;
    }
    try {
      const muted = talking.muted;
      if (joining.muted !== muted) joining.setMute(muted);
      const members = [talking, joining].map((call) => {
        const media = call.state === CallState.Established ? call.callMedia() : undefined;
        if (!media) throw new NotFoundError(`call ${call.id} has no media to mix`);
        return { callId: call.id, media };
      });
      this.mix = await this.options.media.startConference(members, muted);
      if (talking.state !== CallState.Established || joining.state !== CallState.Established) {
        throw new NotFoundError('a call ended while the conference was being mixed');
      }
      this.conference.transition(ConferenceState.Mixed);
    } catch (error) {
      await this.mix?.stop();
      this.mix = undefined;
      this.members = [];
      this.conference.transition(ConferenceState.Idle);
      // The resumed call must not stay talking beside the other one.
      if (joining.state === CallState.Established && talking.state === CallState.Established) {
        await joining.setHold(true).catch((holdError: unknown) => log.warn('re-holding after a failed merge failed', holdError));
      }
      throw error;
    }
  }

  private async unmix(): Promise<void> {
    if (this.conference.state !== ConferenceState.Mixed) return;
    this.conference.transition(ConferenceState.Splitting);
    try {
      await this.mix?.stop();
    } finally {
      this.mix = undefined;
      this.members = [];
      this.conference.transition(ConferenceState.Idle);
    }
  }

  private async resumeQuietly(callIds: readonly string[]): Promise<void> {
    for (const id of callIds) {
      await this.find(id)
        ?.setHold(false)
        .catch((error: unknown) => log.warn(`resuming ${id} failed`, error));
    }
  }

  /** Runs `task` after every move before it has finished (whatever its outcome). */
  private run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private find(callId: string): SwitchableCall | undefined {
    return this.options.calls().find((call) => call.id === callId);
  }

  private call(callId: string): SwitchableCall {
    const call = this.find(callId);
    if (!call) throw new NotFoundError(`no such call: ${callId}`);
    return call;
  }
}
