import { AMO_CALL_STATUS } from '@/lib/crm/amocrm/amo-call-status';
import {
  AMO_CLOSED_STATUSES,
  type AmoAccount,
  type AmoCallsAnswer,
  type AmoCreatedAnswer,
  type AmoEntity,
  type AmoEvent,
  type AmoLead,
  type AmoList,
  type AmoNote,
  type AmoPipeline,
  type AmoTask,
  type AmoUnsortedAnswer,
  type AmoUser,
} from '@/lib/crm/amocrm/amo-api-types';
import type { AmoHttpClient } from '@/lib/crm/amocrm/amo-http-client';
import { confirmedPhone, normalizedPhonesOf } from '@/lib/crm/amocrm/amo-phones';
import { mergeTimeline, TIMELINE_EVENT_TYPES } from '@/lib/crm/amocrm/amo-timeline';
import {
  CrmError,
  type CrmAdapter,
  type CrmCallLog,
  type CrmCard,
  type CrmDeal,
  type CrmEntityKind,
  type CrmEntityRef,
  type CrmMatch,
  type CrmTask,
  type CrmTimelineItem,
  type CrmWriteResult,
} from '@/lib/crm/crm-adapter';
import { numberKeyOf } from '@/lib/history/number-key';

/** Users and pipelines change rarely; they are read once per this long. */
const REFERENCE_TTL_MS = 10 * 60_000;

/** Options of {@link AmoCrmAdapter}. */
export interface AmoCrmAdapterOptions {
  client: AmoHttpClient;
  /** Where the web UI lives (`https://romashka.amocrm.ru`), for card links. */
  webUrl: string;
  /** The default country (ISO 3166 alpha-2) for numbers written without a country code. */
  region: string;
  /** `source` of logged calls and the inbox's `source_name`. @defaultValue `'Softphone'` */
  source?: string;
  /** Name of the lead an inbox entry creates. @defaultValue the caller's number */
  inboxLeadName?: (call: CrmCallLog) => string;
  /** @defaultValue `Date.now` */
  now?: () => number;
}

/** Who the connection acts as: what *Test connection* shows. */
export interface AmoConnectionInfo {
  accountName: string;
  userId: string;
  userName: string;
}

const PLURAL: Record<CrmEntityKind, 'contacts' | 'companies' | 'leads'> = {
  contact: 'contacts',
  company: 'companies',
  lead: 'leads',
};


interface Cached<T> {
  value: T;
  at: number;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** amoCRM (Kommo) API v4 behind the {@link CrmAdapter} interface. */
export class AmoCrmAdapter implements CrmAdapter {
  readonly kind = 'amocrm' as const;
  private users: Cached<Map<number, string>> | undefined;
  private pipelines: Cached<Map<number, AmoPipeline>> | undefined;
  private readonly now: () => number;
  private readonly source: string;

  constructor(private readonly options: AmoCrmAdapterOptions) {
    this.now = options.now ?? Date.now;
    this.source = options.source ?? 'Softphone';
  }

  /**
   * Contacts and companies whose number is `phone`. amoCRM's `query` matches the last 7 digits, so
   * each hit is confirmed by normalizing every number of the record; all confirmed records are
   * returned (contacts first), for the agent to choose.
   */
  async lookupByPhone(phone: string): Promise<CrmMatch[]> {
    const e164 = numberKeyOf(phone, this.options.region).e164;
    if (e164 === undefined) return [];
    const query: Array<[string, string]> = [
      ['query', e164.slice(1)],
      ['with', 'leads'],
    ];
    const [contacts, companies] = await Promise.all([
      this.list<'contacts', AmoEntity>('/api/v4/contacts', 'contacts', query),
      this.list<'companies', AmoEntity>('/api/v4/companies', 'companies', query),
    ]);
    const hits = [
      ...contacts.map((entity) => ({ kind: 'contact' as const, entity })),
      ...companies.map((entity) => ({ kind: 'company' as const, entity })),
    ]
      .map((hit) => ({ ...hit, matchedPhone: confirmedPhone(hit.entity, e164, this.options.region) }))
      .filter((hit): hit is typeof hit & { matchedPhone: string } => hit.matchedPhone !== undefined);
    if (hits.length === 0) return [];
    const cards = await this.cardsOf(hits);
    return hits.map((hit, index) => ({ card: cards[index] as CrmCard, matchedPhone: hit.matchedPhone }));
  }

