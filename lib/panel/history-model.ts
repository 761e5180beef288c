import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { CallOutcome } from '@/lib/db/call-record';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { HistoryFilterName, HistoryRow } from '@/lib/history/history-row';
import { createLocalClock, type LocalClock } from '@/lib/history/local-clock';
import { RemoteError } from '@/lib/messaging/protocol';
import { formatDuration } from '@/lib/panel/format-duration';
import type { PanelClient } from '@/lib/panel/phone-model';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('history');

/** What the history view needs from the background. */
export type HistoryClient = Pick<PanelClient, 'getHistoryPage' | 'saveCallNote' | 'placeCall'>;

/** The filters offered, in the order of their buttons. */
export const HISTORY_FILTERS: readonly HistoryFilterName[] = ['all', 'missed', 'inbound', 'outbound'];

export interface HistoryModelOptions {
  client: HistoryClient;
  /**
   * The ids of recently finished calls (the phone snapshot's `recent`); the list reloads when they
   * change, so a call that just ended shows up.
   */
  recent: ReadonlySignal<readonly { id: string }[]>;
  /**
   * Reads call times as local days and hours.
   * @defaultValue the browser's time zone
   */
  localClock?: LocalClock;
  /** @defaultValue `Date.now` */
  clock?: () => number;
  /** @defaultValue 50 */
  pageSize?: number;
}

/** One call of the list, ready to show. */
export interface HistoryRowView {
  /** History id; notes are saved against it. */
  id: string;
  /** The engine's call id. */
  callId: string;
  direction: HistoryRow['direction'];
  directionText: string;
  /** `in-progress` while the call has no outcome yet. */
  outcome: CallOutcome | 'in-progress';
  /** Name when known, else the number. */
  label: string;
  /** The number under the name, when a name is shown. */
  detail?: string;
  /** Local `hh:mm`. */
  time: string;
  /** Talk time of an answered call, else how it went in words. */
  summary: string;
  /** What "Call back" dials; absent when there is no number. */
  dialTarget?: string;
  /** The note as saved. */
  savedNote: string;
  /** The note as being typed. */
  noteDraft: string;
  /** The draft differs from what is saved and is not blank. */
  canSaveNote: boolean;
  savingNote: boolean;
}

/** Calls of one local day. */
export interface HistoryDayView {
  day: string;
  title: string;
  rows: HistoryRowView[];
}

/**
 * The side panel's call history: pages of calls asked from the background (which owns the
 * database), grouped by local day, with a filter, "call back" and one note per call.
 */
export class HistoryModel {
  readonly filter = signal<HistoryFilterName>('all');
  /** Rows loaded so far, newest first. */
  readonly rows = signal<readonly HistoryRow[]>([]);
  readonly nextCursor = signal<string | undefined>(undefined);
  readonly loading = signal(false);
  readonly error = signal<string | undefined>(undefined);
  /** Notes being typed, by history id. */
  readonly noteDrafts = signal<ReadonlyMap<string, string>>(new Map());
  private readonly savingNotes = signal<ReadonlySet<string>>(new Set());

  private readonly client: HistoryClient;
  private readonly recent: ReadonlySignal<readonly { id: string }[]>;
  private readonly localClock: LocalClock;
  private readonly clock: () => number;
  private readonly pageSize: number;
  /** Bumped by every reload, so an older answer never overwrites a newer one. */
  private generation = 0;
  private stop: (() => void) | undefined;

  constructor(options: HistoryModelOptions) {
    this.client = options.client;
    this.recent = options.recent;
    this.localClock = options.localClock ?? createLocalClock(Intl.DateTimeFormat().resolvedOptions().timeZone);
    this.clock = options.clock ?? Date.now;
    this.pageSize = options.pageSize ?? 50;
  }

  readonly hasMore: ReadonlySignal<boolean> = computed(() => this.nextCursor.value !== undefined);

  readonly days: ReadonlySignal<HistoryDayView[]> = computed(() => {
    const drafts = this.noteDrafts.value;
    const saving = this.savingNotes.value;
    const today = this.localClock.day(this.clock());
    const yesterday = this.localClock.day(this.clock() - 86_400_000);
    const days: HistoryDayView[] = [];
    for (const row of this.rows.value) {
      const day = this.localClock.day(row.startedAt);
      const view = this.toRowView(row, drafts.get(row.id), saving.has(row.id));
      const last = days.at(-1);
      if (last?.day === day) last.rows.push(view);
      else days.push({ day, title: dayTitle(day, today, yesterday), rows: [view] });
    }
    return days;
  });

  /** Loads the first page now and again whenever {@link HistoryModelOptions.recent} changes. */
  start(): void {
    this.dispose();
    let previous: string | undefined;
    this.stop = effect(() => {
      const key = this.recent.value.map((call) => call.id).join('\n');
      if (key === previous) return;
      previous = key;
      void this.reload();
    });
  }

  dispose(): void {
    this.stop?.();
    this.stop = undefined;
  }

