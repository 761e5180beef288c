import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCallerLookup, CARD_TIME_TO_LIVE_MS } from '@/lib/background/caller-lookup';
import { CrmError, type CrmAdapter, type CrmCard, type CrmMatch } from '@/lib/crm/crm-adapter';
import { createLocalCrmAdapter } from '@/lib/crm/local/local-crm-adapter';
import { saveLocalContact } from '@/lib/crm/local/local-contacts';
import type { AppDb } from '@/lib/db/app-db';
import { openTestDb, T0 } from '../fixtures/db/test-db';

let db: AppDb;
let clock = T0;
const region = async () => 'RU';

const card = (id: string, name: string, extra: Partial<CrmCard> = {}): CrmCard => ({
  ref: { crm: 'amocrm', kind: 'contact', id },
  name,
  phones: ['+79161234567'],
  openDeals: [{ ref: { crm: 'amocrm', kind: 'lead', id: `L${id}` }, name: 'Deal', stage: 'Talks' }],
  ...extra,
});

/** A CRM whose answers the story sets; it counts its lookups. */
function fakeCrm(answers: (() => Promise<CrmMatch[]>)[]): CrmAdapter & { lookups: number } {
  const local = createLocalCrmAdapter(db, region);
  const crm = {
    ...local,
    kind: 'amocrm' as const,
    lookups: 0,
    lookupByPhone: vi.fn(async () => {
      const next = answers[Math.min(crm.lookups, answers.length - 1)];
      crm.lookups++;
      return next ? next() : [];
    }),
  };
  return crm;
}

const lookupWith = (adapter: CrmAdapter) =>
  createCallerLookup({ db, adapter: async () => adapter, region, now: () => clock });

beforeEach(() => {
  fakeBrowser.reset();
  db = openTestDb();
  clock = T0;
});

