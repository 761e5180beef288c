import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AmoAuth, AmoTokenPair } from '@/lib/crm/amocrm/amo-auth';
import type { AmoCrmAdapter } from '@/lib/crm/amocrm/amocrm-adapter';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import { CrmError, type CrmCallLog } from '@/lib/crm/crm-adapter';
import { createLogger } from '@/lib/util/logger';
import { startFakeAmoCrm, type FakeAmoCrm } from '../fakes/amocrm-server';

const log = createLogger('crm-amocrm');
const TOKEN: AmoAuth = { type: 'token', token: 'long-lived-token' };

async function rejection(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(CrmError);
  return error as CrmError;
}

function call(overrides: Partial<CrmCallLog> = {}): CrmCallLog {
  return {
    callId: 'hist-42',
    direction: 'inbound',
    phone: '+79161234567',
    startedAt: Date.UTC(2026, 10, 27, 9, 30),
    durationSec: 83.4,
    status: 'answered',
    disposition: 'Интерес',
    ...overrides,
  };
}

describe('AmoCrmAdapter against the fake amoCRM account', () => {
  let fake: FakeAmoCrm;
  let adapter: AmoCrmAdapter;

  beforeEach(async () => {
    fake = await startFakeAmoCrm({ oauth: { clientId: 'app', clientSecret: 'secret', refreshTokens: ['refresh-0'] } });
    adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: TOKEN, region: 'RU' });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('Иван calls from his mobile: amoCRM also finds a Ukrainian number with the same last 7 digits, and only Иван is returned', async () => {
    const matches = await adapter.lookupByPhone('8 (916) 123-45-67');
    expect(matches.map((match) => match.card.name)).toEqual(['Иван Иванов']);
    expect(matches[0]?.matchedPhone).toBe('+79161234567');
    // The fake did answer both records: the filtering was ours.
    const query = fake.requestsTo('/api/v4/contacts', 'GET')[0];
    expect(query?.query.get('query')).toBe('79161234567');
    expect(query?.query.get('with')).toBe('leads');
  });

  it('the office line two people and their company answer: every confirmed record is returned, contacts first', async () => {
    const matches = await adapter.lookupByPhone('+7 495 765 43 21');
    expect(matches.map((match) => `${match.card.ref.kind}:${match.card.name}`)).toEqual([
      'contact:Иван Иванов',
      'contact:Сергей Иванов',
      'company:ООО «Вектор»',
    ]);
    expect(matches.every((match) => match.matchedPhone === '+74957654321')).toBe(true);
  });

  it('a number amoCRM does not know: 204 is an empty answer, not an error', async () => {
    expect(await adapter.lookupByPhone('+74991112233')).toEqual([]);
    expect(fake.requestsTo('/api/v4/contacts').map((request) => request.status)).toEqual([204]);
    expect(await adapter.lookupByPhone('anonymous')).toEqual([]);
  });

  it("Иван's card: company, responsible user by name, the open lead with pipeline and stage (the won one left out), last interaction, link", async () => {
    const card = await adapter.getCard({ crm: 'amocrm', kind: 'contact', id: '403181' });
    expect(card).toMatchObject({
      name: 'Иван Иванов',
      company: 'ООО «Вектор»',
      phones: ['+79161234567', '+74957654321'],
      responsibleUser: { id: '501', name: 'Ольга Смирнова' },
      openDeals: [
        { ref: { kind: 'lead', id: '9001' }, name: 'Поставка оборудования', pipeline: 'Продажи', stage: 'Переговоры', price: 150000 },
      ],
      url: `${fake.baseUrl}/contacts/detail/403181`,
    });
    // The chat message (t+5000) is newer than the call note (t+3000).
    expect(card.lastInteractionAt).toBe((1_760_000_000 + 5000) * 1000);
  });

  it('the timeline merges notes and events newest first, a call event and its note showing once', async () => {
    const timeline = await adapter.getTimeline({ crm: 'amocrm', kind: 'contact', id: '403181' }, 10);
    expect(timeline.map((item) => [item.kind, item.what, item.direction, item.text])).toEqual([
      ['chat', 'chat-message', 'inbound', 'telegram'],
      ['call', 'call', 'inbound', '+79161234567'],
      ['note', 'note', undefined, 'Просил перезвонить после обеда'],
    ]);
  });

  it('a known caller: the call is logged in one POST /api/v4/calls — direction, seconds, status, uniq, source, disposition and note', async () => {
    const result = await adapter.logCall(call({ note: 'Хочет счёт на 10 штук' }));
    const request = fake.requestsTo('/api/v4/calls', 'POST')[0];
    expect(request?.body).toEqual([
      {
        direction: 'inbound',
        uniq: 'hist-42',
        duration: 83,
        source: 'Softphone',
        phone: '+79161234567',
        call_status: 4,
        call_result: 'Интерес — Хочет счёт на 10 штук',
        created_at: Date.UTC(2026, 10, 27, 9, 30) / 1000,
        request_id: 'hist-42',
      },
    ]);
    // Иван has exactly one active lead, so amoCRM places the call on that lead.
    expect(fake.state.calls[0]).toMatchObject({ id: Number(result.externalId), entity_id: 9001, entity_type: 'lead' });
    expect(result.entity).toEqual({ crm: 'amocrm', kind: 'lead', id: '9001' });
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/v4/calls']);
    // amoCRM shows it on the lead's timeline, from its call note.
    const timeline = await adapter.getTimeline({ crm: 'amocrm', kind: 'lead', id: '9001' }, 1);
    expect(timeline[0]).toMatchObject({ kind: 'call', direction: 'inbound', text: 'Интерес — Хочет счёт на 10 штук' });
  });

  it.each([
    ['missed', 3],
    ['busy', 7],
    ['no-answer', 6],
    ['voicemail', 1],
  ] as const)('a %s call is logged with call_status %i', async (status, code) => {
    await adapter.logCall(call({ status, durationSec: 0 }));
    expect(fake.state.calls[0]).toMatchObject({ call_status: code, duration: 0 });
  });

  it('an unknown number: amoCRM answers it in errors[] and the adapter rejects with not-found; the inbox entry then takes it', async () => {
    const error = await rejection(adapter.logCall(call({ phone: '+74991112233' })));
    expect(error.kind).toBe('not-found');
    expect(error.retryable).toBe(false);
    expect(fake.state.calls).toEqual([]);

    const entry = await adapter.createInboxEntry(call({ phone: '+74991112233', line: '+74950000000' }));
    expect(entry.externalId).toMatch(/^unsorted-/);
    expect(entry.created?.map((ref) => ref.kind)).toEqual(['lead', 'contact']);
    const body = fake.requestsTo('/api/v4/leads/unsorted/sip', 'POST')[0]?.body as Array<Record<string, unknown>>;
    expect(body[0]).toMatchObject({
      source_name: 'Softphone',
      source_uid: 'hist-42',
      metadata: { from: '+74991112233', phone: '+74950000000', duration: 83, uniq: 'hist-42', is_call_event_needed: true },
      _embedded: { contacts: [{ name: '+74991112233' }] },
    });
  });

  it('a call tied to a record is written as a call note on that record', async () => {
    await adapter.logCall(call({ entity: { crm: 'amocrm', kind: 'lead', id: '9001' }, direction: 'outbound' }));
    const body = fake.requestsTo('/api/v4/leads/9001/notes', 'POST')[0]?.body;
    expect(body).toMatchObject([{ note_type: 'call_out', params: { uniq: 'hist-42', duration: 83, call_status: 4 } }]);
  });

  it('a callback task: task_type_id 1 (call), due in unix seconds, on the contact', async () => {
    const result = await adapter.createTask({
      key: 'callback:hist-42',
      entity: { crm: 'amocrm', kind: 'contact', id: '403181' },
      type: 'call',
      text: 'Перезвонить',
      dueAt: Date.UTC(2026, 10, 27, 10, 0),
      responsibleUserId: '501',
    });
    expect(fake.state.tasks).toEqual([
      {
        id: Number(result.externalId),
        task_type_id: 1,
        text: 'Перезвонить',
        complete_till: Date.UTC(2026, 10, 27, 10, 0) / 1000,
        entity_type: 'contacts',
        entity_id: 403181,
        responsible_user_id: 501,
        request_id: 'callback:hist-42',
      },
    ]);
  });

  it('the connection acts as the account user from /account + /users', async () => {
    expect(await adapter.currentUser()).toEqual({ id: '501', name: 'Ольга Смирнова' });
    expect(await adapter.connectionInfo()).toMatchObject({ accountName: 'Ромашка' });
  });

  it('an expired OAuth access token: 401, one refresh, the new pair stored, the request repeated once', async () => {
    const stored: AmoTokenPair[] = [];
    const oauth = createAmoCrmAdapter({
      host: fake.baseUrl,
      region: 'RU',
      auth: {
        type: 'oauth',
        clientId: 'app',
        clientSecret: 'secret',
        redirectUri: 'https://example.com/oauth',
        accessToken: 'revoked',
        refreshToken: 'refresh-0',
        expiresAt: Date.now() + 3_600_000,
      },
      onTokens: (pair) => {
        stored.push(pair);
      },
    });
    expect(await oauth.currentUser()).toEqual({ id: '501', name: 'Ольга Смирнова' });
    expect(fake.requests.map((request) => `${request.path} ${request.status}`)).toEqual([
      '/api/v4/account 401',
      '/oauth2/access_token 200',
      '/api/v4/account 200',
      '/api/v4/users 200',
    ]);
    expect(stored).toEqual([{ accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: expect.any(Number) }]);

    // The refreshed token expires too, and the refresh token was used up: auth, after one try.
    fake.expireToken('access-1');
    const secondOauth = createAmoCrmAdapter({
      host: fake.baseUrl,
      region: 'RU',
      auth: { type: 'oauth', clientId: 'app', clientSecret: 'secret', redirectUri: '', accessToken: 'access-1', refreshToken: 'refresh-0', expiresAt: Date.now() + 3_600_000 },
    });
    expect((await rejection(secondOauth.currentUser())).kind).toBe('auth');
  });

  it('a long-lived token amoCRM no longer accepts: auth, with no refresh attempted', async () => {
    fake.expireToken('long-lived-token');
    const error = await rejection(adapter.currentUser());
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(fake.requestsTo('/oauth2')).toEqual([]);
  });

  it('a burst of 20 lookups is paced under 7 requests/second: the fake never answers 429', async () => {
    const started = performance.now();
    const numbers = Array.from({ length: 20 }, (_, index) => `+7499111${String(index).padStart(4, '0')}`);
    const results = await Promise.all(numbers.map((number) => adapter.lookupByPhone(number)));
    const elapsed = performance.now() - started;
    log.info(`[crm-limiter] 20 lookups, ${fake.requests.length} requests in ${Math.round(elapsed)} ms`);
    expect(results.every((matches) => matches.length === 0)).toBe(true);
    expect(fake.requests.filter((request) => request.status === 429)).toEqual([]);
  }, 20_000);

  it('without the limiter the fake does answer 429, and the adapter words it as rate-limited with Retry-After', async () => {
    const { TokenBucket } = await import('@/lib/crm/amocrm/token-bucket');
    const unlimited = createAmoCrmAdapter({
      host: fake.baseUrl,
      auth: TOKEN,
      region: 'RU',
      limiter: new TokenBucket({ capacity: 1000, refillPerSecond: 1000 }),
    });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => unlimited.currentUser()));
    const errors = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as CrmError] : []));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 1000 });
    expect(errors[0]?.retryable).toBe(true);
  });

  it('amoCRM in trouble: 5xx is a retryable server error', async () => {
    fake.failWith(503);
    const error = await rejection(adapter.lookupByPhone('+79161234567'));
    expect(error).toMatchObject({ kind: 'server', status: 503 });
    expect(error.retryable).toBe(true);
  });

  it('a refused write: 400 problem+json is a validation error carrying the field', async () => {
    const error = await rejection(adapter.createTask({ key: 'k', entity: { crm: 'amocrm', kind: 'contact', id: '403181' }, type: 'call', text: '', dueAt: Date.now() }));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('text');
  });

  it('amoCRM unreachable: network error', async () => {
    const { baseUrl } = fake;
    await fake.close();
    const offline = createAmoCrmAdapter({ host: baseUrl, auth: TOKEN, region: 'RU' });
    const error = await rejection(offline.lookupByPhone('+79161234567'));
    expect(error.kind).toBe('network');
    expect(error.retryable).toBe(true);
    fake = await startFakeAmoCrm();
  });
});

