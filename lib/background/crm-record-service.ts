import type { CallerLookup } from '@/lib/background/caller-lookup';
import { CrmError, type CrmAdapter, type CrmCard, type CrmEntityRef } from '@/lib/crm/crm-adapter';
import type { CrmCreatableKind, CrmCreateRequest, CrmCreateResult } from '@/lib/crm/crm-record-creation';
import { numberKeyOf } from '@/lib/history/number-key';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('crm-records');

/** {@link createCrmRecordService}'s dependencies. */
export interface CrmRecordServiceOptions {
  /** The connected CRM (the local contacts when none). */
  adapter: () => Promise<CrmAdapter>;
  lookup: Pick<CallerLookup, 'refreshCaller'>;
  region: () => Promise<string>;
}

/** What a CRM adapter can create from the caller's card: a lead needs a contact to hang on. */
export function creatableBy(adapter: CrmAdapter): CrmCreatableKind[] {
  if (adapter.kind === 'local' || !adapter.createContact) return [];
  return adapter.createLead ? ['contact', 'lead'] : ['contact'];
}

/** What one create did: the record the card shows, the lead made for it, and whether anything was new. */
interface Outcome {
  ref: CrmEntityRef;
  lead?: CrmEntityRef;
  created: boolean;
  /** The card as far as we know it without asking the CRM again, for the cache. */
  known?: CrmCard;
}

/**
 * "Create contact" / "Create lead" for an unknown caller, in the connected CRM. The CRM is asked
 * about the number first: a number it knows by now (another agent, a repeat after a lost answer)
 * gets the existing record back, never a second one. A lead whose contact exists without an open
 * deal (a "Create lead" whose lead failed after its contact was made) goes on that contact. While a
 * create for a number is under way a second one is refused: a double click, two panels. That guard
 * is in worker memory on purpose: a worker stopped mid-create loses the panel's answer with it, and
 * the next try is caught by the CRM check instead. After a create the number's cached cards are
 * refreshed, so the card shows the new record at once with its "Open in CRM" link.
 */
export function createCrmRecordService(options: CrmRecordServiceOptions) {
  const inFlight = new Set<string>();

  const create = async (
    adapter: CrmAdapter,
    phone: string,
    request: CrmCreateRequest,
    names: { contact: string; lead: string; company?: string },
    progress: { contactCreated: boolean },
  ): Promise<Outcome> => {
    const existing = await adapter.lookupByPhone(phone);
    const withDeal = existing.find((match) => match.card.openDeals.length > 0);
    const only = existing.length === 1 ? existing[0] : undefined;
    const reuse = request.kind === 'lead' && !withDeal && only?.card.ref.kind === 'contact' ? only.card : undefined;
    if (existing.length > 0 && !reuse) {
      const found = withDeal ?? (existing[0] as (typeof existing)[number]);
      return { ref: found.card.ref, lead: request.kind === 'lead' ? found.card.openDeals[0]?.ref : undefined, created: false };
    }
    let contact: CrmCard;
    if (reuse) {
      contact = reuse;
    } else {
      const made = await (adapter.createContact as NonNullable<CrmAdapter['createContact']>)(phone, names.contact, names.company);
      progress.contactCreated = true;
      contact = {
        ref: made.entity,
        name: names.contact,
        ...(names.company ? { company: names.company } : {}),
        phones: [phone],
        openDeals: [],
        url: adapter.entityUrl(made.entity),
      };
    }
    if (request.kind === 'contact') return { ref: contact.ref, created: true, known: contact };
    const lead = await (adapter.createLead as NonNullable<CrmAdapter['createLead']>)(names.lead, contact.ref);
    return {
      ref: contact.ref,
      lead: lead.entity,
      created: true,
      known: { ...contact, openDeals: [...contact.openDeals, { ref: lead.entity, name: names.lead }] },
    };
  };

  return {
    /** Which records the connected CRM can create (none with local contacts: the card offers "Add contact"). */
    async creatable(): Promise<CrmCreatableKind[]> {
      return creatableBy(await options.adapter());
    },

    async createCrmRecord(request: CrmCreateRequest): Promise<CrmCreateResult> {
      const company = request.company?.trim();
      const names = { contact: request.contactName.trim(), lead: request.leadName?.trim() ?? '', ...(company ? { company } : {}) };
      if (names.contact === '') return { ok: false, problem: 'no-name' };
      if (request.kind === 'lead' && names.lead === '') return { ok: false, problem: 'no-lead-name' };
      const identity = numberKeyOf(request.number, await options.region());
      if (identity.e164 === undefined) return { ok: false, problem: 'bad-number' };
      const adapter = await options.adapter();
      if (!creatableBy(adapter).includes(request.kind)) return { ok: false, problem: 'no-crm' };
      if (inFlight.has(identity.key)) return { ok: false, problem: 'in-progress' };
      inFlight.add(identity.key);
      const progress = { contactCreated: false };
      try {
        const outcome = await create(adapter, identity.e164, request, names, progress);
        const cards = await options.lookup.refreshCaller(identity.e164, outcome.known);
        return {
          ok: true,
          created: outcome.created,
          ref: outcome.ref,
          ...(outcome.lead ? { lead: outcome.lead } : {}),
          numberKey: cards.numberKey,
          matches: cards.matches,
          ...(cards.chosen !== undefined ? { chosen: cards.chosen } : {}),
        };
      } catch (error) {
        if (!(error instanceof CrmError)) throw error;
        log.warn(`creating a ${request.kind} in the CRM failed`, error);
        return {
          ok: false,
          problem: error.kind,
          ...(error.kind === 'rate-limited' && error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
          ...(progress.contactCreated ? { contactCreated: true } : {}),
        };
      } finally {
        inFlight.delete(identity.key);
      }
    },
  };
}
