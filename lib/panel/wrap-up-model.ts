import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import { callRecordId } from '@/lib/db/call-record';
import { tPanel } from '@/lib/i18n/panel-messages';
import { RemoteError } from '@/lib/messaging/protocol';
import { dispositionChoices, type DispositionChoice } from '@/lib/panel/disposition-words';
import type { PanelClient } from '@/lib/panel/phone-model';
import { CallState } from '@/lib/phone/call-state';
import type { CallSnapshot, PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('wrap-up');

/** What the note and disposition editor needs from the background. */
export type WrapUpClient = Pick<PanelClient, 'saveCallNote' | 'setCallDisposition' | 'getCallWrapUp' | 'finishWrapUp'>;

/** Where the panel remembers which finished calls the agent closed the editor of (`storage.session`). */
export interface DismissedStore {
  load(): Promise<readonly string[]>;
  save(ids: readonly string[]): Promise<void>;
}

export interface WrapUpModelOptions {
  client: WrapUpClient;
  /** The phone snapshot: live calls get an editor, and so does the call that ended last. */
  snapshot: ReadonlySignal<PhoneSnapshot>;
  /** The team's dispositions (empty: the standard list). */
  dispositions: ReadonlySignal<readonly string[]>;
  dismissed?: DismissedStore;
  /** The wall clock, ticking (the phone model's `now`). */
  now: ReadonlySignal<number>;
  /** How long typing must pause before the note is saved. @defaultValue 800 */
  autosaveMs?: number;
  /**
   * How long after a call ended its editor stays until the agent closes it: after-call work is
   * done right after the call, and an editor open for hours would be noise.
   * @defaultValue 30 minutes
   */
  keepMs?: number;
}

/** Where the note of one call stands. */
export type NoteStatus = 'loading' | 'saved' | 'unsaved' | 'saving' | 'error';

/** The editor of one call, ready to show. */
export interface WrapUpView {
  /** The call's history id: notes and the disposition are saved against it. */
  id: string;
  /** The engine's call id. */
  callId: string;
  /** The call is over: the editor is the after-call work, with a Done button. */
  ended: boolean;
  /** Name or number, for the finished call's editor heading. */
  remoteLabel: string;
  note: string;
  status: NoteStatus;
  /** The status in words (empty while there is nothing to say). */
  statusText: string;
  disposition?: string;
  choices: DispositionChoice[];
  /** What went wrong with the last save. */
  error?: string;
}

interface Entry {
  note: string;
  /** The note as the database has it. */
  savedNote: string;
  disposition?: string;
  loaded: boolean;
  /** The agent typed before the saved note arrived: what they typed wins. */
  touched: boolean;
  saving: boolean;
  error?: string;
}

/** Max finished-call ids remembered as closed; older ones have long left `recent` anyway. */
const DISMISSED_LIMIT = 50;

/**
 * The note and disposition of the calls on screen: every live call, and the call that ended last
 * until the agent presses Done (after-call work).
 *
 * Notes save themselves shortly after typing pauses and when the field loses focus, so a worker
 * stop, a closed panel or a browser restart loses nothing typed more than a moment ago; everything
 * goes to the background, which writes it to history against the call's history id (the row exists
 * from the call's first ring).
 */
export class WrapUpModel {
  private readonly entries = signal<ReadonlyMap<string, Entry>>(new Map());
  private readonly dismissedIds = signal<ReadonlySet<string>>(new Set());
  private readonly now: ReadonlySignal<number>;
  private readonly client: WrapUpClient;
  private readonly snapshot: ReadonlySignal<PhoneSnapshot>;
  private readonly dispositions: ReadonlySignal<readonly string[]>;
  private readonly dismissedStore: DismissedStore | undefined;
  private readonly autosaveMs: number;
  private readonly keepMs: number;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Saves in flight, so a second save of a call waits for the first (the last text wins). */
  private readonly inFlight = new Map<string, Promise<void>>();
  private stops: (() => void)[] = [];

  constructor(options: WrapUpModelOptions) {
    this.client = options.client;
    this.snapshot = options.snapshot;
    this.dispositions = options.dispositions;
    this.dismissedStore = options.dismissed;
    this.autosaveMs = options.autosaveMs ?? 800;
    this.keepMs = options.keepMs ?? 30 * 60_000;
    this.now = options.now;
  }

  /** The calls that get an editor: live ones, then the last finished one unless closed. */
  private readonly subjects: ReadonlySignal<{ id: string; call: CallSnapshot; ended: boolean }[]> = computed(() => {
    const { calls, recent } = this.snapshot.value;
    const subjects = calls
      .filter((call) => call.state !== CallState.Ended)
      .map((call) => ({ id: callRecordId(call.id, call.startedAt), call, ended: false }));
    // A call refused under Do not disturb was never talked to: nothing to note.
    const last = recent.find((call) => call.refusal === undefined);
    if (last) {
      const id = callRecordId(last.id, last.startedAt);
      const endedAt = last.endedAt ?? last.startedAt;
      const fresh = this.now.value - endedAt < this.keepMs;
      if (fresh && !this.dismissedIds.value.has(id) && !subjects.some((s) => s.id === id)) {
        subjects.push({ id, call: last, ended: true });
      }
    }
    return subjects;
  });

  readonly views: ReadonlySignal<WrapUpView[]> = computed(() => {
    const entries = this.entries.value;
    const teamLabels = this.dispositions.value;
    return this.subjects.value.map(({ id, call, ended }) => {
      const entry = entries.get(id);
      const status = statusOf(entry);
      return {
        id,
        callId: call.id,
        ended,
        remoteLabel: call.remoteName || call.remoteNumber || tPanel('call.unknown'),
        note: entry?.note ?? '',
        status,
        // Nothing typed and nothing saved: "Saved" would be noise.
        statusText:
          status === 'loading' || (status === 'saved' && (entry?.note ?? '').trim() === '')
            ? ''
            : tPanel(`wrapUp.status.${status}`),
        ...(entry?.disposition === undefined ? {} : { disposition: entry.disposition }),
        choices: dispositionChoices(teamLabels, entry?.disposition),
        ...(entry?.error ? { error: entry.error } : {}),
      };
    });
  });

  /** The editor of a call by its engine id, if it has one. */
  viewOf(callId: string): WrapUpView | undefined {
    return this.views.value.find((view) => view.callId === callId);
  }

  /** Loads what is saved for each call that gets an editor, as calls come and go. */
  start(): void {
    this.dispose();
    if (this.dismissedStore) {
      this.dismissedStore.load().then(
        (ids) => {
          this.dismissedIds.value = new Set([...ids, ...this.dismissedIds.value]);
        },
        (error: unknown) => log.warn('cannot read closed editors', error),
      );
    }
    this.stops.push(
      effect(() => {
        for (const { id } of this.subjects.value) {
          if (!this.entries.peek().has(id)) void this.load(id);
        }
      }),
    );
  }

  /** Saves what is pending and stops (the panel is closing). */
  dispose(): void {
    for (const id of [...this.timers.keys()]) void this.flush(id);
    for (const stop of this.stops) stop();
    this.stops = [];
  }

  /** The agent typed: keep the text and save it once typing pauses. */
  setNote(id: string, text: string): void {
    this.update(id, (entry) => ({ ...entry, note: text, touched: true }));
    const pending = this.timers.get(id);
    if (pending !== undefined) clearTimeout(pending);
    this.timers.set(
      id,
      setTimeout(() => void this.flush(id), this.autosaveMs),
    );
  }

  /** Saves the note now if it changed (the field lost focus, the panel closes, Done). */
  async flush(id: string): Promise<void> {
    const pending = this.timers.get(id);
    if (pending !== undefined) clearTimeout(pending);
    this.timers.delete(id);
    await this.inFlight.get(id);
    const entry = this.entries.value.get(id);
    if (!entry || entry.note.trim() === entry.savedNote.trim()) return;
    const text = entry.note;
    const save = this.save(id, text);
    this.inFlight.set(id, save);
    await save;
    if (this.inFlight.get(id) === save) this.inFlight.delete(id);
  }

  /** Sets (or with `undefined` clears) the disposition, saved at once. */
  async setDisposition(id: string, disposition: string | undefined): Promise<boolean> {
    const before = this.entries.value.get(id)?.disposition;
    this.update(id, (entry) => withDisposition({ ...entry, error: undefined }, disposition));
    try {
      await this.client.setCallDisposition({ callId: id, disposition: disposition ?? null });
      return true;
    } catch (error) {
      log.warn('setCallDisposition failed', error);
      this.update(id, (entry) => withDisposition({ ...entry, error: describeError(error) }, before));
      return false;
    }
  }

  /** The agent is done with a finished call: save the note and close its editor. */
  async done(id: string): Promise<void> {
    await this.flush(id);
    if (this.entries.value.get(id)?.error) return;
    const ids = [...this.dismissedIds.value, id].slice(-DISMISSED_LIMIT);
    this.dismissedIds.value = new Set(ids);
    await this.dismissedStore?.save(ids).catch((error: unknown) => log.warn('cannot remember a closed editor', error));
    // The note is saved: the call need not wait out the rest of its wrap-up before going to the CRM.
    await this.client.finishWrapUp({ callId: id }).catch((error: unknown) => log.warn('finishWrapUp failed', error));
  }

  private async load(id: string): Promise<void> {
    this.update(id, (entry) => entry);
    try {
      const saved = await this.client.getCallWrapUp({ callId: id });
      this.update(id, (entry) => {
        const savedNote = saved.noteText ?? '';
        return {
          ...entry,
          loaded: true,
          savedNote,
          note: entry.touched ? entry.note : savedNote,
          ...(entry.disposition === undefined && saved.disposition !== undefined
            ? { disposition: saved.disposition }
            : {}),
        };
      });
    } catch (error) {
      log.warn('getCallWrapUp failed', error);
      this.update(id, (entry) => ({ ...entry, loaded: true, error: describeError(error) }));
    }
  }

  private async save(id: string, text: string): Promise<void> {
    this.update(id, (entry) => ({ ...entry, saving: true, error: undefined }));
    try {
      await this.client.saveCallNote({ callId: id, text });
      this.update(id, (entry) => ({ ...entry, saving: false, savedNote: text }));
    } catch (error) {
      log.warn('saveCallNote failed', error);
      this.update(id, (entry) => ({ ...entry, saving: false, error: describeError(error) }));
    }
  }

  private update(id: string, change: (entry: Entry) => Entry): void {
    batch(() => {
      const entries = new Map(this.entries.value);
      const entry = entries.get(id) ?? { note: '', savedNote: '', loaded: false, touched: false, saving: false };
      entries.set(id, change(entry));
      this.entries.value = entries;
    });
  }
}

function withDisposition(entry: Entry, disposition: string | undefined): Entry {
  const { disposition: _previous, ...rest } = entry;
  return disposition === undefined ? rest : { ...rest, disposition };
}

function statusOf(entry: Entry | undefined): NoteStatus {
  if (!entry || (!entry.loaded && !entry.touched)) return 'loading';
  if (entry.saving) return 'saving';
  if (entry.error) return 'error';
  return entry.note.trim() === entry.savedNote.trim() ? 'saved' : 'unsaved';
}

function describeError(error: unknown): string {
  if (error instanceof RemoteError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return tPanel('error.noAnswer', { message });
}
