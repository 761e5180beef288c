import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCallerLookup, type CallerLookup } from '@/lib/background/caller-lookup';
import { createCrmRecordService, creatableBy } from '@/lib/background/crm-record-service';
import type { AmoCrmAdapter } from '@/lib/crm/amocrm/amocrm-adapter';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import { CrmError, type CrmAdapter, type CrmErrorKind } from '@/lib/crm/crm-adapter';
import { createLocalCrmAdapter } from '@/lib/crm/local/local-crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import { createLogger } from '@/lib/util/logger';
import { startFakeAmoCrm, type FakeAmoCrm } from '../fakes/amocrm-server';
import { openTestDb } from '../fixtures/db/test-db';

const log = createLogger('crm-create');
const TOKEN = { type: 'token', token: 'long-lived-token' } as const;
const region = async () => 'RU';
/** A number the seeded account does not know (no record shares even its last 7 digits). */
const UNKNOWN = '+7 (903) 555-01-02';
const UNKNOWN_E164 = '+79035550102';

let fake: FakeAmoCrm;
let db: AppDb;

/** What the tests read of a fake's JSON answer: ids, request ids and problem fields. */
interface Answer {
  _embedded: { leads: Array<{ id: number; request_id: string }> };
  status: number;
  title: string;
  'validation-errors': Array<{ errors: Array<{ path: string }> }>;
}

