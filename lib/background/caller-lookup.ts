import { callerChoiceItem } from '@/lib/background/caller-choice';
import type { CrmAdapter, CrmCard, CrmEntityRef, CrmMatch } from '@/lib/crm/crm-adapter';
import { CrmCardSchema } from '@/lib/crm/crm-card-schema';
import { localCardOf } from '@/lib/crm/local/local-crm-adapter';
import type { AppDb } from '@/lib/db/app-db';
import type { ContactRecord } from '@/lib/db/contact-record';
import { numberKeyOf } from '@/lib/history/number-key';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('caller-lookup');

/** How long a CRM card is trusted before a lookup refreshes it in the background. */
export const CARD_TIME_TO_LIVE_MS = 24 * 60 * 60 * 1000;

/** Who is calling, as the cache knows it now. */
export interface CallerLookupResult {
  /** The number's key (E.164 where possible). */
  numberKey: string;
  /** Every record with the number, best first; the agent's remembered pick first of all. */
  matches: CrmMatch[];
  /** The record the agent picked for this number earlier, when it still matches (`crm:kind:id`). */
  chosen?: string;
}

/** {@link createCallerLookup}'s dependencies. */
export interface CallerLookupOptions {
  db: AppDb;
  /** The connected CRM (the local contacts when none). */
  adapter: () => Promise<CrmAdapter>;
  region: () => Promise<string>;
  now?: () => number;
  /** @defaultValue {@link CARD_TIME_TO_LIVE_MS} */
  timeToLiveMs?: number;
}

/** The caller lookup of the background. */
export interface CallerLookup {
  /**
   * Answers at once from the `contacts` table (local contacts and cached CRM cards). When a CRM
   * is connected and its cards for the number are missing or older than the time-to-live, it
   * asks the CRM in the background and stores the answer; a CRM error keeps the cache as it is.
   * `refreshed` settles when that background refresh is over (tests and the screen pop await it).
   */
  lookupCaller(number: string): Promise<CallerLookupResult & { refreshed: Promise<CallerLookupResult | undefined> }>;
  /** Remembers the record the agent picked for a number with several matches. */
  chooseCaller(number: string, ref: CrmEntityRef): Promise<void>;
  /**
   * Asks the CRM about the number now, whatever the cache's age (after a record was created for it),
   * and answers what the cache then holds. `known` is the record just created: it is cached even
   * when the CRM's answer fails or does not list it yet (amoCRM's phone search can trail a write).
   */
  refreshCaller(number: string, known?: CrmCard): Promise<CallerLookupResult>;
}

/** The stable key of a record across CRMs. */
export function refKey(ref: CrmEntityRef): string {
  return `${ref.crm}:${ref.kind}:${ref.id}`;
}

