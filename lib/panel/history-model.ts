import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { CrmTimelineItem } from '@/lib/crm/crm-adapter';
import type { CrmTimeline } from '@/lib/crm/crm-timeline-schema';
import type { CallOutcome } from '@/lib/db/call-record';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { HistoryFilterName, HistoryRow, NumberHit, TimelineEntry } from '@/lib/history/history-row';
import { createLocalClock, type LocalClock } from '@/lib/history/local-clock';
import { RemoteError } from '@/lib/messaging/protocol';
import { crmTimelineTitle } from '@/lib/panel/crm-timeline-words';
import { dispositionLabel } from '@/lib/panel/disposition-words';
import { formatDuration } from '@/lib/panel/format-duration';
import type { PanelClient } from '@/lib/panel/phone-model';
import { CallEndReason } from '@/lib/phone/call-state';
import type { MessageFailure } from '@/lib/phone/message-failure';
import { MAX_SENT_MESSAGE_CHARS } from '@/lib/phone/text-message';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('history');

/** What the history view needs from the background. */
export type HistoryClient = Pick<
  PanelClient,
  'getHistoryPage' | 'saveCallNote' | 'placeCall' | 'searchHistory' | 'getNumberTimeline' | 'sendMessage' | 'getRecordingAudio' | 'deleteRecording'
> &
  // The CRM's part of a timeline; without it the timeline shows the local history only.
  Partial<Pick<PanelClient, 'getCrmTimeline'>>;

/** Tells the panel that a number has a new message (the background's `messageFeedItem`). */
export interface MessageFeed {
  /** Calls `callback` with the number key of every new message; returns a function that stops watching. */
  watch(callback: (numberKey: string) => void): () => void;
}

/** Object URLs for the recordings' audio (`URL.createObjectURL`, injected for tests). */
export interface ObjectUrls {
  create(blob: Blob): string;
  revoke(url: string): void;
}

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
  /**
   * Whether some account is registered, so a message can be sent.
   * @defaultValue always true
   */
  canMessage?: ReadonlySignal<boolean>;
  /** New messages; the timeline shown reloads when its number gets one. */
  messageFeed?: MessageFeed;
  /** @defaultValue `URL.createObjectURL` / `URL.revokeObjectURL` */
  objectUrls?: ObjectUrls;
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
  /** The disposition in words, when one is set. */
  dispositionLabel?: string;
  /** The note as saved. */
  savedNote: string;
  /** The note as being typed. */
  noteDraft: string;
  /** The draft differs from what is saved and is not blank. */
  canSaveNote: boolean;
  savingNote: boolean;
  /** The call was recorded (its recordings are in the number's timeline). */
  hasRecording: boolean;
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
  /** For a call: direction, and how it went or its talk time; for a note or a message: its text. */
  text: string;
  /** For a call: its outcome, as on the rows. */
  outcome?: HistoryRowView['outcome'];
  /** For a message: which way it went. */
  direction?: 'inbound' | 'outbound';
  /** For a message: received, sent or failed. */
  status?: 'received' | 'sent' | 'failed';
  /** For a message: its status in words. */
  statusText?: string;
  /** For a failed message: why, in words. */
  failureText?: string;
  /** For a recording: its player, download and deletion. */
  recording?: RecordingView;
}

/** The box under a timeline for writing a message to its number. */
export interface ComposeView {
  draft: string;
  /** Characters typed (code points), against {@link ComposeView.maxLength}. */
  length: number;
  maxLength: number;
  /** Not blank, not too long, an account registered and nothing being sent. */
  canSend: boolean;
  sending: boolean;
  /** Why the box is disabled (no registered account). */
  disabledReason?: string;
  /** Why the text cannot be sent as it is (too long). */
  problem?: string;
  /** Why the last send was refused before anything was sent. */
  error?: string;
  /** For a recording: its player, download and deletion. */
  recording?: RecordingView;
}

