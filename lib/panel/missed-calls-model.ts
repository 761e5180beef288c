import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import {
  EMPTY_MISSED_CALLS,
  MissedCallsSummarySchema,
  missedDialTarget,
  type MissedCallsSummary,
  type MissedEntry,
} from '@/lib/history/missed-calls-item';
import { createLocalClock, type LocalClock } from '@/lib/history/local-clock';
import { tPanel } from '@/lib/i18n/panel-messages';
import { RemoteError } from '@/lib/messaging/protocol';
import type { PanelClient } from '@/lib/panel/phone-model';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('missed');

/** What the missed-calls list needs from the background. */
export type MissedCallsClient = Pick<PanelClient, 'placeCall' | 'dismissMissedCalls'>;

/**
 * Where the panel reads the missed calls to handle (the background's `missedCallsItem`). Values
 * are `unknown`: the panel validates what it reads.
 */
export interface MissedCallsSource {
  getValue(): Promise<unknown>;
  /** Calls `callback` with every new value; returns a function that stops watching. */
  watch(callback: (value: unknown) => void): () => void;
}

export interface MissedCallsModelOptions {
  client: MissedCallsClient;
  source: MissedCallsSource;
  /** @defaultValue the browser's time zone */
  localClock?: LocalClock;
  /** @defaultValue `Date.now` */
  clock?: () => number;
}

/** One entry of the list, ready to show. */
export interface MissedEntryView {
  numberKey: string;
  /** Name when known, else the number. */
  label: string;
  /** The number under the name, when a name is shown. */
  detail?: string;
  /** How many calls. */
  count: number;
  /** "Missed call" / "3 missed calls". */
  countText: string;
  /** `14:05` today, `Yesterday 14:05`, else `2025-03-01 14:05`. */
  time: string;
  /** Said when some of the calls were refused by the engine (Do not disturb, or both lines in use). */
  refusedText?: string;
  /** What *Call back* dials; absent when there is no number to dial. */
  dialTarget?: string;
  /** A command for this entry is on its way. */
  busy: boolean;
}

/**
 * The Phone tab's missed-calls list: the background counts the missed calls to handle and keeps
 * them in session storage; this model shows them and sends *Call back* and *Done*. An entry goes
 * away when the background says so (the callback connected, or *Done* was stored), never before.
 */
export class MissedCallsModel {
  readonly summary = signal<MissedCallsSummary>(EMPTY_MISSED_CALLS);
  /** The last command that failed, in words. */
  readonly error = signal<string | undefined>(undefined);

  private readonly busyKeys = signal<ReadonlySet<string>>(new Set());
  private readonly client: MissedCallsClient;
  private readonly source: MissedCallsSource;
  private readonly localClock: LocalClock;
  private readonly clock: () => number;
  private stop: (() => void) | undefined;

  constructor(options: MissedCallsModelOptions) {
    this.client = options.client;
    this.source = options.source;
    this.localClock = options.localClock ?? createLocalClock(Intl.DateTimeFormat().resolvedOptions().timeZone);
    this.clock = options.clock ?? Date.now;
  }

  /** Missed calls to handle, for the History tab's label; `99+` past 99 or past what was counted. */
  readonly countText: ReadonlySignal<string | undefined> = computed(() => {
    const { count, more } = this.summary.value;
    if (count === 0) return undefined;
    return count > 99 || more ? '99+' : String(count);
  });

  readonly entries: ReadonlySignal<MissedEntryView[]> = computed(() => {
    const busy = this.busyKeys.value;
    const today = this.localClock.day(this.clock());
    const yesterday = this.localClock.day(this.clock() - 86_400_000);
    return this.summary.value.entries.map((entry) => this.toView(entry, busy.has(entry.numberKey), today, yesterday));
  });

  /** Shows what is stored and follows its changes. */
  start(): void {
    this.dispose();
    this.stop = this.source.watch((value) => this.receive(value));
    this.source.getValue().then(
      (value) => this.receive(value),
      (error: unknown) => log.warn('cannot read the missed calls', error),
    );
  }

  dispose(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** Shows a stored summary; one that does not parse counts as none. */
  receive(value: unknown): void {
    const parsed = MissedCallsSummarySchema.safeParse(value);
    if (!parsed.success) log.warn('ignoring invalid missed calls', parsed.error.issues);
    this.summary.value = parsed.success ? parsed.data : EMPTY_MISSED_CALLS;
  }

  /**
   * Dials the number of an entry. The entry stays until that call connects: a callback nobody
   * answers has not handled anything.
   *
   * @returns the new call's id, or `undefined` when it could not be placed (see {@link error}).
   */
  async callBack(numberKey: string): Promise<string | undefined> {
    const entry = this.summary.value.entries.find((e) => e.numberKey === numberKey);
    const target = entry && missedDialTarget(entry);
    if (!target) return undefined;
    return this.command(numberKey, async () => (await this.client.placeCall({ target })).callId);
  }

  /** *Done*: the agent has dealt with this number's missed calls some other way. */
  async done(numberKey: string): Promise<boolean> {
    return (await this.command(numberKey, () => this.client.dismissMissedCalls({ numberKey }))) !== undefined;
  }

  /** *All done*: every missed call to handle. */
  async doneAll(): Promise<boolean> {
    return (await this.command(undefined, () => this.client.dismissMissedCalls({}))) !== undefined;
  }

  private async command<T>(numberKey: string | undefined, send: () => Promise<T>): Promise<T | undefined> {
    batch(() => {
      this.error.value = undefined;
      if (numberKey !== undefined) this.busyKeys.value = new Set([...this.busyKeys.value, numberKey]);
    });
    try {
      return await send();
    } catch (error) {
      log.warn('missed-call command failed', error);
      this.error.value = describeError(error);
      return undefined;
    } finally {
      if (numberKey !== undefined) {
        const busy = new Set(this.busyKeys.value);
        busy.delete(numberKey);
        this.busyKeys.value = busy;
      }
    }
  }

  private toView(entry: MissedEntry, busy: boolean, today: string, yesterday: string): MissedEntryView {
    const dialTarget = missedDialTarget(entry);
    const day = this.localClock.day(entry.lastAt);
    const hhmm = new Date(this.localClock.local(entry.lastAt)).toISOString().slice(11, 16);
    const time = day === today ? hhmm : day === yesterday ? `${tPanel('history.yesterday')} ${hhmm}` : `${day} ${hhmm}`;
    const label = entry.remoteName || entry.remoteRaw || tPanel('call.unknown');
    return {
      numberKey: entry.numberKey,
      label,
      // A PBX often presents the number itself as the name: say it once.
      ...(entry.remoteName && entry.remoteRaw && label !== entry.remoteRaw ? { detail: entry.remoteRaw } : {}),
      count: entry.count,
      countText: entry.count === 1 ? tPanel('missed.one') : tPanel('missed.many', { count: entry.count }),
      time,
      ...(entry.refused > 0
        ? { refusedText: tPanel('missed.refused') }
        : entry.busy > 0
          ? { refusedText: tPanel('missed.linesBusy') }
          : {}),
      ...(dialTarget ? { dialTarget } : {}),
      busy,
    };
  }
}

function describeError(error: unknown): string {
  if (error instanceof RemoteError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return tPanel('error.noAnswer', { message });
}