  /** The card of a contact, company or lead, with its last interaction from the timeline. */
  async getCard(ref: CrmEntityRef): Promise<CrmCard> {
    if (ref.kind === 'lead') return this.leadCard(ref);
    const entity = await this.client.request<AmoEntity>({
      method: 'GET',
      path: `/api/v4/${PLURAL[ref.kind]}/${encodeURIComponent(ref.id)}`,
      query: [['with', 'leads']],
    });
    if (!entity) throw new CrmError('not-found', `amoCRM has no ${ref.kind} ${ref.id}`, 204);
    const [card] = await this.cardsOf([{ kind: ref.kind, entity }]);
    const timeline = await this.getTimeline(ref, 10);
    const lastInteraction = timeline.find((item) => item.kind !== 'task' && item.kind !== 'event');
    return { ...(card as CrmCard), lastInteractionAt: lastInteraction?.at };
  }

  entityUrl(ref: CrmEntityRef): string {
    return new URL(`/${PLURAL[ref.kind]}/detail/${encodeURIComponent(ref.id)}`, this.options.webUrl).href;
  }

  /** Notes and events of the record merged, newest first (a call shows once, from its note). */
  async getTimeline(ref: CrmEntityRef, limit: number): Promise<CrmTimelineItem[]> {
    const cap = Math.max(1, Math.min(limit, 100));
    const notes = await this.list<'notes', AmoNote>(
      `/api/v4/${PLURAL[ref.kind]}/${encodeURIComponent(ref.id)}/notes`,
      'notes',
      [
        ['limit', cap],
        ['order[id]', 'desc'],
      ],
    );
    const events = await this.list<'events', AmoEvent>('/api/v4/events', 'events', [
      ['filter[entity]', ref.kind],
      ['filter[entity_id]', ref.id],
      ['filter[type]', TIMELINE_EVENT_TYPES.join(',')],
      ['limit', cap],
    ]);
    return mergeTimeline(notes, events, limit);
  }

  /**
   * `POST /api/v4/calls`: amoCRM places the call on the record with the number (or its single open
   * lead). With `call.entity` the call goes as a call note on that record instead. `uniq` is our call
   * id, so a call sent twice is recognisably the same call. The disposition and the agent's note
   * travel in `call_result`, which amoCRM shows in the call's entry: a call is one write, so a retry
   * after a failure can never leave half of it behind. An unknown number comes back in `errors[]`:
   * `not-found`, so the caller can use {@link createInboxEntry}.
   */
  async logCall(call: CrmCallLog): Promise<CrmWriteResult> {
    if (call.entity) return this.logCallAsNote(call, call.entity);
    const answer = await this.client.request<AmoCallsAnswer>({
      method: 'POST',
      path: '/api/v4/calls',
      body: [
        {
          direction: call.direction,
          uniq: call.callId,
          duration: Math.max(0, Math.round(call.durationSec)),
          source: this.source,
          phone: call.phone,
          link: call.recordingUrl,
          call_status: AMO_CALL_STATUS[call.status],
          call_result: callResult(call),
          responsible_user_id: userId(call.responsibleUserId),
          created_at: seconds(call.startedAt),
          request_id: call.callId,
        },
      ],
    });
    const logged = answer?._embedded?.calls?.[0];
    if (!logged) {
      const error = answer?.errors?.[0];
      throw new CrmError('not-found', `amoCRM has no record with ${call.phone}${error?.detail ? `: ${error.detail}` : ''}`);
    }
    const entity = entityOf(logged.entity_type, logged.entity_id);
    return { externalId: String(logged.id), ...(entity ? { entity } : {}) };
  }

