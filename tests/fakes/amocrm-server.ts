import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A faithful stand-in for one amoCRM (Kommo) account's API v4 on 127.0.0.1, for tests of the real
 * adapter over real HTTP. It follows the facts the project keeps about the API: `application/hal+json`
 * bodies with `_embedded`, problem+json errors, unix-second times, 204 for empty results, the last 7
 * digits phone match of `query` (so a client must confirm matches itself), 429 above 7 requests per
 * second, 401 for an unknown or expired token, 400 validation errors, and "unknown number" coming back
 * in `errors[]` of `POST /api/v4/calls`, and notes on one record (`/api/v4/{entity}/{id}/notes`, 404 for
 * a record it does not have, call notes also in the event log), and new leads linked to their contacts
 * (`POST /api/v4/leads`). Every request is recorded for assertions.
 */

/** A request the fake received. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body, when there was one. */
  body: unknown;
  authorization: string | undefined;
  /** What the fake answered. */
  status: number;
  at: number;
}

interface PhoneValue {
  value: string;
  enum_code: string;
}

/** A seeded contact or company. */
export interface FakeRecord {
  id: number;
  name: string;
  phones: PhoneValue[];
  responsibleUserId: number;
  companyId?: number;
  leadIds: number[];
  createdAt: number;
  updatedAt: number;
}

/** A seeded lead. */
export interface FakeLead {
  id: number;
  name: string;
  price: number;
  pipelineId: number;
  statusId: number;
  responsibleUserId: number;
}

interface FakeNote {
  id: number;
  entity: string;
  entity_id: number;
  note_type: string;
  params: Record<string, unknown>;
  created_at: number;
  created_by: number;
}

interface FakeEvent {
  id: string;
  type: string;
  entity_id: number;
  entity_type: string;
  created_by: number;
  created_at: number;
  value_after: unknown[];
  value_before: unknown[];
}

/** The fake's mutable state: seed data plus everything written to it. */
export interface FakeAmoState {
  account: { id: number; name: string; subdomain: string; current_user_id: number; country: string; currency: string };
  users: Array<{ id: number; name: string; email: string }>;
  pipelines: Array<{ id: number; name: string; statuses: Array<{ id: number; name: string }> }>;
  contacts: FakeRecord[];
  companies: FakeRecord[];
  leads: FakeLead[];
  notes: FakeNote[];
  events: FakeEvent[];
  calls: Array<Record<string, unknown> & { id: number }>;
  tasks: Array<Record<string, unknown> & { id: number }>;
  unsorted: Array<Record<string, unknown> & { uid: string }>;
}

/** Options of {@link startFakeAmoCrm}. */
export interface FakeAmoOptions {
  /** Access tokens accepted from the start (a long-lived token, or an OAuth access token). */
  tokens?: string[];
  /**
   * OAuth client the fake accepts on `/oauth2/access_token`, with refresh tokens it honours, the
   * integration's registered redirect URI (an authorization code is only traded with it) and how long
   * a code lives (amoCRM: 20 minutes).
   */
  oauth?: {
    clientId: string;
    clientSecret: string;
    refreshTokens: string[];
    redirectUri?: string;
    /** @defaultValue 20 minutes */
    codeLifetimeMs?: number;
  };
  /** The fake's clock for code expiry. @defaultValue `Date.now` */
  now?: () => number;
  /** Requests per second above which the fake answers 429. @defaultValue 7 */
  requestsPerSecond?: number;
  /**
   * Serve HTTPS with this key and certificate (PEM) instead of plain HTTP: the extension only ever
   * calls `https://<account>.amocrm.ru`, so an end-to-end test maps that host to this port.
   */
  tls?: { key: string; cert: string };
  /**
   * Loopback port to listen on. @defaultValue 0 (a free one). Firefox cannot map a host to another
   * port, so a Firefox scenario serves the account on 443 (inside the test's own network namespace).
   */
  port?: number;
}

/** A running fake. */
export interface FakeAmoCrm {
  /** `http://127.0.0.1:<port>` (`https://` with {@link FakeAmoOptions.tls}): the account's base URL. */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly state: FakeAmoState;
  /** Answers every API request with this 5xx status until called with `undefined`. */
  failWith(status: number | undefined): void;
  /** Makes a token unknown, as amoCRM does when it expires (the next request with it gets 401). */
  expireToken(token: string): void;
  /**
   * What amoCRM's consent page does when the user allows access: a fresh single-use authorization
   * code, which the redirect carries and `POST /oauth2/access_token` trades for tokens.
   */
  issueAuthCode(): string;
  /**
   * Stops listening (connections are refused) while keeping every record and the state, until
   * {@link FakeAmoCrm.comeBack}.
   */
  goDown(): Promise<void>;
  /** Listens again on the same port after {@link FakeAmoCrm.goDown}. */
  comeBack(): Promise<void>;
  /** Requests whose path starts with `prefix` (e.g. `/api/v4/calls`). */
  requestsTo(prefix: string, method?: string): RecordedRequest[];
  close(): Promise<void>;
}