async function post(path: string, body: unknown): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${fake.baseUrl}${path}`, {
    method: 'POST',
    headers: { Authorization: 'Bearer long-lived-token', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function backgroundWith(adapter: CrmAdapter): { lookup: CallerLookup; service: ReturnType<typeof createCrmRecordService> } {
  const lookup = createCallerLookup({ db, adapter: async () => adapter, region });
  return { lookup, service: createCrmRecordService({ adapter: async () => adapter, lookup, region }) };
}

beforeEach(async () => {
  fakeBrowser.reset();
  db = openTestDb();
  fake = await startFakeAmoCrm();
});

afterEach(async () => {
  await fake.close();
});

describe('fake amoCRM: POST /api/v4/leads', () => {
  it('creates a lead in the main pipeline’s first stage, linked to the contact, answering its id and request_id', async () => {
    const answer = await post('/api/v4/leads', [{ name: 'Звонок', _embedded: { contacts: [{ id: 403182 }] }, request_id: 'r1' }]);
    expect(answer.status).toBe(200);
    const lead = answer.body._embedded.leads[0];
    expect(lead).toMatchObject({ request_id: 'r1' });
    expect(fake.state.leads.find((candidate) => candidate.id === lead?.id)).toMatchObject({ name: 'Звонок', pipelineId: 7001, statusId: 8001 });
    const contact = await fetch(`${fake.baseUrl}/api/v4/contacts?query=380501234567&with=leads`, {
      headers: { Authorization: 'Bearer long-lived-token' },
    }).then((response) => response.json() as Promise<{ _embedded: { contacts: Array<{ id: number; _embedded: { leads: unknown } }> } }>);
    // The query also finds Иван (same last 7 digits); Мария is the one the lead was linked to.
    const maria = contact._embedded.contacts.find((candidate) => candidate.id === 403182);
    expect(maria?._embedded.leads).toEqual([{ id: lead?.id }]);
  });

  it.each([
    ['not an array', { name: 'x' }, ''],
    ['an empty array', [], ''],
    ['a name that is not a string', [{ name: 42 }], 'name'],
    ['a price that is not an integer', [{ name: 'x', price: '10' }], 'price'],
    ['an unknown contact', [{ name: 'x', _embedded: { contacts: [{ id: 1 }] } }], '_embedded.contacts.0.id'],
    ['a status outside the pipeline', [{ name: 'x', pipeline_id: 7001, status_id: 5 }], 'status_id'],
  ])('answers 400 problem JSON for %s, and stores nothing', async (_what, body, path) => {
    const leads = fake.state.leads.length;
    const answer = await post('/api/v4/leads', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(answer.body['validation-errors'][0]?.errors[0]?.path).toBe(path);
    expect(fake.state.leads).toHaveLength(leads);
  });
});

describe('fake amoCRM: POST /api/v4/contacts and /companies', () => {
  it('a contact linked to a company that does not exist is refused with 400, and nothing is stored', async () => {
    const contacts = fake.state.contacts.length;
    const answer = await post('/api/v4/contacts', [{ name: 'Анна', _embedded: { companies: [{ id: 5 }] } }]);
    expect(answer.status).toBe(400);
    expect(answer.body['validation-errors'][0]?.errors[0]?.path).toBe('_embedded.companies.0.id');
    expect(fake.state.contacts).toHaveLength(contacts);
  });

  it('a company needs a name', async () => {
    const answer = await post('/api/v4/companies', [{ name: '' }]);
    expect(answer.status).toBe(400);
    expect(answer.body['validation-errors'][0]?.errors[0]?.path).toBe('name');
  });
});

describe('AmoCrmAdapter.createLead', () => {
  it('posts the name with the contact embedded; the contact’s card then lists the lead as an open deal', async () => {
    const adapter: AmoCrmAdapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    const lead = await adapter.createLead('Звонок с +380501234567', { crm: 'amocrm', kind: 'contact', id: '403182' });
    expect(lead.entity).toEqual({ crm: 'amocrm', kind: 'lead', id: lead.externalId });
    expect(fake.requestsTo('/api/v4/leads', 'POST')[0]?.body).toEqual([
      { name: 'Звонок с +380501234567', _embedded: { contacts: [{ id: 403182 }] }, request_id: 'contact-403182' },
    ]);
    const card = await adapter.getCard({ crm: 'amocrm', kind: 'contact', id: '403182' });
    expect(card.openDeals).toEqual([
      { ref: lead.entity, name: 'Звонок с +380501234567', pipeline: 'Продажи', stage: 'Первичный контакт', price: 0 },
    ]);
  });

  it('a lead is hung on contacts only', async () => {
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    await expect(adapter.createLead('x', { crm: 'amocrm', kind: 'company', id: '40318188' })).rejects.toMatchObject({ kind: 'validation' });
    expect(fake.requestsTo('/api/v4/leads', 'POST')).toEqual([]);
  });
});

describe('createCrmRecordService (background) against the fake amoCRM account', () => {
  it('an unknown caller → Create contact: amoCRM gets the contact with the PHONE field, and the cached card shows it at once with its link', async () => {
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    const { lookup, service } = backgroundWith(adapter);
    expect(await service.creatable()).toEqual(['contact', 'lead']);
    const started = performance.now();
    const result = await service.createCrmRecord({ number: UNKNOWN, kind: 'contact', contactName: '  Анна Соколова ' });
    log.info(`[crm-create] contact created and card refreshed in ${Math.round(performance.now() - started)} ms, ${fake.requests.length} requests`);
    expect(result).toMatchObject({ ok: true, created: true, numberKey: UNKNOWN_E164 });
    const body = fake.requestsTo('/api/v4/contacts', 'POST')[0]?.body as Array<Record<string, unknown>>;
    expect(body[0]).toMatchObject({
      name: 'Анна Соколова',
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: UNKNOWN_E164, enum_code: 'WORK' }] }],
    });
    if (!result.ok) throw new Error('not created');
    const id = result.ref.id;
    expect(result.matches.map((match) => match.card)).toEqual([
      expect.objectContaining({ ref: { crm: 'amocrm', kind: 'contact', id }, name: 'Анна Соколова', url: `${fake.baseUrl}/contacts/detail/${id}` }),
    ]);
    // The next lookup (the ringing card, the timeline) answers from the cache without asking amoCRM.
    const requests = fake.requests.length;
    const cached = await lookup.lookupCaller(UNKNOWN);
    expect(cached.matches.map((match) => match.card.name)).toEqual(['Анна Соколова']);
    expect(await cached.refreshed).toBeUndefined();
    expect(fake.requests.length).toBe(requests);
  });

  it('Create lead: the contact, then the lead linked to it; a lookup by phone returns the contact with the lead open', async () => {
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    const { service } = backgroundWith(adapter);
    const result = await service.createCrmRecord({ number: UNKNOWN, kind: 'lead', contactName: 'Анна', leadName: 'Звонок с +79035550102' });
    if (!result.ok) throw new Error(`not created: ${result.problem}`);
    expect(result.created).toBe(true);
    expect(result.lead?.kind).toBe('lead');
    expect(fake.requestsTo('/api/v4/leads', 'POST')[0]?.body).toEqual([
      { name: 'Звонок с +79035550102', _embedded: { contacts: [{ id: Number(result.ref.id) }] }, request_id: `contact-${result.ref.id}` },
    ]);
    expect(result.matches[0]?.card.openDeals).toEqual([
      expect.objectContaining({ ref: result.lead, name: 'Звонок с +79035550102', stage: 'Первичный контакт' }),
    ]);
    const found = await adapter.lookupByPhone(UNKNOWN);
    expect(found.map((match) => [match.card.name, match.card.openDeals.map((deal) => deal.name)])).toEqual([
      ['Анна', ['Звонок с +79035550102']],
    ]);
  });

  it('with a company: an existing company of that name is linked (any case), a new name becomes a new company; the card shows it', async () => {
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    const { service } = backgroundWith(adapter);
    const known = await service.createCrmRecord({ number: UNKNOWN, kind: 'contact', contactName: 'Анна', company: ' ооо «вектор» ' });
    expect(fake.requestsTo('/api/v4/companies', 'POST')).toEqual([]);
    expect((fake.requestsTo('/api/v4/contacts', 'POST')[0]?.body as Array<Record<string, unknown>>)[0]?._embedded).toEqual({
      companies: [{ id: 40318188 }],
    });
    expect(known.ok && known.matches[0]?.card.company).toBe('ООО «Вектор»');
    const fresh = await service.createCrmRecord({ number: '+7 903 555-01-03', kind: 'lead', contactName: 'Олег', leadName: 'Звонок', company: 'Ромашка Плюс' });
    expect(fake.requestsTo('/api/v4/companies', 'POST').map((request) => request.body)).toEqual([[{ name: 'Ромашка Плюс', request_id: 'company' }]]);
    expect(fresh.ok && fresh.matches[0]?.card).toMatchObject({ name: 'Олег', company: 'Ромашка Плюс', openDeals: [{ name: 'Звонок' }] });
  });

  it('a double click: the second create while the first is under way is refused, and a repeat afterwards answers the same contact', async () => {
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    const { service } = backgroundWith(adapter);
    const request = { number: UNKNOWN, kind: 'contact' as const, contactName: 'Анна' };
    const [first, second] = await Promise.all([service.createCrmRecord(request), service.createCrmRecord(request)]);
    expect(first).toMatchObject({ ok: true, created: true });
    expect(second).toEqual({ ok: false, problem: 'in-progress' });
    const again = await service.createCrmRecord({ ...request, kind: 'lead', leadName: 'Звонок' });
    expect(again).toMatchObject({ ok: true, created: true, ref: first.ok ? first.ref : {} });
    const repeat = await service.createCrmRecord(request);
    expect(repeat).toMatchObject({ ok: true, created: false, ref: first.ok ? first.ref : {} });
    expect(fake.requestsTo('/api/v4/contacts', 'POST')).toHaveLength(1);
    expect(fake.requestsTo('/api/v4/leads', 'POST')).toHaveLength(1);
    expect(fake.state.contacts.filter((contact) => contact.name === 'Анна')).toHaveLength(1);
  });

  it('a number amoCRM knows by now (another agent added it): its record comes back and nothing is created', async () => {
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    const { service } = backgroundWith(adapter);
    const result = await service.createCrmRecord({ number: '+7 916 123-45-67', kind: 'lead', contactName: 'Кто-то', leadName: 'Звонок' });
    expect(result).toMatchObject({ ok: true, created: false, ref: { kind: 'contact', id: '403181' }, lead: { kind: 'lead', id: '9001' } });
    expect(fake.requestsTo('/api/v4/contacts', 'POST')).toEqual([]);
    expect(fake.requestsTo('/api/v4/leads', 'POST')).toEqual([]);
  });

  it('Create lead whose lead fails after its contact was made: says so, and the retry adds only the lead to that contact', async () => {
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    const failingLead: CrmAdapter = Object.assign(Object.create(adapter) as AmoCrmAdapter, {
      createLead: () => Promise.reject(new CrmError('server', 'amoCRM answered 502', 502)),
    });
    const first = await backgroundWith(failingLead).service.createCrmRecord({ number: UNKNOWN, kind: 'lead', contactName: 'Анна', leadName: 'Звонок' });
    expect(first).toEqual({ ok: false, problem: 'server', contactCreated: true });
    const retry = await backgroundWith(adapter).service.createCrmRecord({ number: UNKNOWN, kind: 'lead', contactName: 'Анна', leadName: 'Звонок' });
    expect(retry).toMatchObject({ ok: true, created: true });
    expect(fake.requestsTo('/api/v4/contacts', 'POST')).toHaveLength(1);
    expect(fake.state.leads.filter((lead) => lead.name === 'Звонок')).toHaveLength(1);
  });

  it('amoCRM down (503), the token expired (401), over the limit (429), unreachable: each a worded problem, nothing created', async () => {
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    const { service } = backgroundWith(adapter);
    const request = { number: UNKNOWN, kind: 'contact' as const, contactName: 'Анна' };
    fake.failWith(503);
    expect(await service.createCrmRecord(request)).toEqual({ ok: false, problem: 'server' });
    fake.failWith(undefined);
    fake.expireToken('long-lived-token');
    expect(await service.createCrmRecord(request)).toEqual({ ok: false, problem: 'auth' });
    const limited = await startFakeAmoCrm({ requestsPerSecond: 0 });
    try {
      const over = backgroundWith(createAmoCrmAdapter({ host: limited.baseUrl, auth: TOKEN, region: 'RU' })).service;
      expect(await over.createCrmRecord(request)).toEqual({ ok: false, problem: 'rate-limited', retryAfterMs: 1000 });
    } finally {
      await limited.close();
    }
    const gone = await startFakeAmoCrm();
    await gone.close();
    const unreachable = backgroundWith(createAmoCrmAdapter({ host: gone.baseUrl, auth: TOKEN, region: 'RU' })).service;
    expect(await unreachable.createCrmRecord(request)).toEqual({ ok: false, problem: 'network' });
    expect(fake.requestsTo('/api/v4/contacts', 'POST')).toEqual([]);
  });

  it.each<CrmErrorKind>(['forbidden', 'validation', 'not-found'])('a %s refusal of the contact comes back as that problem', async (kind) => {
    const adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
    const refusing: CrmAdapter = Object.assign(Object.create(adapter) as AmoCrmAdapter, {
      createContact: () => Promise.reject(new CrmError(kind, `refused: ${kind}`)),
    });
    expect(await backgroundWith(refusing).service.createCrmRecord({ number: UNKNOWN, kind: 'contact', contactName: 'Анна' })).toEqual({
      ok: false,
      problem: kind,
    });
  });

  it('refuses before asking amoCRM: a blank name, a blank lead name, a number that is not a phone number', async () => {
    const { service } = backgroundWith(createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' }));
    expect(await service.createCrmRecord({ number: UNKNOWN, kind: 'contact', contactName: '   ' })).toEqual({ ok: false, problem: 'no-name' });
    expect(await service.createCrmRecord({ number: UNKNOWN, kind: 'lead', contactName: 'Анна', leadName: ' ' })).toEqual({
      ok: false,
      problem: 'no-lead-name',
    });
    expect(await service.createCrmRecord({ number: 'sip:reception@pbx', kind: 'contact', contactName: 'Анна' })).toEqual({
      ok: false,
      problem: 'bad-number',
    });
    expect(fake.requests).toEqual([]);
  });

  it('with local contacts only, nothing is offered and a create is refused as no-crm', async () => {
    const local = createLocalCrmAdapter(db, region);
    expect(creatableBy(local)).toEqual([]);
    const { service } = backgroundWith(local);
    expect(await service.creatable()).toEqual([]);
    expect(await service.createCrmRecord({ number: UNKNOWN, kind: 'contact', contactName: 'Анна' })).toEqual({ ok: false, problem: 'no-crm' });
  });
});
