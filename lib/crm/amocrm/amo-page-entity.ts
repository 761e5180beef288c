import type { CrmEntityKind } from '@/lib/crm/crm-adapter';

/** The record an amoCRM card page shows: what a call started on that page is logged against. */
export interface AmoPageEntity {
  kind: CrmEntityKind;
  /** amoCRM's numeric id, as a string without leading zeros. */
  id: string;
}

/** The plural path segment of amoCRM's card URLs (`/leads/detail/123`) per record kind. */
const KIND_OF_SEGMENT: Readonly<Record<string, CrmEntityKind>> = {
  leads: 'lead',
  contacts: 'contact',
  companies: 'company',
};

// `/leads/detail/123`, optionally behind a language segment (`/ru/…`, `/pt-br/…`, as Kommo's
// localised UI has them) and with a trailing slash. Query and hash are not part of the path.
// Ids are positive integers without leading zeros, at most 15 digits (a safe integer): amoCRM's
// `/leads/detail/0` and `/leads/add` are the "new record" forms, which have nothing to log against.
const CARD_PATH = /^\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?(leads|contacts|companies)\/detail\/([1-9][0-9]{0,14})\/?$/;

/**
 * The record of an amoCRM card URL (`https://romashka.amocrm.ru/leads/detail/123?tab=notes`), or
 * `undefined` for any other page (lists, pipelines, settings, a new-record form, a malformed id).
 * Only the path is read: which host is an account of ours is for the caller to decide.
 */
export function amoEntityOfUrl(url: string): AmoPageEntity | undefined {
  let path: string;
  try {
    path = new URL(url).pathname.toLowerCase();
  } catch {
    return undefined;
  }
  const match = CARD_PATH.exec(path);
  if (!match) return undefined;
  const kind = KIND_OF_SEGMENT[match[1] ?? ''];
  return kind ? { kind, id: match[2] ?? '' } : undefined;
}