const HAL = 'application/hal+json';
const PROBLEM = 'application/problem+json';
const WON = 142;
const LOST = 143;

/** A few Russian-speaking customers: two share the last 7 digits of their numbers on purpose. */
export function seedAmoState(): FakeAmoState {
  const t = 1_760_000_000;
  return {
    account: { id: 3100, name: 'Ромашка', subdomain: 'romashka', current_user_id: 501, country: 'RU', currency: 'RUB' },
    users: [
      { id: 501, name: 'Ольга Смирнова', email: 'olga@example.com' },
      { id: 502, name: 'Пётр Кузнецов', email: 'petr@example.com' },
    ],
    pipelines: [
      {
        id: 7001,
        name: 'Продажи',
        statuses: [
          { id: 8001, name: 'Первичный контакт' },
          { id: 8002, name: 'Переговоры' },
          { id: WON, name: 'Успешно реализовано' },
          { id: LOST, name: 'Закрыто и не реализовано' },
        ],
      },
    ],
    contacts: [
      {
        id: 403181,
        name: 'Иван Иванов',
        phones: [
          { value: '+7 (916) 123-45-67', enum_code: 'MOB' },
          { value: '8 495 765-43-21', enum_code: 'WORK' },
        ],
        responsibleUserId: 501,
        companyId: 40318188,
        leadIds: [9001, 9002],
        createdAt: t,
        updatedAt: t + 100,
      },
      {
        // Same last 7 digits as Иван's mobile, another country code: amoCRM's query finds both.
        id: 403182,
        name: 'Мария Петрова',
        phones: [{ value: '+380 50 123 45 67', enum_code: 'MOB' }],
        responsibleUserId: 502,
        leadIds: [],
        createdAt: t,
        updatedAt: t,
      },
      {
        // Shares Иван's office line: a number two people answer.
        id: 403183,
        name: 'Сергей Иванов',
        phones: [{ value: '84957654321', enum_code: 'WORK' }],
        responsibleUserId: 501,
        companyId: 40318188,
        leadIds: [],
        createdAt: t,
        updatedAt: t,
      },
    ],
    companies: [
      {
        id: 40318188,
        name: 'ООО «Вектор»',
        phones: [{ value: '+7 495 765-43-21', enum_code: 'WORK' }],
        responsibleUserId: 501,
        leadIds: [9001],
        createdAt: t,
        updatedAt: t,
      },
    ],
    leads: [
      { id: 9001, name: 'Поставка оборудования', price: 150000, pipelineId: 7001, statusId: 8002, responsibleUserId: 501 },
      { id: 9002, name: 'Старый заказ', price: 5000, pipelineId: 7001, statusId: WON, responsibleUserId: 501 },
    ],
    notes: [
      {
        id: 1,
        entity: 'contacts',
        entity_id: 403181,
        note_type: 'common',
        params: { text: 'Просил перезвонить после обеда' },
        created_at: t + 1000,
        created_by: 501,
      },
      {
        id: 2,
        entity: 'contacts',
        entity_id: 403181,
        note_type: 'call_in',
        params: { uniq: 'seed-1', duration: 65, source: 'PBX', phone: '+79161234567', call_status: 4 },
        created_at: t + 3000,
        created_by: 501,
      },
    ],
    events: [
      {
        id: '01seedcall',
        type: 'incoming_call',
        entity_id: 403181,
        entity_type: 'contact',
        created_by: 501,
        created_at: t + 3000,
        value_after: [{ note: { id: 2 } }],
        value_before: [],
      },
      {
        id: '01seedchat',
        type: 'incoming_chat_message',
        entity_id: 403181,
        entity_type: 'contact',
        created_by: 0,
        created_at: t + 5000,
        value_after: [{ message: { id: 'm1', origin: 'telegram' } }],
        value_before: [],
      },
    ],
    calls: [],
    tasks: [],
    unsorted: [],
  };
}

// No parameter properties: this file is also run by Node's type stripping (benchmarks).
class HttpProblem extends Error {
  readonly status: number;
  readonly problem: Record<string, unknown>;

