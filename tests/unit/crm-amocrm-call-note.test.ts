import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCrmOutboxService, type CrmOutboxService } from '@/lib/background/crm-outbox-service';
import type { AmoCrmAdapter } from '@/lib/crm/amocrm/amocrm-adapter';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import { CrmError, type CrmAdapter, type CrmCallLog, type CrmEntityRef } from '@/lib/crm/crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import type { CallRecord } from '@/lib/db/call-record';
import { callLogOf } from '@/lib/history/crm-outbox';
import { startFakeAmoCrm, type FakeAmoCrm } from '../fakes/amocrm-server';
import { callRow, freshIndexedDb, openTestDb, T0 } from '../fixtures/db/test-db';

const IVAN = '+79161234567';
const LEAD: CrmEntityRef = { crm: 'amocrm', kind: 'lead', id: '9001' };
const IVAN_CONTACT: CrmEntityRef = { crm: 'amocrm', kind: 'contact', id: '403181' };

function call(overrides: Partial<CrmCallLog> = {}): CrmCallLog {
  return {
    callId: 'hist-42',
    direction: 'outbound',
    phone: IVAN,
    startedAt: Date.UTC(2026, 10, 27, 9, 30),
    durationSec: 83.4,
    status: 'answered',
    ...overrides,
  };
}

/**
 * The agent works on lead 9001 in amoCRM and calls Иван from its card: the call is logged on the
 * lead itself (a `call_out` note on `/leads/9001/notes`), not placed by amoCRM on Иван's contact.
 */