describe('createCallerLookup', () => {
  it('with no CRM, the local contacts answer and nothing is refreshed', async () => {
    await saveLocalContact(db, { name: 'Alice', company: 'Acme', phones: ['89161234567'] }, { region: 'RU', now: T0, newId: () => 'a' });
    const lookup = lookupWith(createLocalCrmAdapter(db, region));
    const result = await lookup.lookupCaller('+7 916 123-45-67');
    expect(result.matches.map((m) => m.card.name)).toEqual(['Alice']);
    expect(await result.refreshed).toBeUndefined();
  });

  it('a number not in the cache: answers empty at once, then fetches and stores the card', async () => {
    const crm = fakeCrm([async () => [{ card: card('1', 'Alice'), matchedPhone: '+79161234567' }]]);
    const lookup = lookupWith(crm);
    const first = await lookup.lookupCaller('89161234567');
    expect(first.matches).toEqual([]);
    expect((await first.refreshed)?.matches.map((m) => m.card.name)).toEqual(['Alice']);
    const second = await lookup.lookupCaller('+79161234567');
    expect(second.matches[0]?.card.openDeals[0]?.stage).toBe('Talks');
    expect(await second.refreshed).toBeUndefined();
    expect(crm.lookups).toBe(1);
  });

  it('the refresh settles when reading the remembered choice takes a while (it is read after the database transaction)', async () => {
    const crm = fakeCrm([async () => [{ card: card('1', 'Alice'), matchedPhone: '+79161234567' }]]);
    const lookup = lookupWith(crm);
    const first = await lookup.lookupCaller('+79161234567');
    // Extension storage answers on its own schedule, as in a real worker (a macrotask or more later).
    const get = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local);
    const slow = vi.spyOn(fakeBrowser.storage.local, 'get').mockImplementation(async (...args: Parameters<typeof get>) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return get(...args);
    });
    try {
      expect((await first.refreshed)?.matches.map((m) => m.card.name)).toEqual(['Alice']);
    } finally {
      slow.mockRestore();
    }
  });

  it('a stale card: answers from the cache, refreshes in the background and stores the new one', async () => {
    const crm = fakeCrm([
      async () => [{ card: card('1', 'Alice'), matchedPhone: '+79161234567' }],
      async () => [{ card: card('1', 'Alice Smith'), matchedPhone: '+79161234567' }],
    ]);
    const lookup = lookupWith(crm);
    await (await lookup.lookupCaller('+79161234567')).refreshed;
    clock += CARD_TIME_TO_LIVE_MS;
    const stale = await lookup.lookupCaller('+79161234567');
    expect(stale.matches[0]?.card.name).toBe('Alice');
    expect((await stale.refreshed)?.matches[0]?.card.name).toBe('Alice Smith');
    expect(crm.lookups).toBe(2);
  });

  it('a CRM error keeps the cached card', async () => {
    const crm = fakeCrm([
      async () => [{ card: card('1', 'Alice'), matchedPhone: '+79161234567' }],
      async () => {
        throw new CrmError('server', 'down', 503);
      },
    ]);
    const lookup = lookupWith(crm);
    await (await lookup.lookupCaller('+79161234567')).refreshed;
    clock += CARD_TIME_TO_LIVE_MS + 1;
    const result = await lookup.lookupCaller('+79161234567');
    expect(await result.refreshed).toBeUndefined();
    expect((await lookup.lookupCaller('+79161234567')).matches[0]?.card.name).toBe('Alice');
  });

  it('a record that lost the number in the CRM leaves the cache at the next refresh', async () => {
    const crm = fakeCrm([
      async () => [{ card: card('1', 'Alice'), matchedPhone: '+79161234567' }],
      async () => [],
    ]);
    const lookup = lookupWith(crm);
    await (await lookup.lookupCaller('+79161234567')).refreshed;
    clock += CARD_TIME_TO_LIVE_MS;
    expect((await (await lookup.lookupCaller('+79161234567')).refreshed)?.matches).toEqual([]);
  });

  it('two lookups of a stale number at once ask the CRM once', async () => {
    const crm = fakeCrm([async () => [{ card: card('1', 'Alice'), matchedPhone: '+79161234567' }]]);
    const lookup = lookupWith(crm);
    const [a, b] = await Promise.all([lookup.lookupCaller('+79161234567'), lookup.lookupCaller('89161234567')]);
    await Promise.all([a.refreshed, b.refreshed]);
    expect(crm.lookups).toBe(1);
  });

  it('several matches: the record the agent picked comes first from then on', async () => {
    const crm = fakeCrm([
      async () => [
        { card: card('1', 'Alice'), matchedPhone: '+79161234567' },
        { card: card('2', 'Acme reception'), matchedPhone: '+79161234567' },
      ],
    ]);
    const lookup = lookupWith(crm);
    const first = await (await lookup.lookupCaller('+79161234567')).refreshed;
    expect(first?.chosen).toBeUndefined();
    await lookup.chooseCaller('8 916 123-45-67', { crm: 'amocrm', kind: 'contact', id: '2' });
    const again = await lookup.lookupCaller('+79161234567');
    expect(again.matches.map((m) => m.card.name)).toEqual(['Acme reception', 'Alice']);
    expect(again.chosen).toBe('amocrm:contact:2');
  });

  it('refreshCaller after a create asks the CRM at once, even with a fresh cache, and keeps the new record if the search does not list it yet', async () => {
    const alice = { card: card('1', 'Alice'), matchedPhone: '+79161234567' };
    const anna = card('2', 'Anna', { openDeals: [] });
    // amoCRM's phone search can trail a write: the refresh answers only Alice, then fails.
    const crm = fakeCrm([async () => [alice], async () => [alice], async () => Promise.reject(new CrmError('network', 'offline'))]);
    const lookup = lookupWith(crm);
    await (await lookup.lookupCaller('+79161234567')).refreshed;
    const after = await lookup.refreshCaller('+79161234567', anna);
    expect(crm.lookups).toBe(2);
    expect(after.matches.map((m) => m.card.name).sort()).toEqual(['Alice', 'Anna']);
    const offline = await lookup.refreshCaller('+79161234567', card('3', 'Boris', { openDeals: [] }));
    expect(offline.matches.map((m) => m.card.name).sort()).toEqual(['Alice', 'Anna', 'Boris']);
  });
});
