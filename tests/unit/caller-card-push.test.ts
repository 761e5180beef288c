import { describe, expect, it, vi } from 'vitest';
import { createCallerCardPush } from '@/lib/background/caller-card-push';
import type { CallerLookup, CallerLookupResult } from '@/lib/background/caller-lookup';
import type { CrmMatch } from '@/lib/crm/crm-adapter';
import type { PushedCallerCards } from '@/lib/crm/pushed-caller-cards';
import { CallState } from '@/lib/phone/call-state';
import { EMPTY_SNAPSHOT, type CallSnapshot, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';

const IVAN = '+79161234567';

function call(id: string, state: CallState, remoteNumber = IVAN): CallSnapshot {
  return { id, accountId: 'a', direction: 'inbound', remoteUri: `sip:${remoteNumber}@pbx`, remoteNumber, state, muted: false, startedAt: 0 };
}

const snapshot = (...calls: CallSnapshot[]): PhoneSnapshot => ({ ...EMPTY_SNAPSHOT, calls });

const match = (name: string): CrmMatch => ({
  card: { ref: { crm: 'amocrm', kind: 'contact', id: name }, name, phones: [IVAN], openDeals: [] },
  matchedPhone: IVAN,
});

/** A lookup whose cache answers `cached` at once and whose CRM refresh the test settles. */
function lookupWith(cached: CrmMatch[]) {
  let settle: (value: CallerLookupResult | undefined) => void = () => undefined;
  const refreshed = new Promise<CallerLookupResult | undefined>((resolve) => {
    settle = resolve;
  });
  const lookup: CallerLookup = {
    lookupCaller: vi.fn(async () => ({ numberKey: IVAN, matches: cached, refreshed })),
    chooseCaller: vi.fn(async () => undefined),
    refreshCaller: vi.fn(async () => ({ numberKey: IVAN, matches: cached })),
  };
  return { lookup, answerFromCrm: (matches: CrmMatch[]) => settle({ numberKey: IVAN, matches }) };
}

function memoryStore() {
  let value: PushedCallerCards = {};
  return {
    getValue: async () => value,
    setValue: vi.fn(async (next: PushedCallerCards) => {
      value = next;
    }),
    get value() {
      return value;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createCallerCardPush', () => {
  it('Иван rings: his cached card is stored before onSnapshot resolves, and the CRM’s newer card follows', async () => {
    const { lookup, answerFromCrm } = lookupWith([match('cached Иван')]);
    const store = memoryStore();
    const onRefreshed = vi.fn();
    let clock = 1000;
    const push = createCallerCardPush({ lookup, store, onRefreshed, now: () => clock });

    await push.onSnapshot(snapshot(call('c1', CallState.Incoming)));
    expect(store.value.c1).toMatchObject({ number: IVAN, numberKey: IVAN, at: 1000 });
    expect(store.value.c1?.matches.map((m) => m.card.name)).toEqual(['cached Иван']);

    clock = 1500;
    answerFromCrm([match('Иван Иванов')]);
    await settle();
    expect(store.value.c1?.matches.map((m) => m.card.name)).toEqual(['Иван Иванов']);
    expect(store.value.c1?.at).toBe(1500);
    expect(onRefreshed).toHaveBeenCalledWith(expect.objectContaining({ id: 'c1' }), expect.objectContaining({ numberKey: IVAN }));
  });

  it('asks once per call: later snapshots of the same ring (and of the answered call) do not look up again', async () => {
    const { lookup } = lookupWith([]);
    const push = createCallerCardPush({ lookup, store: memoryStore() });
    await push.onSnapshot(snapshot(call('c1', CallState.Incoming)));
    await push.onSnapshot(snapshot(call('c1', CallState.Incoming)));
    await push.onSnapshot(snapshot(call('c1', CallState.Established)));
    expect(lookup.lookupCaller).toHaveBeenCalledTimes(1);
  });

  it('an outgoing call is looked up when it starts dialling', async () => {
    const { lookup } = lookupWith([match('Иван')]);
    const store = memoryStore();
    const push = createCallerCardPush({ lookup, store });
    await push.onSnapshot(snapshot({ ...call('o1', CallState.Dialing), direction: 'outbound' }));
    expect(Object.keys(store.value)).toEqual(['o1']);
  });

  it('drops the card when the call is over, and a CRM answer arriving after that writes nothing', async () => {
    const { lookup, answerFromCrm } = lookupWith([]);
    const store = memoryStore();
    const onRefreshed = vi.fn();
    const push = createCallerCardPush({ lookup, store, onRefreshed });
    await push.onSnapshot(snapshot(call('c1', CallState.Incoming)));
    await push.onSnapshot(snapshot());
    expect(store.value).toEqual({});
    answerFromCrm([match('Иван Иванов')]);
    await settle();
    expect(store.value).toEqual({});
    expect(onRefreshed).not.toHaveBeenCalled();
  });

  it('does not write when nothing changed (snapshots of a call in progress come every few seconds)', async () => {
    const { lookup } = lookupWith([]);
    const store = memoryStore();
    const push = createCallerCardPush({ lookup, store });
    await push.onSnapshot(snapshot(call('c1', CallState.Incoming)));
    const writes = store.setValue.mock.calls.length;
    await push.onSnapshot(snapshot(call('c1', CallState.Established)));
    expect(store.setValue.mock.calls.length).toBe(writes);
  });

  it('a failed lookup pushes nothing and the snapshot goes on', async () => {
    const lookup: CallerLookup = {
      lookupCaller: vi.fn(async () => {
        throw new Error('database closed');
      }),
      refreshCaller: vi.fn(async () => {
        throw new Error('database closed');
      }),
      chooseCaller: vi.fn(async () => undefined),
    };
    const store = memoryStore();
    await createCallerCardPush({ lookup, store }).onSnapshot(snapshot(call('c1', CallState.Incoming)));
    expect(store.value).toEqual({});
  });
});