  /**
   * `POST /api/v4/contacts` with the number in the `PHONE` field (enum `WORK`): after it, amoCRM
   * knows the number, so {@link logCall} places the call on the new contact. `request_id` carries
   * the number, so the answer can be told apart in a batch. With `company`, the contact is linked
   * (`_embedded.companies`) to the account's company of that name, or to a new one.
   */
  async createContact(phone: string, name: string, company?: string): Promise<CrmWriteResult & { entity: CrmEntityRef }> {
    const companyId = company !== undefined && company.trim() !== '' ? await this.companyNamed(company.trim()) : undefined;
    const answer = await this.client.request<AmoCreatedAnswer<'contacts'>>({
      method: 'POST',
      path: '/api/v4/contacts',
      body: [
        {
          name,
          custom_fields_values: [{ field_code: 'PHONE', values: [{ value: phone, enum_code: 'WORK' }] }],
          ...(companyId !== undefined ? { _embedded: { companies: [{ id: companyId }] } } : {}),
          request_id: phone,
        },
      ],
    });
    const created = answer?._embedded?.contacts?.[0];
    if (!created) throw new CrmError('server', 'amoCRM did not answer with the created contact');
    return { externalId: String(created.id), entity: { crm: 'amocrm', kind: 'contact', id: String(created.id) } };
  }

  /**
   * `POST /api/v4/leads` with the contact in `_embedded.contacts`: amoCRM links the two, so the
   * contact's next lookup (`with=leads`) lists the lead among its open deals. Without a pipeline or
   * status the lead starts in the account's main pipeline at its first stage. `request_id` carries
   * the contact id, so the answer can be told apart in a batch.
   */
  async createLead(name: string, contact: CrmEntityRef): Promise<CrmWriteResult & { entity: CrmEntityRef }> {
    if (contact.kind !== 'contact') throw new CrmError('validation', `A lead is linked to a contact, not a ${contact.kind}`);
    const answer = await this.client.request<AmoCreatedAnswer<'leads'>>({
      method: 'POST',
      path: '/api/v4/leads',
      body: [{ name, _embedded: { contacts: [{ id: Number(contact.id) }] }, request_id: `contact-${contact.id}` }],
    });
    const created = answer?._embedded?.leads?.[0];
    if (!created) throw new CrmError('server', 'amoCRM did not answer with the created lead');
    return { externalId: String(created.id), entity: { crm: 'amocrm', kind: 'lead', id: String(created.id) } };
  }

  /**
   * The id of the company named `name`: an existing one (`query` matches names in part, so the name
   * is compared whole, ignoring case), else `POST /api/v4/companies` makes it. Reusing it keeps a
   * retry after a failed contact from leaving a second company of the same name behind.
   */
  private async companyNamed(name: string): Promise<number> {
    const wanted = name.toLocaleLowerCase();
    const found = await this.list<'companies', AmoEntity>('/api/v4/companies', 'companies', [['query', name]]);
    const same = found.find((company) => (company.name ?? '').trim().toLocaleLowerCase() === wanted);
    if (same) return same.id;
    const answer = await this.client.request<AmoCreatedAnswer<'companies'>>({
      method: 'POST',
      path: '/api/v4/companies',
      body: [{ name, request_id: 'company' }],
    });
    const created = answer?._embedded?.companies?.[0];
    if (!created) throw new CrmError('server', 'amoCRM did not answer with the created company');
    return created.id;
  }

  /** `PATCH /api/v4/tasks/{id}` with `is_completed` and the result text. */
  async completeTask(externalId: string, result: string): Promise<void> {
    await this.client.request<unknown>({
      method: 'PATCH',
      path: `/api/v4/tasks/${encodeURIComponent(externalId)}`,
      body: { is_completed: true, result: { text: result } },
    });
  }

  async addNote(entity: CrmEntityRef, text: string): Promise<CrmWriteResult> {
    return this.createNote(entity, { note_type: 'common', params: { text } });
  }

  /** A task on the record; `task_type_id` 1 is "call"/"follow-up" in every account (2 is meeting). */
  async createTask(task: CrmTask): Promise<CrmWriteResult> {
    const answer = await this.client.request<AmoCreatedAnswer<'tasks'>>({
      method: 'POST',
      path: '/api/v4/tasks',
      body: [
        {
          task_type_id: 1,
          text: task.text,
          complete_till: seconds(task.dueAt),
          entity_type: PLURAL[task.entity.kind],
          entity_id: Number(task.entity.id),
          responsible_user_id: userId(task.responsibleUserId),
          request_id: task.key,
        },
      ],
    });
    const created = answer?._embedded?.tasks?.[0];
    if (!created) throw new CrmError('server', 'amoCRM did not answer with the created task');
    return { externalId: String(created.id) };
  }

