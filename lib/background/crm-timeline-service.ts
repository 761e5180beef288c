import { refKey, type CallerLookup } from '@/lib/background/caller-lookup';
import { CrmError, type CrmAdapter } from '@/lib/crm/crm-adapter';
import type { CrmTimeline } from '@/lib/crm/crm-timeline-schema';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('crm');

/** {@link createCrmTimelineService}'s dependencies. */
export interface CrmTimelineServiceOptions {
  /** The CRM in use (local contacts have no timeline of their own). */
  adapter: () => Promise<CrmAdapter>;
  lookup: Pick<CallerLookup, 'lookupCaller'>;
  /** Items asked for. @defaultValue 20 */
  limit?: number;
}

/**
 * A number's timeline in the connected CRM, for the panel's timeline: the record the agent chose
 * for the number (or its only record) and that record's notes and events. Several records and no
 * choice yet, no record, or no CRM: nothing. A CRM that fails answers `unavailable` rather than an
 * error, so the local history still shows.
 */
export function createCrmTimelineService(options: CrmTimelineServiceOptions) {
  return {
    async getCrmTimeline({ numberKey }: { numberKey: string }): Promise<CrmTimeline> {
      const adapter = await options.adapter();
      if (adapter.kind === 'local') return { items: [] };
      try {
        const { matches, chosen } = await options.lookup.lookupCaller(numberKey);
        const match =
          matches.find((candidate) => refKey(candidate.card.ref) === chosen) ?? (matches.length === 1 ? matches[0] : undefined);
        if (!match || match.card.ref.crm !== adapter.kind) return { items: [] };
        return { items: await adapter.getTimeline(match.card.ref, options.limit ?? 20) };
      } catch (error) {
        if (!(error instanceof CrmError)) log.error('CRM timeline failed', error);
        return { items: [], unavailable: true };
      }
    },
  };
}
