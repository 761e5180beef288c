/**
 * The parts of amoCRM API v4 payloads the adapter reads. Optional everywhere: amoCRM omits empty
 * fields, and the adapter must tolerate both variants where the documentation is unsure.
 */

/** `custom_fields_values[]` of a contact or company. */
export interface AmoCustomField {
  field_id?: number;
  field_code?: string | null;
  field_type?: string;
  values?: Array<{ value?: unknown; enum_code?: string | null }>;
}

/** A contact or a company. */
export interface AmoEntity {
  id: number;
  name?: string;
  responsible_user_id?: number;
  updated_at?: number;
  custom_fields_values?: AmoCustomField[] | null;
  _embedded?: { companies?: Array<{ id: number }>; leads?: Array<{ id: number }> };
}

/** A lead. */
export interface AmoLead {
  id: number;
  name?: string;
  price?: number;
  pipeline_id?: number;
  status_id?: number;
  closed_at?: number | null;
  responsible_user_id?: number;
}

/** `GET` list answers: `{_embedded: {<key>: [...]}}`. */
export interface AmoList<K extends string, T> {
  _embedded?: Partial<Record<K, T[]>>;
}

/** A user of the account. */
export interface AmoUser {
  id: number;
  name?: string;
}

/** `GET /api/v4/account`. */
export interface AmoAccount {
  id: number;
  name?: string;
  subdomain?: string;
  current_user_id?: number;
}

/** A pipeline with its stages. */
export interface AmoPipeline {
  id: number;
  name?: string;
  _embedded?: { statuses?: Array<{ id: number; name?: string }> };
}

/** A note of an entity. */
/** A task as `GET /api/v4/tasks` lists it (the fields the outbox compares). */
export interface AmoTask {
  id: number;
  text?: string;
  complete_till?: number;
  entity_id?: number;
  entity_type?: string;
  is_completed?: boolean;
}

export interface AmoNote {
  id: number;
  note_type?: string;
  params?: {
    text?: string;
    phone?: string;
    duration?: number;
    call_result?: string;
    service?: string;
    /** A call note's call id (ours: the history id). */
    uniq?: string;
  } | null;
  created_at?: number;
}

/** An event of the account's event log. */
export interface AmoEvent {
  id: string;
  type?: string;
  entity_id?: number;
  created_at?: number;
  value_after?: Array<{ note?: { id?: number }; message?: { id?: string; origin?: string } }> | null;
}

/** `POST /api/v4/calls`. */
export interface AmoCallsAnswer {
  errors?: Array<{ request_id?: string; title?: string; detail?: string }>;
  _embedded?: { calls?: Array<{ id: number; entity_id?: number; entity_type?: string }> };
}

/** `POST` of notes or tasks. */
export interface AmoCreatedAnswer<K extends string> {
  _embedded?: Partial<Record<K, Array<{ id: number }>>>;
}

/** `POST /api/v4/leads/unsorted/sip`. */
export interface AmoUnsortedAnswer {
  _embedded?: {
    unsorted?: Array<{ uid: string; _embedded?: { leads?: Array<{ id: number }>; contacts?: Array<{ id: number }> } }>;
  };
}

/** amoCRM's fixed stage ids of closed leads: 142 won, 143 lost. */
export const AMO_CLOSED_STATUSES: readonly number[] = [142, 143];
