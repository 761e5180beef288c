import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import { CrmOutboxStatusSchema, type CrmOutboxStatus } from '@/lib/history/crm-outbox-status';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { PanelClient } from '@/lib/panel/phone-model';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('crm-outbox');

/** What the outbox line needs from the background. */
export type CrmOutboxClient = Pick<PanelClient, 'getCrmOutboxStatus' | 'retryCrmOutbox'>;

export interface CrmOutboxModelOptions {
  client: CrmOutboxClient;
  /** Changes whenever a call ends (the snapshot's `recent`): the outbox has a new call then. */
  changes: ReadonlySignal<unknown>;
  /** @defaultValue `Date.now` */
  clock?: () => number;
  /** How often the status is asked again while the panel is open. @defaultValue 15000 */
  refreshMs?: number;
  /**
   * How often it is asked while a send is under way (the line says "sending…", or its countdown ran
   * out), so the line goes within a moment of the call reaching the CRM, not at the next
   * {@link CrmOutboxModelOptions.refreshMs}. @defaultValue 1000
   */
  settleMs?: number;
}

/**
 * The History tab's CRM outbox line: "3 calls not yet logged to amoCRM — retrying in 40 s", or why
 * sending paused, with *Retry now*. The background owns the outbox; this model only reads its status
 * and words it.
 */
export class CrmOutboxModel {
  readonly status = signal<CrmOutboxStatus | undefined>(undefined);
  readonly busy = signal(false);
  /** The clock, ticking each second for the countdown. */
  private readonly now = signal(0);
  private readonly clock: () => number;
  private readonly stops: Array<() => void> = [];
  /** Whether a status request is out (the fast polling does not stack them). */
  private asking = false;

  constructor(private readonly options: CrmOutboxModelOptions) {
    this.clock = options.clock ?? Date.now;
    this.now.value = this.clock();
  }

  /** The line to show; absent when every call is logged (or no CRM is connected). */
  readonly text: ReadonlySignal<string | undefined> = computed(() => {
    const status = this.status.value;
    if (!status || status.crm === 'local' || (status.pending === 0 && !status.paused)) return undefined;
    const count =
      status.pending === 1 ? tPanel('crmOutbox.one') : tPanel('crmOutbox.many', { count: status.pending });
    if (status.paused) return `${count} — ${tPanel(`crmOutbox.paused.${status.paused.kind}`)}`;
    // Every pending call is still in its wrap-up: nothing is being sent, it goes at Done.
    if (status.wrapUp === status.pending) return `${count} — ${tPanel('crmOutbox.afterWrapUp')}`;
    if (status.nextAttemptAt === undefined) return `${count} — ${tPanel('crmOutbox.sending')}`;
    const seconds = Math.max(1, Math.ceil((status.nextAttemptAt - this.now.value) / 1000));
    return `${count} — ${tPanel('crmOutbox.retryingIn', { seconds })}`;
  });

  /** The CRM's own words of the last failure, for the tooltip. */
  readonly detail: ReadonlySignal<string | undefined> = computed(
    () => this.status.value?.paused?.message ?? this.status.value?.lastError,
  );

  start(): void {
    const tick = setInterval(() => {
      this.now.value = this.clock();
    }, 1000);
    const poll = setInterval(() => void this.refresh(), this.options.refreshMs ?? 15_000);
    // The background sends no word when a send ends; while one is under way, ask more often.
    const settle = setInterval(() => {
      if (this.sending() && !this.asking) void this.refresh();
    }, this.options.settleMs ?? 1000);
    this.stops.push(
      () => clearInterval(tick),
      () => clearInterval(poll),
      () => clearInterval(settle),
      effect(() => {
        void this.options.changes.value;
        void this.refresh();
      }),
    );
  }

  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  async refresh(): Promise<void> {
    this.asking = true;
    try {
      this.accept(await this.options.client.getCrmOutboxStatus({}));
    } catch (error) {
      log.warn('outbox status not read', error);
    } finally {
      this.asking = false;
    }
  }

  /** Whether calls are being sent right now: pending, not paused, and not waiting out a backoff. */
  private sending(): boolean {
    const status = this.status.value;
    // Calls in their wrap-up count: Done in the editor sends them, and the line should follow at once.
    if (!status || status.crm === 'local' || status.pending === 0 || status.paused) return false;
    return status.nextAttemptAt === undefined || status.nextAttemptAt <= this.clock();
  }

  /** *Retry now*. */
  async retry(): Promise<void> {
    if (this.busy.value) return;
    this.busy.value = true;
    try {
      this.accept(await this.options.client.retryCrmOutbox({}));
    } catch (error) {
      log.warn('outbox retry failed', error);
    } finally {
      this.busy.value = false;
    }
  }

  private accept(value: unknown): void {
    const parsed = CrmOutboxStatusSchema.safeParse(value);
    this.now.value = this.clock();
    if (parsed.success) this.status.value = parsed.data;
  }
}
