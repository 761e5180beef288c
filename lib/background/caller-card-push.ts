import type { CallerLookup, CallerLookupResult } from '@/lib/background/caller-lookup';
import type { PushedCallerCards } from '@/lib/crm/pushed-caller-cards';
import { CallState } from '@/lib/phone/call-state';
import type { CallSnapshot, PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('caller-card-push');

/** Where the pushed cards live (`pushedCallerCardsItem` in the extension). */
export interface PushedCallerCardsStore {
  getValue(): Promise<PushedCallerCards>;
  setValue(value: PushedCallerCards): Promise<void>;
}

/** {@link createCallerCardPush}'s dependencies. */
export interface CallerCardPushOptions {
  lookup: CallerLookup;
  store: PushedCallerCardsStore;
  /** Told when the CRM's answer for a ringing call arrived after the cache's (e.g. to update its notification). */
  onRefreshed?: (call: CallSnapshot, result: CallerLookupResult) => void;
  /** @defaultValue `Date.now` */
  now?: () => number;
}

/** The background's screen-pop push. */
export interface CallerCardPush {
  /**
   * Looks up the caller of every call of `snapshot` that starts ringing or dialling and pushes the
   * cached card at once; the CRM's answer follows when the cache was missing or stale. Resolves once
   * the cached cards are stored (the CRM is never waited for). Cards of calls no longer up are dropped.
   */
  onSnapshot(snapshot: PhoneSnapshot): Promise<void>;
}

const STARTING: ReadonlySet<CallState> = new Set([CallState.Incoming, CallState.Dialing]);

/**
 * Pushes caller cards to the panels through session storage (see `pushedCallerCardsItem`). Keeps
 * nothing that must survive in memory: a restarted worker looks a still-ringing call up again, which
 * only writes the same card once more.
 */
export function createCallerCardPush(options: CallerCardPushOptions): CallerCardPush {
  const now = options.now ?? Date.now;
  // Read-modify-write of one storage value: one at a time.
  let writing: Promise<void> = Promise.resolve();
  const write = (change: (cards: PushedCallerCards) => PushedCallerCards): Promise<void> => {
    const run = writing.then(async () => {
      const cards = await options.store.getValue();
      const next = change(cards);
      if (next !== cards) await options.store.setValue(next);
    });
    writing = run.catch((error: unknown) => log.warn('caller cards not stored', error));
    return writing;
  };
  // Calls already looked up by this worker, so later snapshots of the same ring do not ask again.
  const asked = new Set<string>();

  const put = (call: CallSnapshot, number: string, result: CallerLookupResult, live: () => boolean) =>
    write((cards) =>
      live() || cards[call.id]
        ? { ...cards, [call.id]: { number, numberKey: result.numberKey, matches: result.matches, chosen: result.chosen, at: now() } }
        : cards,
    );

  return {
    async onSnapshot(snapshot) {
      const up = new Set(snapshot.calls.filter((c) => c.state !== CallState.Ended).map((c) => c.id));
      for (const id of asked) if (!up.has(id)) asked.delete(id);
      const starting = snapshot.calls.filter((c) => STARTING.has(c.state) && !asked.has(c.id));
      for (const call of starting) asked.add(call.id);
      const isUp = (id: string) => () => asked.has(id);
      await Promise.all(
        starting.map(async (call) => {
          const number = call.remoteNumber || call.remoteUri;
          try {
            const found = await options.lookup.lookupCaller(number);
            await put(call, number, found, isUp(call.id));
            found.refreshed.then(
              async (fresh) => {
                if (!fresh || !asked.has(call.id)) return;
                await put(call, number, fresh, isUp(call.id));
                options.onRefreshed?.(call, fresh);
              },
              (error: unknown) => log.warn('CRM refresh failed', error),
            );
          } catch (error) {
            log.warn('caller lookup failed', error);
          }
        }),
      );
      // Drop the cards of calls that are over.
      await write((cards) => {
        const stale = Object.keys(cards).filter((id) => !up.has(id));
        if (stale.length === 0) return cards;
        const next = { ...cards };
        for (const id of stale) delete next[id];
        return next;
      });
    },
  };
}