  /**
   * An open task on the record due at the same second (`GET /api/v4/tasks` filtered by record). The
   * text is not compared: it names the caller from the card cache, which may have learnt the name
   * between the two attempts.
   */
  async findTask(task: CrmTask): Promise<CrmWriteResult | undefined> {
    const open = await this.list<'tasks', AmoTask>('/api/v4/tasks', 'tasks', [
      ['filter[entity_type]', PLURAL[task.entity.kind]],
      ['filter[entity_id][]', Number(task.entity.id)],
      ['filter[is_completed]', 0],
      ['limit', 250],
    ]);
    const same = open.find((candidate) => candidate.complete_till === seconds(task.dueAt));
    return same ? { externalId: String(same.id) } : undefined;
  }

  /** A common note on the record with exactly this text, among its latest 100. */
  async findNote(entity: CrmEntityRef, text: string): Promise<CrmWriteResult | undefined> {
    const notes = await this.list<'notes', AmoNote>(`/api/v4/${PLURAL[entity.kind]}/${encodeURIComponent(entity.id)}/notes`, 'notes', [
      ['filter[note_type][]', 'common'],
      ['limit', 100],
      ['order[id]', 'desc'],
    ]);
    const same = notes.find((note) => note.params?.text === text);
    return same ? { externalId: String(same.id) } : undefined;
  }

  /**
   * A call from a number amoCRM does not know, into the Unsorted inbox (`/leads/unsorted/sip`), which
   * creates a lead and a contact the agent accepts or declines; `is_call_event_needed` also puts the
   * call into their timeline.
   */
  async createInboxEntry(call: CrmCallLog): Promise<CrmWriteResult & { created?: CrmEntityRef[] }> {
    const at = seconds(call.startedAt);
    const answer = await this.client.request<AmoUnsortedAnswer>({
      method: 'POST',
      path: '/api/v4/leads/unsorted/sip',
      body: [
        {
          source_name: this.source,
          source_uid: call.callId,
          created_at: at,
          metadata: {
            from: call.phone,
            phone: call.line ?? this.source,
            called_at: at,
            duration: Math.max(0, Math.round(call.durationSec)),
            link: call.recordingUrl,
            service_code: this.source,
            uniq: call.callId,
            is_call_event_needed: true,
          },
          _embedded: {
            leads: [{ name: this.options.inboxLeadName?.(call) ?? call.phone }],
            contacts: [{ name: call.phone }],
          },
        },
      ],
    });
    const entry = answer?._embedded?.unsorted?.[0];
    if (!entry) throw new CrmError('server', 'amoCRM did not answer with the inbox entry');
    const created: CrmEntityRef[] = [
      ...(entry._embedded?.leads ?? []).map((lead) => ({ crm: 'amocrm' as const, kind: 'lead' as const, id: String(lead.id) })),
      ...(entry._embedded?.contacts ?? []).map((contact) => ({
        crm: 'amocrm' as const,
        kind: 'contact' as const,
        id: String(contact.id),
      })),
    ];
    return { externalId: entry.uid, created };
  }

  async currentUser(): Promise<{ id: string; name: string }> {
    const info = await this.connectionInfo();
    return { id: info.userId, name: info.userName };
  }

  /** The account and the user the token belongs to (`/account` + `/users`). */
  async connectionInfo(): Promise<AmoConnectionInfo> {
    const account = await this.client.request<AmoAccount>({ method: 'GET', path: '/api/v4/account' });
    if (!account) throw new CrmError('server', 'amoCRM did not answer with the account');
    const userId = account.current_user_id;
    const users = await this.userNames(true);
    return {
      accountName: account.name ?? account.subdomain ?? String(account.id),
      userId: String(userId ?? ''),
      userName: (userId !== undefined ? users.get(userId) : undefined) ?? String(userId ?? ''),
    };
  }

  private get client(): AmoHttpClient {
    return this.options.client;
  }

  private async list<K extends string, T>(path: string, key: K, query: Array<[string, string | number]>): Promise<T[]> {
    const answer = await this.client.request<AmoList<K, T>>({ method: 'GET', path, query });
    return answer?._embedded?.[key] ?? [];
  }