/**
 * A recording in the timeline. Its audio is loaded when the agent asks to listen:
 *
 * ```text
 * idle ──listen──► loading ──► ready (player + download)
 *                     └──────► failed ──listen──► loading
 * ```
 */
export interface RecordingView {
  /** `mm:ss` */
  durationText: string;
  /** e.g. `1.2 MB` */
  sizeText: string;
  audio: 'idle' | 'loading' | 'ready' | 'failed';
  /** An object URL of the audio, once loaded. */
  url?: string;
  /** The download's file name: number, local date and time, extension by type. */
  fileName: string;
  /** Delete was pressed once: the entry asks for confirmation. */
  confirmingDelete: boolean;
  deleting: boolean;
}

/** One item of the number's record in the CRM, worded ("Incoming call", "Lead stage changed"). */
export interface CrmTimelineEntryView {
  id: string;
  /** Local `YYYY-MM-DD hh:mm`. */
  time: string;
  what: CrmTimelineItem['what'];
  direction?: 'inbound' | 'outbound';
  title: string;
  /** The item's content (note text, call result, chat channel); may be empty. */
  text: string;
}

/** The timeline being shown. */
export interface TimelineView {
  numberKey: string;
  /** The name or number of the row it was opened from. */
  title: string;
  entries: TimelineEntryView[];
  compose: ComposeView;
  /**
   * The number's record in the connected CRM, newest first, shown apart from the local history
   * (calls logged to the CRM are in both); absent when there is nothing to show.
   */
  crm?: { entries: CrmTimelineEntryView[]; unavailable: boolean };
}

/** A number found by the search that has no call among the rows found (e.g. it only sent messages). */
export interface NumberHitView {
  numberKey: string;
  /** Name when known, else the number. */
  label: string;
  /** The number under the name, when a name is shown. */
  detail?: string;
  /** Local `YYYY-MM-DD hh:mm` of the latest call or message. */
  time: string;
}