describe('AmoCrmAdapter OAuth expiry', () => {
  it('an access token past its expiry is refreshed before the request, so amoCRM never sees it', async () => {
    const fake = await startFakeAmoCrm({ oauth: { clientId: 'app', clientSecret: 'secret', refreshTokens: ['refresh-0'] } });
    try {
      const stored: AmoTokenPair[] = [];
      const adapter = createAmoCrmAdapter({
        host: fake.baseUrl,
        region: 'RU',
        auth: { type: 'oauth', clientId: 'app', clientSecret: 'secret', redirectUri: '', accessToken: 'old', refreshToken: 'refresh-0', expiresAt: Date.now() - 1 },
        onTokens: (pair) => {
          stored.push(pair);
        },
      });
      await adapter.getTimeline({ crm: 'amocrm', kind: 'contact', id: '403181' }, 5);
      expect(fake.requests.map((request) => `${request.path} ${request.status}`)).toEqual([
        '/oauth2/access_token 200',
        '/api/v4/contacts/403181/notes 200',
        '/api/v4/events 200',
      ]);
      expect(fake.requests.slice(1).every((request) => request.authorization === 'Bearer access-1')).toBe(true);
      expect(stored.map((pair) => pair.refreshToken)).toEqual(['refresh-1']);
    } finally {
      await fake.close();
    }
  });
});