  private async createNote(entity: CrmEntityRef, note: Record<string, unknown>): Promise<CrmWriteResult> {
    const answer = await this.client.request<AmoCreatedAnswer<'notes'>>({
      method: 'POST',
      path: `/api/v4/${PLURAL[entity.kind]}/notes`,
      body: [{ entity_id: Number(entity.id), ...note }],
    });
    const created = answer?._embedded?.notes?.[0];
    if (!created) throw new CrmError('server', 'amoCRM did not answer with the created note');
    return { externalId: String(created.id) };
  }

  /**
   * A call note (`call_in`/`call_out`) on the record's own notes, `POST /api/v4/{entity}/{id}/notes`.
   * Unlike `/calls`, notes are not recognised by `uniq`: a write whose answer was lost (the worker
   * stopped, the connection broke) would add the note twice when the outbox sends it again. So the
   * record's call notes are read first and a note with our call id is taken as the one logged.
   * A record that is gone answers 404: `not-found`, and the caller logs the call by its number.
   */
  private async logCallAsNote(call: CrmCallLog, entity: CrmEntityRef): Promise<CrmWriteResult> {
    const path = `/api/v4/${PLURAL[entity.kind]}/${encodeURIComponent(entity.id)}/notes`;
    const noteType = call.direction === 'inbound' ? 'call_in' : 'call_out';
    const logged = await this.list<'notes', AmoNote>(path, 'notes', [
      ['filter[note_type][]', noteType],
      ['limit', 100],
      ['order[id]', 'desc'],
    ]);
    const same = logged.find((note) => note.params?.uniq === call.callId);
    if (same) return { externalId: String(same.id), entity };
    const answer = await this.client.request<AmoCreatedAnswer<'notes'>>({
      method: 'POST',
      path,
      body: [
        {
          note_type: noteType,
          created_at: seconds(call.startedAt),
          params: {
            uniq: call.callId,
            duration: Math.max(0, Math.round(call.durationSec)),
            source: this.source,
            link: call.recordingUrl,
            phone: call.phone,
            call_status: AMO_CALL_STATUS[call.status],
            call_result: callResult(call),
          },
          request_id: call.callId,
        },
      ],
    });
    const created = answer?._embedded?.notes?.[0];
    if (!created) throw new CrmError('server', 'amoCRM did not answer with the created note');
    return { externalId: String(created.id), entity };
  }

  /** Cards of several records with as few requests as possible: one for their leads, one for companies. */
  private async cardsOf(hits: Array<{ kind: CrmEntityKind; entity: AmoEntity }>): Promise<CrmCard[]> {
    const leadIds = [...new Set(hits.flatMap((hit) => (hit.entity._embedded?.leads ?? []).map((lead) => lead.id)))];
    const companyIds = [
      ...new Set(hits.flatMap((hit) => (hit.entity._embedded?.companies ?? []).map((company) => company.id))),
    ];
    const leads = leadIds.length > 0 ? await this.leadsById(leadIds) : new Map<number, AmoLead>();
    const knownCompanies = new Map(hits.filter((hit) => hit.kind === 'company').map((hit) => [hit.entity.id, hit.entity]));
    const missing = companyIds.filter((id) => !knownCompanies.has(id));
    if (missing.length > 0) {
      const companies = await this.list<'companies', AmoEntity>(
        '/api/v4/companies',
        'companies',
        missing.map((id) => ['filter[id][]', id]),
      );
      for (const company of companies) knownCompanies.set(company.id, company);
    }
    const users = await this.userNames(false);
    const pipelines = leads.size > 0 ? await this.pipelineMap() : new Map<number, AmoPipeline>();
    return hits.map(({ kind, entity }) => {
      const ref: CrmEntityRef = { crm: 'amocrm', kind, id: String(entity.id) };
      const companyId = entity._embedded?.companies?.[0]?.id;
      const responsible = entity.responsible_user_id;
      const openDeals = (entity._embedded?.leads ?? [])
        .map((lead) => leads.get(lead.id))
        .filter((lead): lead is AmoLead => lead !== undefined && !isClosed(lead))
        .map((lead) => dealOf(lead, pipelines));
      return {
        ref,
        name: entity.name ?? '',
        company: companyId !== undefined ? knownCompanies.get(companyId)?.name : undefined,
        phones: normalizedPhonesOf(entity, this.options.region),
        responsibleUser:
          responsible !== undefined && users.has(responsible)
            ? { id: String(responsible), name: users.get(responsible) ?? '' }
            : undefined,
        openDeals,
        url: this.entityUrl(ref),
      };
    });
  }