/** One item of the virtualized day list: a day header or a call. */
export type HistoryListItem =
  | { kind: 'day'; key: string; title: string }
  | { kind: 'row'; key: string; row: HistoryRowView };

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
  /** Numbers matching the last query that have no call among {@link searchRows}. */
  readonly searchNumbers = signal<readonly NumberHit[]>([]);
  /** The message being written in the timeline's box. */
  readonly composeDraft = signal('');
  private readonly sendingMessage = signal(false);
  private readonly composeError = signal<string | undefined>(undefined);
  private readonly timelineState = signal<
    { numberKey: string; title: string; entries: readonly TimelineEntry[]; crm?: CrmTimeline } | undefined
  >(undefined);
  /** Loaded audio of the timeline's recordings, by recording id. */
  private readonly recordingAudio = signal<
    ReadonlyMap<string, { state: 'loading' | 'failed' } | { state: 'ready'; url: string }>
  >(new Map());
  /** The recording whose Delete waits for confirmation. */
  readonly pendingRecordingDelete = signal<string | undefined>(undefined);
  private readonly deletingRecordings = signal<ReadonlySet<string>>(new Set());
  private readonly objectUrls: ObjectUrls;

  private readonly client: HistoryClient;
  private readonly recent: ReadonlySignal<readonly { id: string }[]>;
  private readonly localClock: LocalClock;
  private readonly clock: () => number;
  private readonly pageSize: number;
  private readonly searchDebounceMs: number;
  private readonly canMessage: ReadonlySignal<boolean>;
  private readonly messageFeed: MessageFeed | undefined;
  private stopFeed: (() => void) | undefined;
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
    this.canMessage = options.canMessage ?? signal(true);
    this.messageFeed = options.messageFeed;
    this.objectUrls = options.objectUrls ?? {
      create: (blob) => URL.createObjectURL(blob),
      revoke: (url) => URL.revokeObjectURL(url),
    };
  }

  /** The search box holds a query: its results replace the day list. */
  readonly searching: ReadonlySignal<boolean> = computed(() => this.query.value.trim() !== '');

  readonly searchResults: ReadonlySignal<HistoryRowView[]> = computed(() => {
    const drafts = this.noteDrafts.value;
    const saving = this.savingNotes.value;
    return this.searchRows.value.map((row) => this.toRowView(row, drafts.get(row.id), saving.has(row.id)));
  });

  readonly searchNumberResults: ReadonlySignal<NumberHitView[]> = computed(() =>
    this.searchNumbers.value.map((hit) => {
      const label = hit.name || hit.numberKey;
      return {
        numberKey: hit.numberKey,
        label,
        ...(hit.name && hit.name !== hit.numberKey ? { detail: hit.numberKey } : {}),
        time: `${this.localClock.day(hit.lastAt)} ${formatTime(this.localClock.local(hit.lastAt))}`,
      };
    }),
  );

  readonly compose: ReadonlySignal<ComposeView> = computed(() => {
    const draft = this.composeDraft.value;
    const length = [...draft].length;
    const sending = this.sendingMessage.value;
    const registered = this.canMessage.value;
    const tooLong = length > MAX_SENT_MESSAGE_CHARS;
    const error = this.composeError.value;
    return {
      draft,
      length,
      maxLength: MAX_SENT_MESSAGE_CHARS,
      canSend: registered && !sending && !tooLong && draft.trim() !== '',
      sending,
      ...(registered ? {} : { disabledReason: tPanel('compose.noAccount') }),
      ...(tooLong ? { problem: tPanel('compose.tooLong', { max: MAX_SENT_MESSAGE_CHARS }) } : {}),
      ...(error ? { error } : {}),
    };
  });

  readonly timeline: ReadonlySignal<TimelineView | undefined> = computed(() => {
    const state = this.timelineState.value;
    if (!state) return undefined;
    // Read here so the view follows players loading and deletions.
    const audio = this.recordingAudio.value;
    const pendingDelete = this.pendingRecordingDelete.value;
    const deleting = this.deletingRecordings.value;
    const crm = state.crm;
    return {
      numberKey: state.numberKey,
      title: state.title,
      entries: state.entries.map((entry) => this.toEntryView(entry, state.numberKey, audio, pendingDelete, deleting)),
      compose: this.compose.value,
      ...(crm && (crm.items.length > 0 || crm.unavailable)
        ? { crm: { entries: crm.items.map((item) => this.toCrmEntryView(item)), unavailable: crm.unavailable === true } }
        : {}),
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

  /**
   * The day list flattened for the virtualized list: each day's header, then its calls. Headers
   * are items too, so the window math treats every line of the list alike.
   */
  readonly items: ReadonlySignal<HistoryListItem[]> = computed(() =>
    this.days.value.flatMap((day): HistoryListItem[] => [
      { kind: 'day', key: `day-${day.day}`, title: day.title },
      ...day.rows.map((row): HistoryListItem => ({ kind: 'row', key: row.id, row })),
    ]),
  );

  /**
   * Loads the first page now and again whenever {@link HistoryModelOptions.recent} changes; reloads
   * the timeline shown when its number gets a message.
   */
  start(): void {
    this.dispose();
    let previous: string | undefined;
    this.stop = effect(() => {
      const key = this.recent.value.map((call) => call.id).join('\n');
      if (key === previous) return;
      previous = key;
      void this.reload();
    });
    this.stopFeed = this.messageFeed?.watch((numberKey) => {
      if (this.timelineState.value?.numberKey === numberKey) void this.refreshTimeline();
    });
  }

  dispose(): void {
    this.stop?.();
    this.stop = undefined;
    this.stopFeed?.();
    this.stopFeed = undefined;
    this.releaseRecordings();
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
      batch(() => {
        this.searchRows.value = [];
        this.searchNumbers.value = [];
      });
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

  /** Shows the timeline of a number (e.g. one the search found without calls). */
  async openNumberTimeline(numberKey: string, title: string): Promise<void> {
    this.releaseRecordings();
    batch(() => {
      this.error.value = undefined;
      this.composeDraft.value = '';
      this.composeError.value = undefined;
      this.timelineState.value = { numberKey, title, entries: [] };
    });
    await this.refreshTimeline();
    await this.loadCrmTimeline(numberKey);
  }

  /**
   * The CRM's part of the timeline, asked once per opening (not on every refresh: each is a call
   * to the CRM), after the local part is on screen. A CRM that fails leaves the local part as it is.
   */
  private async loadCrmTimeline(numberKey: string): Promise<void> {
    if (!this.client.getCrmTimeline) return;
    let crm: CrmTimeline;
    try {
      crm = await this.client.getCrmTimeline({ numberKey });
    } catch (error) {
      log.warn('getCrmTimeline failed', error);
      crm = { items: [], unavailable: true };
    }
    const state = this.timelineState.value;
    if (state?.numberKey === numberKey) this.timelineState.value = { ...state, crm };
  }

  /** Asks the background again for the timeline shown. */
  async refreshTimeline(): Promise<void> {
    const state = this.timelineState.value;
    if (!state) return;
    const generation = ++this.timelineGeneration;
    try {
      const { entries } = await this.client.getNumberTimeline({ numberKey: state.numberKey });
      if (generation !== this.timelineGeneration) return;
      // The CRM's part may have arrived meanwhile: keep it.
      this.timelineState.value = { ...(this.timelineState.value ?? state), entries };
    } catch (error) {
      if (generation !== this.timelineGeneration) return;
      log.warn('getNumberTimeline failed', error);
      this.error.value = describeError(error);
    }
  }

  /** Back from the timeline to the list (or the search results). */
  closeTimeline(): void {
    this.timelineGeneration++;
    this.releaseRecordings();
    this.timelineState.value = undefined;
  }

  setComposeDraft(text: string): void {
    batch(() => {
      this.composeDraft.value = text;
      this.composeError.value = undefined;
    });
  }

  /**
   * Sends the typed message to the timeline's number. A message the server refuses still lands in
   * the timeline (as failed, with the reason); only a refusal before sending (no account, an
   * address that cannot be messaged) keeps the text in the box, with the reason under it.
   * @returns whether it was sent and delivered.
   */
  async sendMessage(): Promise<boolean> {
    const state = this.timelineState.value;
    const body = this.composeDraft.value.trim();
    if (!state || !this.compose.value.canSend || body === '') return false;
    batch(() => {
      this.sendingMessage.value = true;
      this.composeError.value = undefined;
    });
    try {
      const result = await this.client.sendMessage({ numberKey: state.numberKey, body });
      if (this.timelineState.value?.numberKey === state.numberKey) this.composeDraft.value = '';
      await this.refreshTimeline();
      return result.status === 'sent';
    } catch (error) {
      log.warn('sendMessage failed', error);
      this.composeError.value = describeError(error);
      return false;
    } finally {
      this.sendingMessage.value = false;
    }
  }

  /** Loads a recording's audio for the player and the download link (once; again after a failure). */
  async loadRecording(recordingId: string): Promise<void> {
    const current = this.recordingAudio.value.get(recordingId);
    if (current && current.state !== 'failed') return;
    const generation = this.timelineGeneration;
    this.setRecordingAudio(recordingId, { state: 'loading' });
    try {
      const { mimeType, data } = await this.client.getRecordingAudio({ recordingId });
      if (generation !== this.timelineGeneration) return;
      const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
      const url = this.objectUrls.create(new Blob([bytes], { type: mimeType }));
      this.setRecordingAudio(recordingId, { state: 'ready', url });
    } catch (error) {
      if (generation !== this.timelineGeneration) return;
      log.warn('getRecordingAudio failed', error);
      batch(() => {
        this.setRecordingAudio(recordingId, { state: 'failed' });
        this.error.value = describeError(error);
      });
    }
  }

  /** First step of deleting a recording: the entry asks for confirmation. */
  requestRecordingDelete(recordingId: string): void {
    this.pendingRecordingDelete.value = recordingId;
  }

  cancelRecordingDelete(): void {
    this.pendingRecordingDelete.value = undefined;
  }

  /** Second step: deletes the recording (its call stays) and shows the timeline without it. */
  async confirmRecordingDelete(): Promise<boolean> {
    const recordingId = this.pendingRecordingDelete.value;
    const state = this.timelineState.value;
    if (recordingId === undefined || !state) return false;
    batch(() => {
      this.error.value = undefined;
      this.pendingRecordingDelete.value = undefined;
      this.deletingRecordings.value = new Set([...this.deletingRecordings.value, recordingId]);
    });
    try {
      await this.client.deleteRecording({ recordingId });
      const audio = this.recordingAudio.value.get(recordingId);
      if (audio?.state === 'ready') this.objectUrls.revoke(audio.url);
      batch(() => {
        this.setRecordingAudio(recordingId, undefined);
        const shown = this.timelineState.value;
        if (shown) {
          this.timelineState.value = { ...shown, entries: shown.entries.filter((entry) => entry.id !== recordingId) };
        }
      });
      // The call's row may no longer be marked as recorded.
      void this.reload();
      return true;
    } catch (error) {
      log.warn('deleteRecording failed', error);
      this.error.value = describeError(error);
      return false;
    } finally {
      const deleting = new Set(this.deletingRecordings.value);
      deleting.delete(recordingId);
      this.deletingRecordings.value = deleting;
    }
  }

  private setRecordingAudio(
    recordingId: string,
    value: { state: 'loading' | 'failed' } | { state: 'ready'; url: string } | undefined,
  ): void {
    const next = new Map(this.recordingAudio.value);
    if (value) next.set(recordingId, value);
    else next.delete(recordingId);
    this.recordingAudio.value = next;
  }

  /** Frees the loaded audio (the timeline is closed or replaced). */
  private releaseRecordings(): void {
    for (const audio of this.recordingAudio.value.values()) {
      if (audio.state === 'ready') this.objectUrls.revoke(audio.url);
    }
    batch(() => {
      this.recordingAudio.value = new Map();
      this.pendingRecordingDelete.value = undefined;
    });
  }

  private async search(generation: number, query: string): Promise<void> {
    batch(() => {
      this.loading.value = true;
      this.error.value = undefined;
    });
    try {
      const { rows, numbers } = await this.client.searchHistory({ query });
      if (generation !== this.searchGeneration) return;
      batch(() => {
        this.searchRows.value = rows;
        this.searchNumbers.value = numbers ?? [];
      });
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

  private toCrmEntryView(item: CrmTimelineItem): CrmTimelineEntryView {
    return {
      id: item.id,
      time: `${this.localClock.day(item.at)} ${formatTime(this.localClock.local(item.at))}`,
      what: item.what,
      ...(item.direction ? { direction: item.direction } : {}),
      title: crmTimelineTitle(item),
      text: item.text,
    };
  }

  private toEntryView(
    entry: TimelineEntry,
    numberKey: string,
    audio: ReadonlyMap<string, { state: 'loading' | 'failed' } | { state: 'ready'; url: string }>,
    pendingDelete: string | undefined,
    deleting: ReadonlySet<string>,
  ): TimelineEntryView {
    const time = `${this.localClock.day(entry.at)} ${formatTime(this.localClock.local(entry.at))}`;
    if (entry.kind === 'note') return { id: entry.id, kind: 'note', time, text: entry.text };
    if (entry.kind === 'message') {
      return {
        id: entry.id,
        kind: 'message',
        time,
        text: entry.body,
        direction: entry.direction,
        status: entry.status,
        statusText: tPanel(`message.status.${entry.status}`),
        ...(entry.status === 'failed' ? { failureText: failureWords(entry.failure) } : {}),
      };
    }
    if (entry.kind === 'recording') {
      const loaded = audio.get(entry.id);
      const durationText = formatDuration(entry.durationMs);
      const sizeText = formatSize(entry.size);
      return {
        id: entry.id,
        kind: 'recording',
        time,
        text: `${durationText} · ${sizeText}`,
        recording: {
          durationText,
          sizeText,
          audio: loaded?.state ?? 'idle',
          ...(loaded?.state === 'ready' ? { url: loaded.url } : {}),
          fileName: recordingFileName(numberKey, this.localClock.local(entry.at), entry.mimeType),
          confirmingDelete: pendingDelete === entry.id,
          deleting: deleting.has(entry.id),
        },
      };
    }
    const row = this.toRowView(entry.call, undefined, false);
    return { id: entry.id, kind: 'call', time, text: `${row.directionText} · ${row.summary}`, outcome: row.outcome };
  }

  private toRowView(row: HistoryRow, draft: string | undefined, saving: boolean): HistoryRowView {
    const number = row.remoteE164 ?? row.remoteRaw;
    const name = row.contactName || row.remoteName;
    const label = name || number || tPanel('call.unknown');
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
      ...(name && number && label !== number ? { detail: number } : {}),
      time: formatTime(this.localClock.local(row.startedAt)),
      ...(row.numberKey ? { numberKey: row.numberKey } : {}),
      summary: answered
        ? row.endReason === CallEndReason.Transferred
          ? `${formatDuration(row.talkSeconds * 1000)} · ${tPanel('history.transferred')}`
          : formatDuration(row.talkSeconds * 1000)
        : row.outcome
          ? tPanel(`history.outcome.${row.outcome}`)
          : tPanel('history.inProgress'),
      ...(dialTarget ? { dialTarget } : {}),
      ...(row.disposition ? { dispositionLabel: dispositionLabel(row.disposition) } : {}),
      savedNote,
      noteDraft,
      canSaveNote: noteDraft.trim() !== '' && noteDraft.trim() !== savedNote && !saving,
      savingNote: saving,
      hasRecording: row.recordingId !== undefined,
    };
  }
}

/**
 * The download name of a recording: `recording_<number>_<YYYY-MM-DD_HH-mm>.<ext>`, from the number's
 * key (characters a file system may refuse replaced), the local start time (`LocalClock.local`)
 * and the container of its MIME type.
 */
export function recordingFileName(numberKey: string, local: number, mimeType: string): string {
  const number = numberKey.replace(/[^\w+.-]+/g, '_').slice(0, 64) || 'unknown';
  const stamp = new Date(local).toISOString().slice(0, 16).replace('T', '_').replace(':', '-');
  return `recording_${number}_${stamp}.${extensionOf(mimeType)}`;
}

/** The usual file extension of an audio MIME type. */
export function extensionOf(mimeType: string): string {
  const container = mimeType.split(';')[0]!.trim().toLowerCase();
  const known: Record<string, string> = {
    'audio/webm': 'webm',
    'audio/ogg': 'ogg',
    'audio/mp4': 'm4a',
    'audio/mpeg': 'mp3',
    'audio/wav': 'wav',
  };
  return known[container] ?? 'audio';
}

/** Bytes for people: `820 KB`, `1.2 MB` (powers of 1000, as the storage settings count). */
export function formatSize(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.max(1, Math.round(bytes / 1000))} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
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

/** Why a message was not delivered, in words (an older row may have no reason). */
function failureWords(failure: MessageFailure | undefined): string {
  return tPanel(`message.failure.${failure ?? 'unknown'}`);
}

function describeError(error: unknown): string {
  if (error instanceof RemoteError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return tPanel('error.noAnswer', { message });
}
