import { signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCrmTimelineService } from '@/lib/background/crm-timeline-service';
import { createAmoCrmAdapter } from '@/lib/crm/amocrm/create-amocrm-adapter';
import type { CrmAdapter, CrmMatch } from '@/lib/crm/crm-adapter';
import type { CrmTimeline } from '@/lib/crm/crm-timeline-schema';
import type { HistoryRow } from '@/lib/history/history-row';
import { createLocalClock } from '@/lib/history/local-clock';
import { setLocale } from '@/lib/i18n/i18n';
import { HistoryModel, type HistoryClient } from '@/lib/panel/history-model';
import { setLogLevel } from '@/lib/util/logger';
import { startFakeAmoCrm, type FakeAmoCrm } from '../fakes/amocrm-server';

/**
 * Иван Иванов calls; the agent opens his number's timeline in the panel. Below the calls this
 * browser knows, the panel shows his record in amoCRM — the chat message, the call, the note —
 * worded in the agent's language, not as amoCRM's type names.
 */

const IVAN = '+79161234567';
const IVAN_OFFICE = '+74957654321';

describe('createCrmTimelineService (background)', () => {
  let fake: FakeAmoCrm;
  let adapter: CrmAdapter;
  const lookup = {
    lookupCaller: async (number: string) => {
      const matches: CrmMatch[] = await adapter.lookupByPhone(number);
      return { numberKey: number, matches, chosen: undefined as string | undefined, refreshed: Promise.resolve(undefined) };
    },
  };

  beforeEach(async () => {
    fake = await startFakeAmoCrm();
    adapter = createAmoCrmAdapter({ host: fake.baseUrl, auth: { type: 'token', token: 'long-lived-token' }, region: 'RU' });
  });
  afterEach(async () => {
    await fake.close();
  });

  it("a number with one record: that record's notes and events, newest first", async () => {
    const service = createCrmTimelineService({ adapter: async () => adapter, lookup });
    const { items } = await service.getCrmTimeline({ numberKey: IVAN });
    expect(items.map((item) => [item.what, item.direction, item.text])).toEqual([
      ['chat-message', 'inbound', 'telegram'],
      ['call', 'inbound', IVAN],
      ['note', undefined, 'Просил перезвонить после обеда'],
    ]);
  });

  it('a number two records share, none chosen yet: nothing (the agent picks the record first)', async () => {
    const service = createCrmTimelineService({ adapter: async () => adapter, lookup });
    expect(await service.getCrmTimeline({ numberKey: IVAN_OFFICE })).toEqual({ items: [] });
  });

  it('the record the agent chose for a shared number', async () => {
    const service = createCrmTimelineService({
      adapter: async () => adapter,
      lookup: {
        lookupCaller: async (number) => ({ ...(await lookup.lookupCaller(number)), chosen: 'amocrm:contact:403183' }),
      },
    });
    await service.getCrmTimeline({ numberKey: IVAN_OFFICE });
    expect(fake.requestsTo('/api/v4/contacts/403183/notes')).toHaveLength(1);
    expect(fake.requestsTo('/api/v4/contacts/403181/notes')).toHaveLength(0);
  });

  it('amoCRM down: unavailable, not an error', async () => {
    const service = createCrmTimelineService({ adapter: async () => adapter, lookup });
    fake.failWith(503);
    expect(await service.getCrmTimeline({ numberKey: IVAN })).toEqual({ items: [], unavailable: true });
  });

  it('no CRM connected (local contacts): nothing, and no lookup', async () => {
    let looked = false;
    const service = createCrmTimelineService({
      adapter: async () => ({ kind: 'local' }) as CrmAdapter,
      lookup: {
        lookupCaller: async (number) => {
          looked = true;
          return lookup.lookupCaller(number);
        },
      },
    });
    expect(await service.getCrmTimeline({ numberKey: IVAN })).toEqual({ items: [] });
    expect(looked).toBe(false);
  });
});

describe('HistoryModel: the CRM part of a timeline', () => {
  const T0 = Date.UTC(2025, 9, 9, 10, 0);
  const call: HistoryRow = {
    id: 'h-1',
    callId: 'c-1',
    numberKey: IVAN,
    direction: 'inbound',
    outcome: 'answered',
    remoteRaw: IVAN,
    remoteE164: IVAN,
    remoteName: 'Иван Иванов',
    startedAt: T0,
    answeredAt: T0 + 5000,
    endedAt: T0 + 70_000,
    talkSeconds: 65,
    noteCount: 0,
  };
  const crmAnswer: CrmTimeline = {
    items: [
      { id: 'event:1', at: T0 + 60_000, kind: 'chat', what: 'chat-message', direction: 'inbound', type: 'incoming_chat_message', text: 'telegram' },
      { id: 'event:2', at: T0 + 30_000, kind: 'event', what: 'lead-status-changed', type: 'lead_status_changed', text: '' },
      { id: 'event:3', at: T0, kind: 'event', what: 'other', type: 'lead_deleted', text: '' },
    ],
  };

  beforeEach(() => {
    fakeBrowser.reset();
    setLogLevel('error');
  });
  afterEach(() => {
    setLocale(undefined);
  });

  function model(getCrmTimeline?: HistoryClient['getCrmTimeline']) {
    const client = {
      getHistoryPage: async () => ({ rows: [call] }),
      getNumberTimeline: async () => ({ entries: [{ kind: 'call' as const, id: 'h-1', at: T0, call }] }),
      ...(getCrmTimeline ? { getCrmTimeline } : {}),
    } as unknown as HistoryClient;
    return new HistoryModel({ client, recent: signal([]), localClock: createLocalClock('UTC'), clock: () => T0 });
  }

  it.each([
    ['en', ['Chat message received', 'Lead stage changed', 'Other event (lead_deleted)']],
    ['ru', ['Входящее сообщение в чате', 'Изменён этап сделки', 'Другое событие (lead_deleted)']],
  ] as const)('the record’s items are worded (%s), with their time and content', async (locale, titles) => {
    setLocale(locale);
    const history = model(async () => crmAnswer);
    await history.reload();
    await history.openTimeline('h-1');
    const crm = history.timeline.value?.crm;
    expect(crm?.unavailable).toBe(false);
    expect(crm?.entries.map((entry) => entry.title)).toEqual(titles);
    expect(crm?.entries[0]).toMatchObject({ time: '2025-10-09 10:01', text: 'telegram', what: 'chat-message', direction: 'inbound' });
    // The local part is untouched.
    expect(history.timeline.value?.entries.map((entry) => entry.id)).toEqual(['h-1']);
  });

  it('a CRM that fails leaves the local part and says the CRM part could not be loaded', async () => {
    const history = model(async () => {
      throw new Error('no receiver');
    });
    await history.reload();
    await history.openTimeline('h-1');
    expect(history.timeline.value?.crm).toEqual({ entries: [], unavailable: true });
    expect(history.timeline.value?.entries).toHaveLength(1);
  });

  it('nothing in the CRM (or no CRM): no CRM part at all', async () => {
    for (const history of [model(async () => ({ items: [] })), model()]) {
      await history.reload();
      await history.openTimeline('h-1');
      expect(history.timeline.value?.crm).toBeUndefined();
    }
  });

  it('a refresh of the local part (a new message) keeps the CRM part without asking the CRM again', async () => {
    let asked = 0;
    const history = model(async () => {
      asked += 1;
      return crmAnswer;
    });
    await history.reload();
    await history.openTimeline('h-1');
    await history.refreshTimeline();
    expect(asked).toBe(1);
    expect(history.timeline.value?.crm?.entries).toHaveLength(3);
  });
});
