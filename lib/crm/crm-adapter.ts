import { Exception } from '@/lib/util/exception';

/**
 * One CRM behind one interface: amoCRM (Kommo) first, local contacts when no CRM is connected,
 * Bitrix24, HubSpot and Pipedrive later. The background owns the adapters (they hold tokens);
 * the panel only ever sees the plain {@link CrmCard}s and timeline items they produce.
 */

/** Which CRM an adapter talks to. */
export type CrmKind = 'local' | 'amocrm';

/** A record in a CRM: a person, an organisation, or a deal. */
export type CrmEntityKind = 'contact' | 'company' | 'lead';

/** Points at one record of one CRM. */
export interface CrmEntityRef {
  crm: CrmKind;
  kind: CrmEntityKind;
  /** The CRM's own id, as a string. */
  id: string;
}

/** An open deal of a contact or company, as the caller's card shows it. */
export interface CrmDeal {
  ref: CrmEntityRef;
  name: string;
  /** Pipeline and stage names as the CRM words them. */
  pipeline?: string;
  stage?: string;
  /** Amount in the account's currency. */
  price?: number;
}

/** Who the caller is, in one card: what the panel and the notification show before answering. */
export interface CrmCard {
  ref: CrmEntityRef;
  name: string;
  /** The company of a contact. */
  company?: string;
  /** The record's phone numbers in E.164 (numbers that do not read as phone numbers are kept as given). */
  phones: string[];
  /** The user responsible for the record in the CRM. */
  responsibleUser?: { id: string; name: string };
  openDeals: CrmDeal[];
  /** When anyone last talked to or wrote to them (epoch ms). */
  lastInteractionAt?: number;
  /** Opens the record in the CRM's web UI. */
  url?: string;
}

/** A lookup hit: the card and the number that matched, confirmed on our side (CRMs match on the last digits). */
export interface CrmMatch {
  card: CrmCard;
  /** The record's number that equals the looked-up one in E.164. */
  matchedPhone: string;
}

/**
 * What a timeline item records, in CRM-neutral terms the panel words ("Incoming call", "Lead stage
 * changed"); `other` is a CRM type the adapter does not know, whose own name is kept in `type`.
 */
export type CrmTimelineWhat =
  | 'call'
  | 'email'
  | 'chat-message'
  | 'sms'
  | 'note'
  | 'task-added'
  | 'task-completed'
  | 'lead-status-changed'
  | 'conversation-opened'
  | 'conversation-closed'
  | 'service-message'
  | 'attachment'
  | 'other';

/** One item of a customer's CRM timeline (notes, calls, e-mails, chats, SMS, tasks, other events). */
export interface CrmTimelineItem {
  id: string;
  at: number;
  kind: 'call' | 'note' | 'email' | 'chat' | 'sms' | 'task' | 'event';
  direction?: 'inbound' | 'outbound';
  /** What happened, for the title; the item's own content is `text`. */
  what: CrmTimelineWhat;
  /** The CRM's own name of the note or event type (`incoming_chat_message`), for `other`. */
  type?: string;
  /** The item's content as the CRM has it (a note's text, a call's result, a chat's channel); may be empty. */
  text: string;
}

/** How a call went, in the terms CRMs log calls with. */
export type CrmCallStatus = 'answered' | 'missed' | 'busy' | 'no-answer' | 'failed' | 'voicemail';

/** A call to log, built from a history row; `callId` (the history id) makes logging idempotent. */
export interface CrmCallLog {
  callId: string;
  direction: 'inbound' | 'outbound';
  /** The customer's number in E.164 (or as dialled when it is not a phone number). */
  phone: string;
  startedAt: number;
  durationSec: number;
  status: CrmCallStatus;
  /** Where the record goes; absent: the CRM places it by the phone number. */
  entity?: CrmEntityRef;
  note?: string;
  disposition?: string;
  recordingUrl?: string;
  responsibleUserId?: string;
  /** Our number or line the call went through (the inbox entry's dialled line). */
  line?: string;
}

/** A follow-up task in the CRM (e.g. call back a missed caller). */
export interface CrmTask {
  /** Idempotency key (e.g. `callback:<history id>`). */
  key: string;
  entity: CrmEntityRef;
  type: 'call' | 'follow-up';
  text: string;
  dueAt: number;
  responsibleUserId?: string;
}

/** What each CRM write answers: the id the CRM gave the record. */
export interface CrmWriteResult {
  externalId: string;
  /** The record the write landed on, when the CRM says (a logged call's contact, company or lead). */
  entity?: CrmEntityRef;
}

