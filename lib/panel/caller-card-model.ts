import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { CrmEntityRef, CrmMatch } from '@/lib/crm/crm-adapter';
import { PushedCallerCardsSchema, type PushedCallerCards } from '@/lib/crm/pushed-caller-cards';
import type { CrmCreatableKind, CrmCreateResult } from '@/lib/crm/crm-record-creation';
import { currentLocale } from '@/lib/i18n/i18n';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { PanelClient } from '@/lib/panel/phone-model';
import { CallState } from '@/lib/phone/call-state';
import type { PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('caller-card');

/** One deal line of the caller's card. */
export interface CallerDealView {
  name: string;
  /** "Pipeline · Stage", as the CRM words them. */
  stageText?: string;
}

/** What the call card shows about the caller. */
export interface CallerView {
  /** The number as the call gives it. */
  number: string;
  /** `loading` until the background answers (a few ms from the cache). */
  status: 'loading' | 'known' | 'unknown';
  name?: string;
  company?: string;
  deals: CallerDealView[];
  responsibleText?: string;
  lastInteractionText?: string;
  /** "Open in CRM" goes here. */
  url?: string;
  /** Several records have the number: the agent picks one (`value` is the `crm:kind:id` key). */
  choices?: { value: string; label: string; ref: CrmEntityRef }[];
  /** The record shown, among `choices`. */
  selected?: string;
  /** The local contact shown, which the agent may edit. */
  localId?: string;
  /** The Add contact / Edit form is open. */
  form?: ContactFormView;
  /** The call was started on a CRM card: which record it is logged against, in words. */
  entityText?: string;
  /** An unknown caller, with a CRM connected: what "Create contact" / "Create lead" can make there. */
  crmCreates?: CrmCreatableKind[];
}

/** The inline contact form on the card. */
export interface ContactFormView {
  id?: string;
  name: string;
  company: string;
  phone: string;
  /** Why the last save was refused, in words. */
  error?: string;
  saving: boolean;
  /** The form creates this record in the connected CRM (absent: a local contact). */
  crm?: CrmCreatableKind;
  /** "Create lead": the lead's name (prefilled "Call from <number>"). */
  leadName?: string;
}

interface Entry {
  number: string;
  /** The CRM record the call was started on (`CallSnapshot.crmEntity`). */
  crmEntity?: CrmEntityRef;
  matches?: CrmMatch[];
  crmCreates?: CrmCreatableKind[];
  selected?: string;
  form?: ContactFormView;
  /** When the lookup was asked (for the INVITE→card measure). */
  askedAt: number;
  shownAt?: number;
  /** `at` of the background's pushed card applied last; a lookup asked before it no longer applies. */
  pushedAt?: number;
  /** When (epoch ms) the lookup was asked, compared with {@link pushedAt}. */
  askedAtEpoch?: number;
}

/** Where the panel reads the caller cards the background pushes (`pushedCallerCardsItem`). */
export interface PushedCallerCardsSource {
  getValue(): Promise<unknown>;
  /** Calls `callback` with every new value; returns a function that stops watching. */
  watch(callback: (value: unknown) => void): () => void;
}

/** The key of the timeline's contact among the cards (call ids never take this form). */
export const TIMELINE_KEY = 'timeline:';

const keyOf = (ref: CrmEntityRef): string => `${ref.crm}:${ref.kind}:${ref.id}`;

/**
 * The screen pop of the side panel: every call that starts ringing or dialling has its number
 * looked up in the background's contact cache, and the call card shows who it is (or offers "Add
 * contact") before anyone answers. Holds only what the panel shows; the cache, the remembered
 * choice and the contacts live in the background.
 */
export class CallerCardModel {
  private readonly entries = signal(new Map<string, Entry>());
  private stop: (() => void) | undefined;
  /** The background's latest pushed cards, by call id. */
  private pushed: PushedCallerCards = {};

  constructor(
    private readonly options: {
      client: PanelClient;
      snapshot: ReadonlySignal<PhoneSnapshot>;
      /** The number whose timeline the panel shows, if any: its contact can be added, edited, deleted there. */
      timelineNumber?: ReadonlySignal<string | undefined>;
      /**
       * The cards the background pushes for ringing and dialling calls: shown with the call without a
       * request, and updated when the CRM answers after a cold cache.
       */
      pushed?: PushedCallerCardsSource;
      now?: () => number;
      /** @defaultValue `Date.now` */
      clock?: () => number;
    },
  ) {}

  /** Looks up every new call of the snapshot, and the timeline's number, from now on. */
  start(): void {
    const calls = effect(() => {
      for (const call of this.options.snapshot.value.calls) {
        if (call.state === CallState.Ended || this.entries.peek().has(call.id)) continue;
        this.lookup(call.id, call.remoteNumber || call.remoteUri, call.crmEntity);
      }
    });
    const timeline = effect(() => {
      const number = this.options.timelineNumber?.value;
      if (number !== undefined && this.entries.peek().get(TIMELINE_KEY)?.number !== number) this.lookup(TIMELINE_KEY, number);
    });
    const source = this.options.pushed;
    const unwatch = source?.watch((value) => this.receivePushed(value));
    source?.getValue().then(
      (value) => this.receivePushed(value),
      (error: unknown) => log.warn('cannot read the pushed caller cards', error),
    );
    this.stop = () => {
      calls();
      timeline();
      unwatch?.();
    };
  }

  /** Takes the background's pushed cards; applies each to its call's card when newer than what it shows. */
  private receivePushed(value: unknown): void {
    const parsed = PushedCallerCardsSchema.safeParse(value ?? {});
    if (!parsed.success) {
      log.warn('ignoring invalid pushed caller cards', parsed.error.issues);
      return;
    }
    this.pushed = parsed.data;
    for (const callId of Object.keys(parsed.data)) this.applyPushed(callId);
  }

  /** Shows call `callId`'s pushed card when it is newer than the one shown (and the number is the same). */
  private applyPushed(callId: string): void {
    const card = this.pushed[callId];
    const entry = this.entries.peek().get(callId);
    if (!card || !entry || entry.number !== card.number || (entry.pushedAt ?? -Infinity) >= card.at) return;
    // A lookup asked after this card was pushed (e.g. after "Add contact") knows better.
    if ((entry.askedAtEpoch ?? -Infinity) > card.at && entry.matches !== undefined) return;
    const now = this.options.now ?? performance.now.bind(performance);
    this.update(callId, {
      matches: card.matches,
      selected: entry.selected ?? card.chosen,
      shownAt: entry.shownAt ?? now(),
      pushedAt: card.at,
    });
  }

  dispose(): void {
    this.stop?.();
  }

  /** The contact of the number whose timeline is shown (same actions, with {@link TIMELINE_KEY} as the call id). */
  readonly timelineView = computed(() => {
    const number = this.options.timelineNumber?.value;
    const view = this.views.value.get(TIMELINE_KEY);
    return number !== undefined && view?.number === number ? view : undefined;
  });

  /** Deletes the local contact shown on a card or the timeline, then looks the number up again. */
  async deleteContact(callId: string): Promise<void> {
    const entry = this.entries.peek().get(callId);
    const id = entry && viewOf(entry).localId;
    if (!entry || !id) return;
    await this.options.client.deleteContact({ id });
    this.lookup(callId, entry.number);
  }

  /** The card of each call, by call id. */
  readonly views = computed(() => {
    const views = new Map<string, CallerView>();
    for (const [callId, entry] of this.entries.value) views.set(callId, viewOf(entry));
    return views;
  });

  /** How long each call's card took from the lookup to being known (ms), by call id; for the e2e measure. */
  readonly shownAfterMs = computed(() => {
    const times: Record<string, number> = {};
    for (const [callId, entry] of this.entries.value) {
      if (entry.shownAt !== undefined) times[callId] = entry.shownAt - entry.askedAt;
    }
    return times;
  });

  /** The agent picks one of several records; the background remembers it for the number. */
  async choose(callId: string, value: string): Promise<void> {
    const entry = this.entries.peek().get(callId);
    const match = entry?.matches?.find((m) => keyOf(m.card.ref) === value);
    if (!entry || !match) return;
    this.update(callId, { selected: value });
    await this.options.client.chooseCaller({ number: entry.number, ref: match.card.ref }).catch((error: unknown) => {
      log.warn('choice not remembered', error);
    });
  }

  /** "Add contact" (unknown caller) or "Edit" (local contact): opens the form. */
  openForm(callId: string): void {
    const entry = this.entries.peek().get(callId);
    if (!entry) return;
    const view = viewOf(entry);
    this.update(callId, {
      form: {
        id: view.localId,
        name: view.localId ? (view.name ?? '') : '',
        company: view.localId ? (view.company ?? '') : '',
        phone: entry.number,
        saving: false,
      },
    });
  }

  /**
   * "Create contact" / "Create lead" (unknown caller, CRM connected): opens the form, the number
   * fixed, the contact's name empty, a lead's name prefilled with the number.
   */
  openCrmForm(callId: string, kind: CrmCreatableKind): void {
    const entry = this.entries.peek().get(callId);
    if (!entry?.crmCreates?.includes(kind)) return;
    this.update(callId, {
      form: {
        name: '',
        company: '',
        phone: entry.number,
        saving: false,
        crm: kind,
        ...(kind === 'lead' ? { leadName: tPanel('caller.create.leadDefault', { number: entry.number }) } : {}),
      },
    });
  }

  /** Types into the form. */
  editForm(callId: string, change: Partial<Pick<ContactFormView, 'name' | 'company' | 'leadName'>>): void {
    const form = this.entries.peek().get(callId)?.form;
    if (form) this.update(callId, { form: { ...form, ...change, error: undefined } });
  }

  closeForm(callId: string): void {
    this.update(callId, { form: undefined });
  }

  /** Saves the form as a local contact, then shows the card again from the cache. */
  async saveForm(callId: string): Promise<void> {
    const entry = this.entries.peek().get(callId);
    const form = entry?.form;
    if (!entry || !form || form.saving) return;
    this.update(callId, { form: { ...form, saving: true } });
    if (form.crm) return this.createInCrm(callId, form, form.crm);
    try {
      const saved = await this.options.client.saveContact({
        ...(form.id ? { id: form.id } : {}),
        name: form.name,
        company: form.company || undefined,
        phones: [form.phone],
      });
      if (!saved.ok) {
        this.update(callId, { form: { ...form, saving: false, error: tPanel(`contact.problem.${saved.problem}`) } });
        return;
      }
      this.update(callId, { form: undefined });
      this.lookup(callId, entry.number);
    } catch (error) {
      this.update(callId, { form: { ...form, saving: false, error: tPanel('contact.saveFailed', { message: String(error) }) } });
    }
  }

  /**
   * Sends the form to the background, which creates the record in the CRM (once: the button is
   * disabled while saving, and the background refuses a second create for the number meanwhile).
   * Created or found, the card shows the record at once; refused, the form stays as typed with the
   * reason in words.
   */
  private async createInCrm(callId: string, form: ContactFormView, kind: CrmCreatableKind): Promise<void> {
    const number = this.entries.peek().get(callId)?.number ?? form.phone;
    let result: CrmCreateResult;
    try {
      result = await this.options.client.createCrmRecord({
        number,
        kind,
        contactName: form.name,
        ...(kind === 'lead' ? { leadName: form.leadName ?? '' } : {}),
        ...(form.company.trim() !== '' ? { company: form.company } : {}),
      });
    } catch (error) {
      this.refuse(callId, form, tPanel('caller.create.failed', { message: String(error) }));
      return;
    }
    if (!result.ok) {
      const reason = tPanel(`caller.create.problem.${result.problem}`);
      this.refuse(callId, form, result.contactCreated ? `${reason} ${tPanel('caller.create.contactMade')}` : reason);
      return;
    }
    const selected = keyOf(result.ref);
    const shown = result.matches.some((match) => keyOf(match.card.ref) === selected) ? selected : undefined;
    this.update(callId, { form: undefined, matches: result.matches, selected: shown ?? result.chosen });
  }

  /** The form stays with everything typed (also while it was saving), and says why. */
  private refuse(callId: string, sent: ContactFormView, error: string): void {
    const form = this.entries.peek().get(callId)?.form ?? sent;
    this.update(callId, { form: { ...form, saving: false, error } });
  }

  /** "Open in CRM". */
  async openInCrm(callId: string): Promise<void> {
    const url = this.views.peek().get(callId)?.url;
    if (url) await this.options.client.openCrmRecord({ url });
  }

  private lookup(callId: string, number: string, crmEntity?: CrmEntityRef): void {
    const now = this.options.now ?? performance.now.bind(performance);
    const clock = this.options.clock ?? Date.now;
    const previous = this.entries.peek().get(callId);
    const entity = crmEntity ?? previous?.crmEntity;
    const askedAtEpoch = clock();
    this.set(callId, {
      number,
      askedAt: now(),
      askedAtEpoch,
      selected: previous?.selected,
      pushedAt: previous?.pushedAt,
      ...(entity ? { crmEntity: entity } : {}),
    });
    // A card the background pushed already shows at once, with the ringing call.
    if (previous === undefined) this.applyPushed(callId);
    this.options.client.lookupCaller({ number }).then(
      ({ matches, chosen, crmCreates }) => {
        const current = this.entries.peek().get(callId);
        // The background pushed a newer card (the CRM's answer) while this request was on its way.
        if ((current?.pushedAt ?? -Infinity) > askedAtEpoch) {
          this.update(callId, { crmCreates });
          return;
        }
        this.update(callId, { matches, crmCreates, selected: current?.selected ?? chosen, shownAt: current?.shownAt ?? now() });
      },
      (error: unknown) => {
        log.warn('caller lookup failed', error);
        const current = this.entries.peek().get(callId);
        if (current?.matches === undefined) this.update(callId, { matches: [], shownAt: now() });
      },
    );
  }

  private set(callId: string, entry: Entry): void {
    const next = new Map(this.entries.peek());
    next.set(callId, entry);
    this.entries.value = next;
  }

  private update(callId: string, change: Partial<Entry>): void {
    const entry = this.entries.peek().get(callId);
    if (entry) this.set(callId, { ...entry, ...change });
  }
}

function viewOf(entry: Entry): CallerView {
  const entity = entry.crmEntity;
  const entityText = entity ? tPanel(`caller.entity.${entity.kind}`, { id: entity.id }) : undefined;
  const pageView = entityText ? { entityText } : {};
  if (entry.matches === undefined) return { number: entry.number, status: 'loading', deals: [], form: entry.form, ...pageView };
  // The card the call was started on comes first, unless the agent picked another record.
  const onPage = entity ? entry.matches.find((m) => keyOf(m.card.ref) === keyOf(entity)) : undefined;
  const match = entry.matches.find((m) => keyOf(m.card.ref) === entry.selected) ?? onPage ?? entry.matches[0];
  if (!match) {
    const creates = entry.crmCreates && entry.crmCreates.length > 0 ? { crmCreates: entry.crmCreates } : {};
    return { number: entry.number, status: 'unknown', deals: [], form: entry.form, ...pageView, ...creates };
  }
  const { card } = match;
  return {
    ...pageView,
    number: entry.number,
    status: 'known',
    name: card.name,
    company: card.company,
    deals: card.openDeals.map((deal) => ({
      name: deal.name,
      stageText: [deal.pipeline, deal.stage].filter(Boolean).join(' · ') || undefined,
    })),
    responsibleText: card.responsibleUser ? tPanel('caller.responsible', { name: card.responsibleUser.name }) : undefined,
    lastInteractionText:
      card.lastInteractionAt !== undefined
        ? tPanel('caller.lastInteraction', {
            when: new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
              card.lastInteractionAt,
            ),
          })
        : undefined,
    url: card.url,
    choices:
      entry.matches.length > 1
        ? entry.matches.map((m) => ({
            value: keyOf(m.card.ref),
            label: [m.card.name, m.card.company].filter(Boolean).join(', '),
            ref: m.card.ref,
          }))
        : undefined,
    selected: keyOf(card.ref),
    localId: card.ref.crm === 'local' ? card.ref.id : undefined,
    form: entry.form,
  };
}