  setFilter(filter: HistoryFilterName): Promise<void> {
    if (filter === this.filter.value) return Promise.resolve();
    this.filter.value = filter;
    return this.reload();
  }

  /** Loads the first page of the current filter again. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    await this.load(generation, undefined);
  }

  /** Appends the next page. */
  async loadMore(): Promise<void> {
    const cursor = this.nextCursor.value;
    if (cursor === undefined || this.loading.value) return;
    await this.load(this.generation, cursor);
  }

  setNoteDraft(id: string, text: string): void {
    const drafts = new Map(this.noteDrafts.value);
    drafts.set(id, text);
    this.noteDrafts.value = drafts;
  }

  /** Saves the typed note of a call; the saved text is shown from then on. */
  async saveNote(id: string): Promise<boolean> {
    const text = (this.noteDrafts.value.get(id) ?? '').trim();
    if (text === '' || this.savingNotes.value.has(id)) return false;
    batch(() => {
      this.error.value = undefined;
      this.savingNotes.value = new Set([...this.savingNotes.value, id]);
    });
    try {
      await this.client.saveCallNote({ callId: id, text });
      batch(() => {
        this.rows.value = this.rows.value.map((row) =>
          row.id === id ? { ...row, noteText: text, noteCount: Math.max(1, row.noteCount) } : row,
        );
        const drafts = new Map(this.noteDrafts.value);
        drafts.delete(id);
        this.noteDrafts.value = drafts;
      });
      return true;
    } catch (error) {
      log.warn('saveCallNote failed', error);
      this.error.value = describeError(error);
      return false;
    } finally {
      const saving = new Set(this.savingNotes.value);
      saving.delete(id);
      this.savingNotes.value = saving;
    }
  }

  /** Calls the number of a history row again; the new call's id, or `undefined` if it failed. */
  async callBack(id: string): Promise<string | undefined> {
    const row = this.rows.value.find((r) => r.id === id);
    const target = row && dialTargetOf(row);
    if (!target) return undefined;
    this.error.value = undefined;
    try {
      return (await this.client.placeCall({ target })).callId;
    } catch (error) {
      log.warn('call back failed', error);
      this.error.value = describeError(error);
      return undefined;
    }
  }

  private async load(generation: number, cursor: string | undefined): Promise<void> {
    batch(() => {
      this.loading.value = true;
      this.error.value = undefined;
    });
    try {
      const page = await this.client.getHistoryPage({
        filter: this.filter.value,
        limit: this.pageSize,
        ...(cursor === undefined ? {} : { cursor }),
      });
      if (generation !== this.generation) return;
      batch(() => {
        this.rows.value = cursor === undefined ? page.rows : [...this.rows.value, ...page.rows];
        this.nextCursor.value = page.nextCursor;
      });
    } catch (error) {
      if (generation !== this.generation) return;
      log.warn('getHistoryPage failed', error);
      this.error.value = describeError(error);
    } finally {
      if (generation === this.generation) this.loading.value = false;
    }
  }

  private toRowView(row: HistoryRow, draft: string | undefined, saving: boolean): HistoryRowView {
    const number = row.remoteE164 ?? row.remoteRaw;
    const label = row.remoteName || number || tPanel('call.unknown');
    const savedNote = row.noteText ?? '';
    const noteDraft = draft ?? savedNote;
    const dialTarget = dialTargetOf(row);
    const answered = row.answeredAt !== undefined && row.outcome === 'answered';
    return {
      id: row.id,
      callId: row.callId,
      direction: row.direction,
      directionText: tPanel(row.direction === 'inbound' ? 'call.inbound' : 'call.outbound'),
      outcome: row.outcome ?? 'in-progress',
      label,
      // The number under the name, unless the name is the number itself (PBXs often send it as the name).
      ...(row.remoteName && number && label !== number ? { detail: number } : {}),
      time: formatTime(this.localClock.local(row.startedAt)),
      summary: answered
        ? formatDuration(row.talkSeconds * 1000)
        : row.outcome
          ? tPanel(`history.outcome.${row.outcome}`)
          : tPanel('history.inProgress'),
      ...(dialTarget ? { dialTarget } : {}),
      savedNote,
      noteDraft,
      canSaveNote: noteDraft.trim() !== '' && noteDraft.trim() !== savedNote && !saving,
      savingNote: saving,
    };
  }
}

function dialTargetOf(row: HistoryRow): string | undefined {
  return row.remoteE164 || row.remoteRaw || undefined;
}

/** `hh:mm` of a local wall time (`LocalClock.local`). */
function formatTime(local: number): string {
  return new Date(local).toISOString().slice(11, 16);
}

function dayTitle(day: string, today: string, yesterday: string): string {
  if (day === today) return tPanel('history.today');
  if (day === yesterday) return tPanel('history.yesterday');
  return day;
}

function describeError(error: unknown): string {
  if (error instanceof RemoteError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return tPanel('error.noAnswer', { message });
}