  constructor(status: number, problem: Record<string, unknown>) {
    super(String(problem.detail ?? problem.title));
    this.status = status;
    this.problem = problem;
  }
}

function validationProblem(errors: Array<{ request_id: string; path: string; detail: string }>): HttpProblem {
  return new HttpProblem(400, {
    'validation-errors': errors.map((error) => ({
      request_id: error.request_id,
      errors: [{ code: 'NotSupportedChoice', path: error.path, detail: error.detail }],
    })),
    title: 'Bad Request',
    type: 'https://httpstatus.es/400',
    status: 400,
    detail: 'Request validation failed',
  });
}

function problem(status: number, title: string, detail: string): HttpProblem {
  return new HttpProblem(status, { title, type: `https://httpstatus.es/${status}`, status, detail });
}

const digits = (text: string): string => text.replace(/\D+/g, '');
const lastSeven = (text: string): string => digits(text).slice(-7);
const now = (): number => Math.floor(Date.now() / 1000);

/** Starts a fake amoCRM account on a random loopback port. */
export async function startFakeAmoCrm(options: FakeAmoOptions = {}): Promise<FakeAmoCrm> {
  const state = seedAmoState();
  const tokens = new Set(options.tokens ?? ['long-lived-token']);
  const refreshTokens = new Set(options.oauth?.refreshTokens ?? []);
  const limit = options.requestsPerSecond ?? 7;
  const requests: RecordedRequest[] = [];
  const admitted: number[] = [];
  let failure: number | undefined;
  let issued = 0;
  /** Authorization codes not yet traded, with when they expire (ms). */
  const authCodes = new Map<string, number>();
  const clock = options.now ?? Date.now;
  let nextId = 100_000;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body: undefined,
        authorization: req.headers.authorization,
        status: 0,
        at: Date.now(),
      };
      requests.push(record);
      try {
        record.body = text.length > 0 ? JSON.parse(text) : undefined;
        const answer = handle(req, record);
        send(res, record, answer.status, answer.body);
      } catch (error) {
        if (error instanceof HttpProblem) {
          if (error.status === 429) res.setHeader('Retry-After', '1');
          send(res, record, error.status, error.problem, PROBLEM);
        } else {
          send(res, record, 500, { title: 'Internal Server Error', status: 500, detail: String(error) }, PROBLEM);
        }
      }
    });
  };
  const server = options.tls ? createTlsServer(options.tls, onRequest) : createServer(onRequest);

  function send(res: ServerResponse, record: RecordedRequest, status: number, body: unknown, type = HAL): void {
    record.status = status;
    if (status === 204 || body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8` });
    res.end(JSON.stringify(body));
  }

  /** A sliding one-second window over admitted requests, as the account-wide limit behaves. */
  function admit(): void {
    const at = Date.now();
    while (admitted.length > 0 && (admitted[0] ?? 0) <= at - 1000) admitted.shift();
    if (admitted.length >= limit) throw problem(429, 'Too Many Requests', 'Too many requests');
    admitted.push(at);
  }

  function authorize(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!tokens.has(token)) throw problem(401, 'Unauthorized', 'Authorization failed');
  }

  function handle(req: IncomingMessage, record: RecordedRequest): { status: number; body?: unknown } {
    admit();
    if (failure !== undefined) throw problem(failure, 'Server Error', 'The account is unavailable');
    const { method, path, query, body } = record;
    if (method === 'POST' && path === '/oauth2/access_token') return oauth(body);
    authorize(req);
    const api = path.replace(/^\/api\/v4/, '');
    if (method === 'GET' && api === '/account') return ok(state.account);
    if (method === 'GET' && api === '/users') return list('users', state.users);
    if (method === 'GET' && api === '/leads/pipelines') {
      return list(
        'pipelines',
        state.pipelines.map((pipeline) => ({
          id: pipeline.id,
          name: pipeline.name,
          _embedded: { statuses: pipeline.statuses.map((status) => ({ ...status, pipeline_id: pipeline.id })) },
        })),
      );
    }
    if (method === 'GET' && (api === '/contacts' || api === '/companies')) {
      const kind = api === '/contacts' ? 'contacts' : 'companies';
      return list(kind, search(state[kind], query).map((entity) => recordJson(kind, entity, query)));
    }
    const single = /^\/(contacts|companies)\/(\d+)$/.exec(api);
    if (method === 'GET' && single) {
      const kind = single[1] as 'contacts' | 'companies';
      const entity = state[kind].find((candidate) => candidate.id === Number(single[2]));
      if (!entity) throw problem(404, 'Not Found', 'Entity not found');
      return ok(recordJson(kind, entity, query));
    }
    if (method === 'GET' && api === '/leads') {
      const ids = query.getAll('filter[id][]').map(Number);
      const leads = ids.length > 0 ? state.leads.filter((lead) => ids.includes(lead.id)) : state.leads;
      return list(
        'leads',
        leads.map((lead) => ({
          id: lead.id,
          name: lead.name,
          price: lead.price,
          pipeline_id: lead.pipelineId,
          status_id: lead.statusId,
          responsible_user_id: lead.responsibleUserId,
          closed_at: lead.statusId === WON || lead.statusId === LOST ? 1_760_000_500 : null,
        })),
      );
    }
    const notesOf = /^\/(contacts|companies|leads)\/(\d+)\/notes$/.exec(api);
    if (method === 'GET' && notesOf) {
      const entityId = Number(notesOf[2]);
      // `filter[note_type][]=call_in` (or the scalar form): only notes of those types.
      const types = [...query.getAll('filter[note_type][]'), ...query.getAll('filter[note_type]')];
      const byId = query.get('order[id]');
      const notes = state.notes
        .filter((note) => note.entity === notesOf[1] && note.entity_id === entityId)
        .filter((note) => types.length === 0 || types.includes(note.note_type))
        .sort((a, b) => (byId ? (byId === 'asc' ? a.id - b.id : b.id - a.id) : b.created_at - a.created_at))
        .slice(0, Number(query.get('limit') ?? 50));
      return list('notes', notes.map(({ entity: _entity, ...note }) => note));
    }
    const addNotes = /^\/(contacts|companies|leads|customers)\/notes$/.exec(api);
    if (method === 'POST' && addNotes) return createNotes(addNotes[1] ?? 'contacts', body);
    if (method === 'POST' && notesOf) return createNotesOn(notesOf[1] as 'contacts' | 'companies' | 'leads', Number(notesOf[2]), body);
    if (method === 'POST' && api === '/calls') return createCalls(body);
    if (method === 'GET' && api === '/tasks') return listTasks(query);
    if (method === 'POST' && api === '/tasks') return createTasks(body);
    if (method === 'POST' && api === '/contacts') return createContacts(body);
    if (method === 'POST' && api === '/leads') return createLeads(body);
    if (method === 'POST' && api === '/companies') return createCompanies(body);
    const oneTask = /^\/tasks\/(\d+)$/.exec(api);
    if (method === 'PATCH' && oneTask) return updateTasks([{ ...(body as Record<string, unknown>), id: Number(oneTask[1]) }]);
    if (method === 'PATCH' && api === '/tasks') return updateTasks(body);
    if (method === 'GET' && api === '/events') return events(query);
    if (method === 'POST' && api === '/leads/unsorted/sip') return createUnsorted(body);
    throw problem(404, 'Not Found', `No route ${method} ${path}`);
  }

  function ok(body: unknown): { status: number; body: unknown } {
    return { status: 200, body };
  }

  function list(key: string, items: unknown[]): { status: number; body?: unknown } {
    if (items.length === 0) return { status: 204 };
    return { status: 200, body: { _page: 1, _links: { self: { href: '/' } }, _embedded: { [key]: items } } };
  }

  function search(records: FakeRecord[], query: URLSearchParams): FakeRecord[] {
    const ids = query.getAll('filter[id][]').map(Number);
    if (ids.length > 0) return records.filter((entity) => ids.includes(entity.id));
    const text = query.get('query');
    if (text === null) return records;
    // amoCRM compares phones on their last 7 digits; a short or wordy query matches names.
    if (digits(text).length >= 7) {
      const tail = lastSeven(text);
      return records.filter((entity) => entity.phones.some((phone) => lastSeven(phone.value) === tail));
    }
    return records.filter((entity) => entity.name.toLowerCase().includes(text.toLowerCase()));
  }

  function recordJson(kind: 'contacts' | 'companies', entity: FakeRecord, query: URLSearchParams): unknown {
    const withLeads = (query.get('with') ?? '').split(',').includes('leads');
    return {
      id: entity.id,
      name: entity.name,
      responsible_user_id: entity.responsibleUserId,
      created_at: entity.createdAt,
      updated_at: entity.updatedAt,
      custom_fields_values: [
        { field_id: 1, field_name: 'Телефон', field_code: 'PHONE', field_type: 'multitext', values: entity.phones },
      ],
      _links: { self: { href: `/api/v4/${kind}/${entity.id}` } },
      _embedded: {
        tags: [],
        ...(kind === 'contacts' ? { companies: entity.companyId ? [{ id: entity.companyId }] : [] } : {}),
        ...(withLeads ? { leads: entity.leadIds.map((id) => ({ id })) } : {}),
      },
    };
  }

  function asArray(body: unknown): Array<Record<string, unknown>> {
    if (!Array.isArray(body) || body.length === 0) {
      throw validationProblem([{ request_id: '0', path: '', detail: 'The body must be a non-empty array' }]);
    }
    return body as Array<Record<string, unknown>>;
  }

  function requireFields(item: Record<string, unknown>, index: number, fields: string[]): void {
    const missing = fields.filter((field) => item[field] === undefined || item[field] === '');
    if (missing.length > 0) {
      throw validationProblem(
        missing.map((field) => ({ request_id: String(index), path: field, detail: 'This field is missing.' })),
      );
    }
  }

  function createCalls(body: unknown): { status: number; body: unknown } {
    const items = asArray(body);
    const calls: unknown[] = [];
    const errors: unknown[] = [];
    items.forEach((item, index) => {
      requireFields(item, index, ['direction', 'duration', 'source', 'phone']);
      if (item.direction !== 'inbound' && item.direction !== 'outbound') {
        throw validationProblem([{ request_id: String(index), path: 'direction', detail: 'Unknown direction' }]);
      }
      const requestId = String(item.request_id ?? index);
      const tail = lastSeven(String(item.phone));
      const contact = state.contacts.find((entity) => entity.phones.some((phone) => lastSeven(phone.value) === tail));
      const company = state.companies.find((entity) => entity.phones.some((phone) => lastSeven(phone.value) === tail));
      const owner = contact ?? company;
      if (!owner) {
        // amoCRM does not add a call for a number it does not know.
        errors.push({ request_id: requestId, title: 'Entity not found', detail: 'Entity with this phone not found' });
        return;
      }
      // amoCRM's placement: a record with exactly one active lead gets the call on that lead, else
      // the record itself (customers, the other case, are not modelled here).
      const activeLeads = owner.leadIds.filter((leadId) => {
        const lead = state.leads.find((candidate) => candidate.id === leadId);
        return lead !== undefined && lead.statusId !== WON && lead.statusId !== LOST;
      });
      const onLead = activeLeads.length === 1 ? activeLeads[0] : undefined;
      const entityType = onLead !== undefined ? 'lead' : contact ? 'contact' : 'company';
      const entityId = onLead ?? owner.id;
      const id = ++nextId;
      state.calls.push({ ...item, id, entity_id: entityId, entity_type: entityType });
      const created = Number(item.created_at ?? now());
      state.notes.push({
        id,
        entity: `${entityType === 'company' ? 'companie' : entityType}s`,
        entity_id: entityId,
        note_type: item.direction === 'inbound' ? 'call_in' : 'call_out',
        params: { uniq: item.uniq, duration: item.duration, source: item.source, phone: item.phone, link: item.link, call_status: item.call_status, call_result: item.call_result },
        created_at: created,
        created_by: state.account.current_user_id,
      });
      state.events.push({
        id: `01call${id}`,
        type: item.direction === 'inbound' ? 'incoming_call' : 'outgoing_call',
        entity_id: entityId,
        entity_type: entityType,
        created_by: state.account.current_user_id,
        created_at: created,
        value_after: [{ note: { id } }],
        value_before: [],
      });
      calls.push({ id, entity_id: entityId, entity_type: entityType, request_id: requestId });
    });
    return { status: 200, body: { _total_items: calls.length, errors, _embedded: { calls } } };
  }

  function createNotes(entity: string, body: unknown): { status: number; body: unknown } {
    const items = asArray(body);
    const created = items.map((item, index) => {
      requireFields(item, index, ['entity_id', 'note_type']);
      const id = ++nextId;
      state.notes.push({
        id,
        entity,
        entity_id: Number(item.entity_id),
        note_type: String(item.note_type),
        params: (item.params as Record<string, unknown>) ?? {},
        created_at: Number(item.created_at ?? now()),
        created_by: state.account.current_user_id,
      });
      return { id, entity_id: Number(item.entity_id), request_id: String(item.request_id ?? index) };
    });
    return { status: 200, body: { _embedded: { notes: created } } };
  }

  /**
   * `POST /api/v4/{entity}/{id}/notes`: notes on one record (the items need no `entity_id`). A call
   * note (`call_in`/`call_out`) also shows in the record's event log as a call, pointing at the note,
   * as amoCRM's own call notes do. A record that does not exist answers 404.
   */
  function createNotesOn(entity: 'contacts' | 'companies' | 'leads', entityId: number, body: unknown): { status: number; body: unknown } {
    const known = entity === 'leads' ? state.leads : state[entity];
    if (!known.some((record) => record.id === entityId)) throw problem(404, 'Not Found', `No ${entity} ${entityId}`);
    const items = asArray(body);
    const created = items.map((item, index) => {
      requireFields(item, index, ['note_type']);
      const id = ++nextId;
      const noteType = String(item.note_type);
      const createdAt = Number(item.created_at ?? now());
      state.notes.push({
        id,
        entity,
        entity_id: entityId,
        note_type: noteType,
        params: (item.params as Record<string, unknown>) ?? {},
        created_at: createdAt,
        created_by: state.account.current_user_id,
      });
      if (noteType === 'call_in' || noteType === 'call_out') {
        state.events.push({
          id: `01note${id}`,
          type: noteType === 'call_in' ? 'incoming_call' : 'outgoing_call',
          entity_id: entityId,
          entity_type: entity === 'companies' ? 'company' : entity.slice(0, -1),
          created_by: state.account.current_user_id,
          created_at: createdAt,
          value_after: [{ note: { id } }],
          value_before: [],
        });
      }
      return { id, entity_id: entityId, request_id: String(item.request_id ?? index) };
    });
    return { status: 200, body: { _embedded: { notes: created } } };
  }

  /**
   * `GET /api/v4/tasks`, by `filter[entity_type]`, `filter[entity_id][]` (or the scalar form) and
   * `filter[is_completed]` (`0`/`1`); 204 when none match, as amoCRM answers an empty list.
   */
  function listTasks(query: URLSearchParams): { status: number; body?: unknown } {
    const entityType = query.get('filter[entity_type]');
    const ids = [...query.getAll('filter[entity_id][]'), ...query.getAll('filter[entity_id]')].map(Number);
    const completed = query.get('filter[is_completed]');
    const tasks = state.tasks
      .filter((task) => entityType === null || task.entity_type === entityType)
      .filter((task) => ids.length === 0 || ids.includes(Number(task.entity_id)))
      .filter((task) => completed === null || (task.is_completed === true) === (completed === '1'))
      .slice(0, Math.min(250, Number(query.get('limit') ?? 50)));
    return list(
      'tasks',
      tasks.map((task) => ({ ...task, is_completed: task.is_completed === true })),
    );
  }

  function createTasks(body: unknown): { status: number; body: unknown } {
    const items = asArray(body);
    const created = items.map((item, index) => {
      requireFields(item, index, ['text', 'complete_till']);
      const id = ++nextId;
      state.tasks.push({ ...item, id });
      return { id, request_id: String(item.request_id ?? index) };
    });
    return { status: 200, body: { _embedded: { tasks: created } } };
  }

  /**
   * `POST /api/v4/contacts`: a contact with the `PHONE` values given by `field_code` (or `field_id`
   * 1), linked to the company in `_embedded.companies[0]` (400 when there is no such company); from
   * then on lookups and `POST /api/v4/calls` find its number.
   */
  function createContacts(body: unknown): { status: number; body: unknown } {
    const items = asArray(body);
    const companyIds = items.map((item, index) => {
      const linked = (item._embedded as { companies?: Array<{ id?: unknown }> } | undefined)?.companies?.[0]?.id;
      if (linked === undefined) return undefined;
      if (!state.companies.some((company) => company.id === linked)) {
        throw validationProblem([{ request_id: String(item.request_id ?? index), path: '_embedded.companies.0.id', detail: 'Company not found' }]);
      }
      return Number(linked);
    });
    const created = items.map((item, index) => {
      requireFields(item, index, ['name']);
      const fields = Array.isArray(item.custom_fields_values) ? (item.custom_fields_values as Array<Record<string, unknown>>) : [];
      const phones = fields
        .filter((field) => field.field_code === 'PHONE' || field.field_id === 1)
        .flatMap((field) => (Array.isArray(field.values) ? (field.values as Array<Record<string, unknown>>) : []))
        .map((value) => ({ value: String(value.value ?? ''), enum_code: String(value.enum_code ?? 'WORK') }));
      const id = ++nextId;
      state.contacts.push({
        id,
        name: String(item.name),
        phones,
        responsibleUserId: Number(item.responsible_user_id ?? state.account.current_user_id),
        ...(companyIds[index] !== undefined ? { companyId: companyIds[index] } : {}),
        leadIds: [],
        createdAt: now(),
        updatedAt: now(),
      });
      return { id, request_id: String(item.request_id ?? index), _links: { self: { href: `/api/v4/contacts/${id}` } } };
    });
    return { status: 200, body: { _embedded: { contacts: created } } };
  }

  /** `POST /api/v4/companies`: a company by `name` (required), without phones or leads yet. */
  function createCompanies(body: unknown): { status: number; body: unknown } {
    const items = asArray(body);
    items.forEach((item, index) => requireFields(item, index, ['name']));
    const created = items.map((item, index) => {
      const id = ++nextId;
      state.companies.push({
        id,
        name: String(item.name),
        phones: [],
        responsibleUserId: Number(item.responsible_user_id ?? state.account.current_user_id),
        leadIds: [],
        createdAt: now(),
        updatedAt: now(),
      });
      return { id, request_id: String(item.request_id ?? index), _links: { self: { href: `/api/v4/companies/${id}` } } };
    });
    return { status: 200, body: { _embedded: { companies: created } } };
  }

  /**
   * `POST /api/v4/leads`: each item's `name` (a string when given; amoCRM names a nameless lead
   * itself), optional integer `price`, `pipeline_id`/`status_id` of a stage that exists (else the
   * main pipeline's first stage), and `_embedded.contacts[{id}]` of contacts that exist, which the
   * lead is linked to: a later lookup by phone (`with=leads`) returns the contact with the lead in
   * `_embedded.leads`. The whole batch is checked before anything is stored, as a 400 stores nothing.
   */
  function createLeads(body: unknown): { status: number; body: unknown } {
    const items = asArray(body);
    const checked = items.map((item, index) => {
      const requestId = String(item.request_id ?? index);
      const refuse = (path: string, detail: string) => validationProblem([{ request_id: requestId, path, detail }]);
      if (item.name !== undefined && typeof item.name !== 'string') throw refuse('name', 'This value should be of type string.');
      if (item.price !== undefined && !Number.isSafeInteger(item.price)) throw refuse('price', 'This value should be of type int.');
      const pipeline =
        item.pipeline_id === undefined ? state.pipelines[0] : state.pipelines.find((candidate) => candidate.id === item.pipeline_id);
      if (!pipeline) throw refuse('pipeline_id', 'Pipeline not found');
      const statusId = item.status_id === undefined ? pipeline.statuses[0]?.id : Number(item.status_id);
      if (statusId === undefined || !pipeline.statuses.some((status) => status.id === statusId)) {
        throw refuse('status_id', 'Status not found in the pipeline');
      }
      const embedded = item._embedded;
      if (embedded !== undefined && (typeof embedded !== 'object' || embedded === null)) {
        throw refuse('_embedded', 'This value should be of type object.');
      }
      const linked = (embedded as { contacts?: unknown } | undefined)?.contacts ?? [];
      if (!Array.isArray(linked)) throw refuse('_embedded.contacts', 'This value should be of type array.');
      const contacts = linked.map((link: unknown, at) => {
        const id = (link as { id?: unknown } | null)?.id;
        const contact = state.contacts.find((candidate) => candidate.id === id);
        if (!contact) throw refuse(`_embedded.contacts.${at}.id`, 'Contact not found');
        return contact;
      });
      return { item, requestId, pipelineId: pipeline.id, statusId, contacts };
    });
    const created = checked.map(({ item, requestId, pipelineId, statusId, contacts }) => {
      const id = ++nextId;
      state.leads.push({
        id,
        name: typeof item.name === 'string' && item.name !== '' ? item.name : `Сделка #${id}`,
        price: Number(item.price ?? 0),
        pipelineId,
        statusId,
        responsibleUserId: Number(item.responsible_user_id ?? state.account.current_user_id),
      });
      for (const contact of contacts) {
        contact.leadIds.push(id);
        contact.updatedAt = now();
      }
      return { id, request_id: requestId, _links: { self: { href: `/api/v4/leads/${id}` } } };
    });
    return { status: 200, body: { _links: { self: { href: '/api/v4/leads' } }, _embedded: { leads: created } } };
  }

  /** `PATCH` of tasks (`is_completed`, `result`, …): every item must name a task that exists. */
  function updateTasks(body: unknown): { status: number; body: unknown } {
    const items = asArray(body);
    const updated = items.map((item, index) => {
      requireFields(item, index, ['id']);
      const task = state.tasks.find((candidate) => candidate.id === Number(item.id));
      if (!task) throw problem(404, 'Not Found', `No task ${String(item.id)}`);
      Object.assign(task, item, { id: task.id, updated_at: now() });
      return { id: task.id, updated_at: now(), request_id: String(item.request_id ?? index) };
    });
    return { status: 200, body: { _embedded: { tasks: updated } } };
  }

  function createUnsorted(body: unknown): { status: number; body: unknown } {
    const items = asArray(body);
    const created = items.map((item, index) => {
      requireFields(item, index, ['source_name', 'source_uid', 'metadata']);
      const metadata = item.metadata as Record<string, unknown>;
      if (typeof metadata.from !== 'string' || metadata.from === '') {
        throw validationProblem([{ request_id: String(index), path: 'metadata.from', detail: 'This field is missing.' }]);
      }
      const uid = `unsorted-${++nextId}`;
      const leadId = ++nextId;
      const contactId = ++nextId;
      state.unsorted.push({ ...item, uid });
      return { uid, _embedded: { leads: [{ id: leadId }], contacts: [{ id: contactId }] } };
    });
    return { status: 200, body: { _total_items: created.length, _embedded: { unsorted: created } } };
  }

  function events(query: URLSearchParams): { status: number; body?: unknown } {
    // The entity filter is documented both singular and plural; accept either.
    const entity = (query.get('filter[entity]') ?? query.get('filter[entity][]') ?? '').replace(/s$/, '').replace(/ie$/, 'y');
    const ids = [...query.getAll('filter[entity_id]'), ...query.getAll('filter[entity_id][]')].map(Number);
    const types = (query.get('filter[type]') ?? '').split(',').filter(Boolean);
    const found = state.events
      .filter((event) => entity === '' || event.entity_type === entity)
      .filter((event) => ids.length === 0 || ids.includes(event.entity_id))
      .filter((event) => types.length === 0 || types.includes(event.type))
      .sort((a, b) => b.created_at - a.created_at)
      .slice(0, Math.min(Number(query.get('limit') ?? 100), 100));
    return list('events', found);
  }

  /** amoCRM's OAuth server (league/oauth2-server) words its refusals as problem JSON with a hint. */
  function oauthProblem(status: number, detail: string, hint: string): HttpProblem {
    return new HttpProblem(status, {
      hint,
      title: status === 401 ? 'Unauthorized' : 'Bad Request',
      type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
      status,
      detail,
    });
  }

  function oauth(body: unknown): { status: number; body: unknown } {
    const request = (body ?? {}) as Record<string, unknown>;
    const client = options.oauth;
    // The client is authenticated before the grant is looked at (RFC 6749 §5.2: invalid_client, 401).
    if (!client || request.client_id !== client.clientId || request.client_secret !== client.clientSecret) {
      throw problem(401, 'Unauthorized', 'Client authentication failed');
    }
    if (request.grant_type === 'authorization_code') {
      if (client.redirectUri !== undefined && request.redirect_uri !== client.redirectUri) {
        throw oauthProblem(400, 'invalid_request', 'Redirect URI does not match the integration');
      }
      const code = String(request.code ?? '');
      const expiresAt = authCodes.get(code);
      if (expiresAt === undefined) throw oauthProblem(400, 'invalid_grant', 'Authorization code has been revoked');
      // Single-use: a code is spent by its first exchange, and an expired one is gone too.
      authCodes.delete(code);
      if (expiresAt <= clock()) throw oauthProblem(400, 'invalid_grant', 'Authorization code has expired');
      return issueTokens();
    }
    if (request.grant_type !== 'refresh_token' || !refreshTokens.has(String(request.refresh_token))) {
      throw problem(400, 'Bad Request', 'Refresh token is invalid');
    }
    // A refresh token is single-use: the answer carries the next one.
    refreshTokens.delete(String(request.refresh_token));
    return issueTokens();
  }

  function issueTokens(): { status: number; body: unknown } {
    issued += 1;
    const accessToken = `access-${issued}`;
    const refreshToken = `refresh-${issued}`;
    tokens.add(accessToken);
    refreshTokens.add(refreshToken);
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: 86_400, access_token: accessToken, refresh_token: refreshToken },
    };
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    baseUrl: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    state,
    failWith: (status) => {
      failure = status;
    },
    expireToken: (token) => {
      tokens.delete(token);
    },
    issueAuthCode: () => {
      const code = `def50200-code-${authCodes.size + 1}-${Math.random().toString(36).slice(2, 10)}`;
      authCodes.set(code, clock() + (options.oauth?.codeLifetimeMs ?? 20 * 60_000));
      return code;
    },
    requestsTo: (prefix, method) =>
      requests.filter((request) => request.path.startsWith(prefix) && (method === undefined || request.method === method)),
    goDown: close,
    comeBack: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => (server.listening ? close() : Promise.resolve()),
  };
}