  private async leadCard(ref: CrmEntityRef): Promise<CrmCard> {
    const leads = await this.leadsById([Number(ref.id)]);
    const lead = leads.get(Number(ref.id));
    if (!lead) throw new CrmError('not-found', `amoCRM has no lead ${ref.id}`, 204);
    const pipelines = await this.pipelineMap();
    const deal = dealOf(lead, pipelines);
    // The lead's own responsible user: callback tasks on a lead are for them.
    const responsible = lead.responsible_user_id;
    const users = responsible !== undefined ? await this.userNames(false) : undefined;
    return {
      ref,
      name: deal.name,
      phones: [],
      responsibleUser: responsible !== undefined ? { id: String(responsible), name: users?.get(responsible) ?? '' } : undefined,
      openDeals: isClosed(lead) ? [] : [deal],
      url: this.entityUrl(ref),
    };
  }

  private async leadsById(ids: number[]): Promise<Map<number, AmoLead>> {
    const leads = await this.list<'leads', AmoLead>(
      '/api/v4/leads',
      'leads',
      ids.map((id) => ['filter[id][]', id]),
    );
    return new Map(leads.map((lead) => [lead.id, lead]));
  }

  /**
   * The account's users by id. Reading users may need admin rights; without them cards simply go
   * without the responsible user's name, unless `strict` (the connection test) wants the error.
   */
  private async userNames(strict: boolean): Promise<Map<number, string>> {
    if (this.users && this.now() - this.users.at < REFERENCE_TTL_MS) return this.users.value;
    try {
      const users = await this.list<'users', AmoUser>('/api/v4/users', 'users', [['limit', 250]]);
      this.users = { value: new Map(users.map((user) => [user.id, user.name ?? String(user.id)])), at: this.now() };
      return this.users.value;
    } catch (error) {
      if (!strict && error instanceof CrmError && error.kind === 'forbidden') return new Map();
      throw error;
    }
  }

  private async pipelineMap(): Promise<Map<number, AmoPipeline>> {
    if (this.pipelines && this.now() - this.pipelines.at < REFERENCE_TTL_MS) return this.pipelines.value;
    const pipelines = await this.list<'pipelines', AmoPipeline>('/api/v4/leads/pipelines', 'pipelines', []);
    this.pipelines = { value: new Map(pipelines.map((pipeline) => [pipeline.id, pipeline])), at: this.now() };
    return this.pipelines.value;
  }
}

/** The disposition and the note, as the call's result line. */
function callResult(call: CrmCallLog): string | undefined {
  const parts = [call.disposition, call.note].map((part) => part?.trim()).filter((part) => part !== undefined && part !== '');
  return parts.length > 0 ? parts.join(' — ') : undefined;
}

/** The record a logged call landed on, from amoCRM's `entity_type` (singular or plural) and `entity_id`. */
function entityOf(type: string | undefined, id: number | undefined): CrmEntityRef | undefined {
  if (id === undefined || type === undefined) return undefined;
  const kind = ({ contact: 'contact', contacts: 'contact', company: 'company', companies: 'company', lead: 'lead', leads: 'lead' } as const)[
    type as 'contact'
  ];
  return kind ? { crm: 'amocrm', kind, id: String(id) } : undefined;
}

/** A CRM user id as amoCRM's number; a non-numeric id is left out rather than sent as `null`. */
function userId(id: string | undefined): number | undefined {
  const number = Number(id);
  return id !== undefined && id !== '' && Number.isSafeInteger(number) ? number : undefined;
}

function isClosed(lead: AmoLead): boolean {
  return AMO_CLOSED_STATUSES.includes(lead.status_id ?? 0) || (lead.closed_at ?? null) !== null;
}

function dealOf(lead: AmoLead, pipelines: Map<number, AmoPipeline>): CrmDeal {
  const pipeline = lead.pipeline_id !== undefined ? pipelines.get(lead.pipeline_id) : undefined;
  const stage = pipeline?._embedded?.statuses?.find((status) => status.id === lead.status_id);
  return {
    ref: { crm: 'amocrm', kind: 'lead', id: String(lead.id) },
    name: lead.name ?? '',
    pipeline: pipeline?.name,
    stage: stage?.name,
    price: lead.price,
  };
}
