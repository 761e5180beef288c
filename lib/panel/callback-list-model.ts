import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { CallbackListSchema, EMPTY_CALLBACK_LIST, type CallbackEntry, type CallbackList } from '@/lib/history/callback-list-item';
import { tPanel } from '@/lib/i18n/panel-messages';
import { RemoteError } from '@/lib/messaging/protocol';
import { formatDuration } from '@/lib/panel/format-duration';
import type { PanelClient } from '@/lib/panel/phone-model';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('callbacks');

/** What the callback list needs from the background. */
export type CallbackListClient = Pick<PanelClient, 'placeCall' | 'completeCallback'>;

/** Where the panel reads the open callbacks (`callbackListItem`); values are validated here. */
export interface CallbackListSource {
  getValue(): Promise<unknown>;
  /** Calls `callback` with every new value; returns a function that stops watching. */
  watch(callback: (value: unknown) => void): () => void;
}

export interface CallbackListModelOptions {
  client: CallbackListClient;
  source: CallbackListSource;
  /** The wall clock, ticking (the phone model's `now`): the SLA timers count with it. */
  now: ReadonlySignal<number>;
}

/** One callback, ready to show. */
export interface CallbackView {
  id: string;
  /** Name when known, else the number. */
  label: string;
  /** The number under the name, when a name is shown. */
  detail?: string;
  /** `mm:ss` (or `hh:mm:ss`) left until due, or by which it is overdue. */
  timer: string;
  /** "Due in 12:30" / "Overdue by 03:05", for the timer's tooltip and screen readers. */
  timerText: string;
  /** The due time has passed: the row stands out. */
  overdue: boolean;
  /** What *Call* dials; absent when there is no number. */
  dialTarget?: string;
  /** A command for this row is on its way. */
  busy: boolean;
}

/**
 * The Phone tab's callback list: the callbacks missed calls opened (after-call automation), soonest
 * due first, each with an SLA timer that counts down to its due time and then counts how long it is
 * overdue. *Call* dials (the callback closes when that call connects); *Done* closes it. A row goes
 * away when the background says so, never before.
 */
export class CallbackListModel {
  readonly list = signal<CallbackList>(EMPTY_CALLBACK_LIST);
  /** The last command that failed, in words. */
  readonly error = signal<string | undefined>(undefined);

  private readonly busyIds = signal<ReadonlySet<string>>(new Set());
  private readonly client: CallbackListClient;
  private readonly source: CallbackListSource;
  private readonly now: ReadonlySignal<number>;
  private stop: (() => void) | undefined;

  constructor(options: CallbackListModelOptions) {
    this.client = options.client;
    this.source = options.source;
    this.now = options.now;
  }

  readonly entries: ReadonlySignal<CallbackView[]> = computed(() => {
    const now = this.now.value;
    const busy = this.busyIds.value;
    // The background lists them by due time; sorted again so a hand-edited value still reads right.
    return [...this.list.value.entries].sort((a, b) => a.dueAt - b.dueAt).map((entry) => viewOf(entry, now, busy.has(entry.id)));
  });

  /** How many callbacks are overdue now. */
  readonly overdueCount: ReadonlySignal<number> = computed(() => this.entries.value.filter((e) => e.overdue).length);

  /** Shows what is stored and follows its changes. */
  start(): void {
    this.dispose();
    this.stop = this.source.watch((value) => this.receive(value));
    this.source.getValue().then(
      (value) => this.receive(value),
      (error: unknown) => log.warn('cannot read the callbacks', error),
    );
  }

  dispose(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** Shows a stored list; one that does not parse counts as empty. */
  receive(value: unknown): void {
    const parsed = CallbackListSchema.safeParse(value);
    if (!parsed.success) log.warn('ignoring an invalid callback list', parsed.error.issues);
    this.list.value = parsed.success ? parsed.data : EMPTY_CALLBACK_LIST;
  }

  /** *Call*: dials the callback's number. @returns the new call's id, or `undefined`. */
  async call(id: string): Promise<string | undefined> {
    const target = this.list.value.entries.find((entry) => entry.id === id)?.dialTarget;
    if (!target) return undefined;
    return this.command(id, async () => (await this.client.placeCall({ target })).callId);
  }

  /** *Done*: the agent dealt with the callback some other way. */
  async done(id: string): Promise<boolean> {
    return (await this.command(id, () => this.client.completeCallback({ taskId: id }))) !== undefined;
  }

  private async command<T>(id: string, send: () => Promise<T>): Promise<T | undefined> {
    batch(() => {
      this.error.value = undefined;
      this.busyIds.value = new Set([...this.busyIds.value, id]);
    });
    try {
      return await send();
    } catch (error) {
      log.warn('callback command failed', error);
      this.error.value = error instanceof RemoteError || error instanceof Error ? error.message : String(error);
      return undefined;
    } finally {
      const busy = new Set(this.busyIds.value);
      busy.delete(id);
      this.busyIds.value = busy;
    }
  }
}

function viewOf(entry: CallbackEntry, now: number, busy: boolean): CallbackView {
  const label = entry.remoteName || entry.dialTarget || tPanel('call.unknown');
  const overdue = now >= entry.dueAt;
  const timer = formatDuration(Math.abs(entry.dueAt - now));
  return {
    id: entry.id,
    label,
    ...(entry.remoteName && entry.dialTarget && label !== entry.dialTarget ? { detail: entry.dialTarget } : {}),
    timer: overdue ? `−${timer}` : timer,
    timerText: overdue ? tPanel('callbacks.overdueBy', { time: timer }) : tPanel('callbacks.dueIn', { time: timer }),
    overdue,
    ...(entry.dialTarget ? { dialTarget: entry.dialTarget } : {}),
    busy,
  };
}