/** Builds the background's caller lookup over the contact cache. */
export function createCallerLookup(options: CallerLookupOptions): CallerLookup {
  const { db } = options;
  const now = options.now ?? Date.now;
  const ttl = options.timeToLiveMs ?? CARD_TIME_TO_LIVE_MS;
  // One refresh per number at a time: a ring and a re-render asking together hit the CRM once.
  const refreshing = new Map<string, Promise<CallerLookupResult | undefined>>();

  const answer = async (numberKey: string, rows: ContactRecord[]): Promise<CallerLookupResult> => {
    const matches = rows
      .map((row): CrmMatch | undefined => {
        const card = cardOf(row);
        return card ? { card, matchedPhone: numberKey } : undefined;
      })
      .filter((match): match is CrmMatch => match !== undefined)
      // CRM records before local ones, then the most recently updated.
      .sort((a, b) => Number(a.card.ref.crm === 'local') - Number(b.card.ref.crm === 'local'));
    const chosen = (await callerChoiceItem.getValue())[numberKey];
    const picked = matches.findIndex((match) => refKey(match.card.ref) === chosen);
    if (picked > 0) matches.unshift(...matches.splice(picked, 1));
    return { numberKey, matches, chosen: picked >= 0 ? chosen : undefined };
  };

  const refresh = async (
    adapter: CrmAdapter,
    numberKey: string,
    phone: string,
    known?: CrmCard,
  ): Promise<CallerLookupResult | undefined> => {
    let found: CrmMatch[];
    try {
      found = await adapter.lookupByPhone(phone);
    } catch (error) {
      log.warn('CRM lookup failed; keeping the cached cards', error);
      if (!known) return undefined;
      await db.contacts.put(cacheRowOf(known, numberKey, now()));
      return answer(numberKey, await db.contacts.where('numbers').equals(numberKey).toArray());
    }
    if (known && !found.some((match) => refKey(match.card.ref) === refKey(known.ref))) {
      found = [...found, { card: known, matchedPhone: numberKey }];
    }
    const at = now();
    const rows = await db.transaction('rw', db.contacts, async () => {
      const cached = await db.contacts.where('numbers').equals(numberKey).toArray();
      const keep = new Set(found.map((match) => cacheIdOf(match.card.ref)));
      // A cached record of this CRM that no longer has the number has lost it in the CRM.
      const gone = cached.filter((row) => row.source === 'crm' && row.card?.ref.crm === adapter.kind && !keep.has(row.id));
      await db.contacts.bulkDelete(gone.map((row) => row.id));
      await db.contacts.bulkPut(found.map((match) => cacheRowOf(match.card, numberKey, at)));
      return db.contacts.where('numbers').equals(numberKey).toArray();
    });
    // Outside the transaction: `answer` reads the remembered choice from extension storage, and
    // awaiting anything but IndexedDB inside a transaction lets it commit under our feet (the
    // transaction then never settled, and the CRM's card never reached the screen pop).
    return answer(numberKey, rows);
  };

  return {
    async lookupCaller(number) {
      const identity = numberKeyOf(number, await options.region());
      const rows = await db.contacts.where('numbers').equals(identity.key).toArray();
      const result = await answer(identity.key, rows);
      const adapter = await options.adapter();
      const crmRows = rows.filter((row) => row.source === 'crm' && row.card?.ref.crm === adapter.kind);
      const stale = crmRows.length === 0 || crmRows.some((row) => (row.fetchedAt ?? 0) + ttl <= now());
      if (adapter.kind === 'local' || !stale) return { ...result, refreshed: Promise.resolve(undefined) };
      let refreshed = refreshing.get(identity.key);
      if (!refreshed) {
        refreshed = refresh(adapter, identity.key, identity.e164 ?? identity.key).finally(() =>
          refreshing.delete(identity.key),
        );
        refreshing.set(identity.key, refreshed);
      }
      return { ...result, refreshed };
    },
    async refreshCaller(number, known) {
      const identity = numberKeyOf(number, await options.region());
      const adapter = await options.adapter();
      // A refresh under way may have asked the CRM before the write: let it finish, then ask again.
      await refreshing.get(identity.key);
      const refreshed = refresh(adapter, identity.key, identity.e164 ?? identity.key, known).finally(() =>
        refreshing.delete(identity.key),
      );
      refreshing.set(identity.key, refreshed);
      return (await refreshed) ?? answer(identity.key, await db.contacts.where('numbers').equals(identity.key).toArray());
    },
    async chooseCaller(number, ref) {
      const { key } = numberKeyOf(number, await options.region());
      const choices = await callerChoiceItem.getValue();
      await callerChoiceItem.setValue({ ...choices, [key]: refKey(ref) });
    },
  };
}

/** The card of a cached row: the stored CRM card, or the local contact's. */
function cardOf(row: ContactRecord): CrmCard | undefined {
  if (row.source === 'local') return localCardOf(row);
  const parsed = CrmCardSchema.safeParse(row.card);
  return parsed.success ? parsed.data : undefined;
}

/** The contact-cache row id of a CRM record's card. */
export function cacheIdOf(ref: CrmEntityRef): string {
  return `crm:${ref.crm}:${ref.kind}:${ref.id}`;
}

/** A CRM card as a cache row; the looked-up number is kept among its numbers so the index finds it. */
function cacheRowOf(card: CrmCard, numberKey: string, at: number): ContactRecord {
  return {
    id: cacheIdOf(card.ref),
    name: card.name,
    company: card.company,
    numbers: [...new Set([numberKey, ...card.phones])],
    source: 'crm',
    externalId: card.ref.id,
    updatedAt: at,
    fetchedAt: at,
    card,
  };
}