describe('AmoCrmAdapter: a call started on a card is a call note on that card', () => {
  let fake: FakeAmoCrm;
  let adapter: AmoCrmAdapter;

  beforeEach(async () => {
    fake = await startFakeAmoCrm();
    adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: { type: 'token', token: 'long-lived-token' }, region: 'RU' });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('POST /api/v4/leads/9001/notes with call_out and the documented params; amoCRM shows it as an outgoing call', async () => {
    const result = await adapter.logCall(call({ entity: LEAD, disposition: 'Интерес', note: 'Счёт отправлен' }));
    expect(fake.requestsTo('/api/v4/calls')).toEqual([]);
    const posts = fake.requestsTo('/api/v4/leads/9001/notes', 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toEqual([
      {
        note_type: 'call_out',
        created_at: Date.UTC(2026, 10, 27, 9, 30) / 1000,
        params: {
          uniq: 'hist-42',
          duration: 83,
          source: 'Softphone',
          phone: IVAN,
          call_status: 4,
          call_result: 'Интерес — Счёт отправлен',
        },
        request_id: 'hist-42',
      },
    ]);
    const note = fake.state.notes.find((n) => String(n.id) === result.externalId);
    expect(note).toMatchObject({ entity: 'leads', entity_id: 9001, note_type: 'call_out' });
    expect(fake.state.events.at(-1)).toMatchObject({ type: 'outgoing_call', entity_type: 'lead', entity_id: 9001 });
    // The lead's timeline now has the call, once.
    const timeline = await adapter.getTimeline(LEAD, 10);
    expect(timeline.filter((item) => item.kind === 'call')).toHaveLength(1);
  });

  it('an inbound call on a contact card is call_in on /contacts/{id}/notes', async () => {
    await adapter.logCall(call({ entity: IVAN_CONTACT, direction: 'inbound' }));
    expect(fake.requestsTo('/api/v4/contacts/403181/notes', 'POST')[0]?.body).toMatchObject([{ note_type: 'call_in' }]);
  });

  it('sent twice (the first answer was lost): amoCRM holds one note, and both answers name it', async () => {
    const first = await adapter.logCall(call({ entity: LEAD }));
    const second = await adapter.logCall(call({ entity: LEAD }));
    expect(second).toEqual(first);
    expect(fake.state.notes.filter((n) => n.params.uniq === 'hist-42')).toHaveLength(1);
    expect(fake.requestsTo('/api/v4/leads/9001/notes', 'POST')).toHaveLength(1);
    const lookups = fake.requestsTo('/api/v4/leads/9001/notes', 'GET');
    expect(lookups.map((request) => request.query.getAll('filter[note_type][]'))).toEqual([['call_out'], ['call_out']]);
    console.log(
      `[page-context] call note: first write ${fake.requests.length - lookups.length + 1} requests (GET by uniq + POST), repeat 1 (GET finds it)`,
    );
  });

  it('a card that is gone (deleted since the call) answers 404: not-found', async () => {
    const error = await adapter.logCall(call({ entity: { crm: 'amocrm', kind: 'lead', id: '12345' } })).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(CrmError);
    expect((error as CrmError).kind).toBe('not-found');
  });
});

describe('CRM outbox: calls started on a card', () => {
  let fake: FakeAmoCrm;
  let db: AppDb;
  let adapter: CrmAdapter;

  const service = (over: CrmAdapter = adapter): CrmOutboxService =>
    createCrmOutboxService({
      db,
      adapter: async () => over,
      connectionKey: async () => 'amocrm:t',
      pause: { getValue: async () => null, setValue: async () => undefined },
      scheduleWake: async () => undefined,
      clock: () => T0 + 3_600_000,
      random: () => 0.5,
    });

  const finished = (callId: string, crmEntity?: CrmEntityRef): CallRecord =>
    callRow({
      callId,
      numberKey: IVAN,
      direction: 'outbound',
      startedAt: T0,
      answeredAt: T0 + 3_000,
      endedAt: T0 + 63_000,
      crmState: 'pending',
      ...(crmEntity ? { crmEntity } : {}),
    });

  beforeEach(async () => {
    fake = await startFakeAmoCrm();
    db = openTestDb(freshIndexedDb());
    adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: { type: 'token', token: 'long-lived-token' }, region: 'RU' });
  });

  afterEach(async () => {
    db.close();
    await fake.close();
  });

  it('the history row hands its card to the write', () => {
    expect(callLogOf(finished('c1', LEAD), undefined).entity).toEqual(LEAD);
    expect(callLogOf(finished('c1'), undefined)).not.toHaveProperty('entity');
  });

  it('a call from lead 9001 is logged on the lead, once, even when the drain runs again', async () => {
    const row = finished('c1', LEAD);
    await db.calls.add(row);
    expect((await service().drain()).pending).toBe(0);
    // A repeat of the same write, as after a worker stop between amoCRM's answer and our bookkeeping.
    await db.calls.update(row.id, { crmState: 'pending' });
    expect((await service().drain()).pending).toBe(0);
    expect(fake.state.notes.filter((n) => n.params.uniq === row.id)).toEqual([
      expect.objectContaining({ entity: 'leads', entity_id: 9001, note_type: 'call_out' }),
    ]);
    expect(fake.state.calls).toEqual([]);
    const synced = await db.calls.get(row.id);
    expect(synced).toMatchObject({ crmState: 'synced' });
    expect(fake.state.notes.find((n) => n.params.uniq === row.id)?.id).toBe(Number(synced?.crmExternalId));
  });

  it('the card was deleted since: the call is placed by its number instead (POST /api/v4/calls)', async () => {
    const row = finished('c1', { crm: 'amocrm', kind: 'lead', id: '12345' });
    await db.calls.add(row);
    expect((await service().drain()).pending).toBe(0);
    expect(fake.state.calls.map((c) => c.uniq)).toEqual([row.id]);
    expect(fake.state.notes.filter((n) => n.params.uniq === row.id && n.entity === 'leads' && n.entity_id === 12345)).toEqual([]);
  });

  it('a card of another CRM (the user switched since) is not sent to this one', async () => {
    const row = finished('c1', { crm: 'local', kind: 'contact', id: 'x' });
    await db.calls.add(row);
    expect((await service().drain()).pending).toBe(0);
    expect(fake.state.calls.map((c) => c.uniq)).toEqual([row.id]);
  });
});