/** The interface every CRM implements. Methods reject with {@link CrmError}. */
export interface CrmAdapter {
  readonly kind: CrmKind;
  /** Records with a phone number equal (in E.164) to `phone`, best match first; `[]` when none. */
  lookupByPhone(phone: string): Promise<CrmMatch[]>;
  /** The card of one record. */
  getCard(ref: CrmEntityRef): Promise<CrmCard>;
  /** The record's address in the CRM's web UI. */
  entityUrl(ref: CrmEntityRef): string | undefined;
  /** The record's timeline, newest first, at most `limit` items. */
  getTimeline(ref: CrmEntityRef, limit: number): Promise<CrmTimelineItem[]>;
  /** Logs a call against the record with its number (or `call.entity`). */
  logCall(call: CrmCallLog): Promise<CrmWriteResult>;
  addNote(entity: CrmEntityRef, text: string): Promise<CrmWriteResult>;
  createTask(task: CrmTask): Promise<CrmWriteResult>;
  /** A call from an unknown number, into the CRM's inbox of unsorted leads; returns what it created. */
  createInboxEntry(call: CrmCallLog): Promise<CrmWriteResult & { created?: CrmEntityRef[] }>;
  /** The CRM user the connection acts as ("Test connection"). */
  currentUser(): Promise<{ id: string; name: string }>;
  /**
   * A new contact with one phone number (the "new number → contact" rule); `entity` is the contact.
   * With `company`, the contact is linked to the company of that name (found, or created).
   * Optional: a CRM without it gets new numbers into its inbox instead.
   */
  createContact?(phone: string, name: string, company?: string): Promise<CrmWriteResult & { entity: CrmEntityRef }>;
  /**
   * A new deal named `name`, linked to an existing `contact` (the unknown caller's "Create lead",
   * after {@link createContact}); `entity` is the lead. Optional: a CRM without it offers contacts only.
   */
  createLead?(name: string, contact: CrmEntityRef): Promise<CrmWriteResult & { entity: CrmEntityRef }>;
  /**
   * The open task on `task.entity` due at the same time, if one exists. The outbox asks before
   * it sends a task again whose first request may have been accepted with the answer lost (the
   * worker stopped), so a retry never adds a second task. Optional: without it a retry just sends.
   */
  findTask?(task: CrmTask): Promise<CrmWriteResult | undefined>;
  /** The note on `entity` with exactly this text, if one exists (see {@link findTask}). Optional. */
  findNote?(entity: CrmEntityRef, text: string): Promise<CrmWriteResult | undefined>;
  /** Marks a task done, with a result line (a callback connected). Optional. */
  completeTask?(externalId: string, result: string): Promise<void>;
}

/** Why a CRM request failed, in categories the background acts on (retry, reconnect, give up). */
export type CrmErrorKind =
  /** 401: the token is wrong or expired and could not be refreshed. */
  | 'auth'
  /** 403: not allowed (rights, a blocked address). */
  | 'forbidden'
  /** 429: over the rate limit; retry after {@link CrmError.retryAfterMs}. */
  | 'rate-limited'
  /** 5xx: the CRM's own trouble; retry later. */
  | 'server'
  /** 400: the CRM refused the data; retrying the same request will not help. */
  | 'validation'
  /** 404: the record is gone. */
  | 'not-found'
  /** No answer: offline, DNS, TLS, timeout. */
  | 'network';

/** Every {@link CrmErrorKind}, for the message schemas that carry one across contexts. */
export const CRM_ERROR_KINDS = [
  'auth',
  'forbidden',
  'rate-limited',
  'server',
  'validation',
  'not-found',
  'network',
] as const satisfies readonly CrmErrorKind[];
/** Fails to compile when a kind is added to {@link CrmErrorKind} but not to {@link CRM_ERROR_KINDS}. */
const everyKindListed: [Exclude<CrmErrorKind, (typeof CRM_ERROR_KINDS)[number]>] extends [never] ? true : never = true;
void everyKindListed;

/** A failed CRM request. */
export class CrmError extends Exception {
  constructor(
    readonly kind: CrmErrorKind,
    message: string,
    /** The HTTP status, when there was a response. */
    readonly status?: number,
    /** For `rate-limited` and `server`: how long to wait before trying again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Whether the same request may succeed later (the outbox retries these). */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'network';
  }
}
