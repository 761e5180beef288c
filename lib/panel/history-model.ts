import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { CallOutcome } from '@/lib/db/call-record';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { HistoryFilterName, HistoryRow, TimelineEntry } from '@/lib/history/history-row';
import { createLocalClock, type LocalClock } from '@/lib/history/local-clock';
import { RemoteError } from '@/lib/messaging/protocol';
import { formatDuration } from '@/lib/panel/format-duration';
import type { PanelClient } from '@/lib/panel/phone-model';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('history');

/** What the history view needs from the background. */
export type HistoryClient = Pick<
  PanelClient,
  'getHistoryPage' | 'saveCallNote' | 'placeCall' | 'searchHistory' | 'getNumberTimeline'
>;

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
  /** How long typing must pause before the search is asked. @defaultValue 200 */
  searchDebounceMs?: number;
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
  /** Opens the number's timeline; absent for rows without a number key. */
  numberKey?: string;
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

/** One entry of a number's timeline, ready to show. */
export interface TimelineEntryView {
  id: string;
  kind: TimelineEntry['kind'];
  /** Local `YYYY-MM-DD hh:mm`. */
  time: string;
  /** For a call: direction, and how it went or its talk time; for a note: its text. */
  text: string;
  /** For a call: its outcome, as on the rows. */
  outcome?: HistoryRowView['outcome'];
}

/** The timeline being shown. */
export interface TimelineView {
  numberKey: string;
  /** The name or number of the row it was opened from. */
  title: string;
  entries: TimelineEntryView[];
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
  /** The search box as typed. */
  readonly query = signal('');
  /** Calls matching the last query asked, newest first. */
  readonly searchRows = signal<readonly HistoryRow[]>([]);
  private readonly timelineState = signal<
    { numberKey: string; title: string; entries: readonly TimelineEntry[] } | undefined
  >(undefined);

  private readonly client: HistoryClient;
  private readonly recent: ReadonlySignal<readonly { id: string }[]>;
  private readonly localClock: LocalClock;
  private readonly clock: () => number;
  private readonly pageSize: number;
  private readonly searchDebounceMs: number;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every search and by clearing it, so a late answer never shows. */
  private searchGeneration = 0;
  /** Bumped by every timeline opened or closed. */
  private timelineGeneration = 0;
  /** Bumped by every reload, so an older answer never overwrites a newer one. */
  private generation = 0;
  private stop: (() => void) | undefined;

  constructor(options: HistoryModelOptions) {
    this.client = options.client;
    this.recent = options.recent;
    this.localClock = options.localClock ?? createLocalClock(Intl.DateTimeFormat().resolvedOptions().timeZone);
    this.clock = options.clock ?? Date.now;
    this.pageSize = options.pageSize ?? 50;
    this.searchDebounceMs = options.searchDebounceMs ?? 200;
  }

  /** The search box holds a query: its results replace the day list. */
  readonly searching: ReadonlySignal<boolean> = computed(() => this.query.value.trim() !== '');

  readonly searchResults: ReadonlySignal<HistoryRowView[]> = computed(() => {
    const drafts = this.noteDrafts.value;
    const saving = this.savingNotes.value;
    return this.searchRows.value.map((row) => this.toRowView(row, drafts.get(row.id), saving.has(row.id)));
  });

  readonly timeline: ReadonlySignal<TimelineView | undefined> = computed(() => {
    const state = this.timelineState.value;
    if (!state) return undefined;
    return {
      numberKey: state.numberKey,
      title: state.title,
      entries: state.entries.map((entry) => this.toEntryView(entry)),
    };
  });

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
    clearTimeout(this.searchTimer);
    this.searchTimer = undefined;
  }

  /**
   * Sets the search box. The background is asked once typing pauses; a blank box returns to the
   * day list at once.
   */
  setQuery(text: string): void {
    this.query.value = text;
    clearTimeout(this.searchTimer);
    this.searchTimer = undefined;
    const generation = ++this.searchGeneration;
    if (text.trim() === '') {
      this.searchRows.value = [];
      return;
    }
    this.searchTimer = setTimeout(() => {
      this.searchTimer = undefined;
      void this.search(generation, text.trim());
    }, this.searchDebounceMs);
  }

  /** Shows the timeline of the number of a row (of the list or of the search results). */
  async openTimeline(id: string): Promise<void> {
    const row = this.findRow(id);
    if (!row?.numberKey) return;
    await this.openNumberTimeline(row.numberKey, this.toRowView(row, undefined, false).label);
  }

  /** Shows the timeline of a number key (e.g. from the analytics' top numbers), titled `title`. */
  async openNumberTimeline(numberKey: string, title: string): Promise<void> {
    const generation = ++this.timelineGeneration;
    batch(() => {
      this.error.value = undefined;
      this.timelineState.value = { numberKey, title, entries: [] };
    });
    try {
      const { entries } = await this.client.getNumberTimeline({ numberKey });
      if (generation !== this.timelineGeneration) return;
      this.timelineState.value = { numberKey, title, entries };
    } catch (error) {
      if (generation !== this.timelineGeneration) return;
      log.warn('getNumberTimeline failed', error);
      this.error.value = describeError(error);
    }
  }

  /** Back from the timeline to the list (or the search results). */
  closeTimeline(): void {
    this.timelineGeneration++;
    this.timelineState.value = undefined;
  }

  private async search(generation: number, query: string): Promise<void> {
    batch(() => {
      this.loading.value = true;
      this.error.value = undefined;
    });
    try {
      const { rows } = await this.client.searchHistory({ query });
      if (generation !== this.searchGeneration) return;
      this.searchRows.value = rows;
    } catch (error) {
      if (generation !== this.searchGeneration) return;
      log.warn('searchHistory failed', error);
      this.error.value = describeError(error);
    } finally {
      if (generation === this.searchGeneration) this.loading.value = false;
    }
  }

  private findRow(id: string): HistoryRow | undefined {
    return this.rows.value.find((r) => r.id === id) ?? this.searchRows.value.find((r) => r.id === id);
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
        const withNote = (row: HistoryRow): HistoryRow =>
          row.id === id ? { ...row, noteText: text, noteCount: Math.max(1, row.noteCount) } : row;
        this.rows.value = this.rows.value.map(withNote);
        this.searchRows.value = this.searchRows.value.map(withNote);
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
    const row = this.findRow(id);
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

  private toEntryView(entry: TimelineEntry): TimelineEntryView {
    const time = `${this.localClock.day(entry.at)} ${formatTime(this.localClock.local(entry.at))}`;
    if (entry.kind === 'note') return { id: entry.id, kind: 'note', time, text: entry.text };
    const row = this.toRowView(entry.call, undefined, false);
    return { id: entry.id, kind: 'call', time, text: `${row.directionText} · ${row.summary}`, outcome: row.outcome };
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
      ...(row.numberKey ? { numberKey: row.numberKey } : {}),
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
