import type { AmoPageEntity } from '@/lib/crm/amocrm/amo-page-entity';
import type { CrmEntityRef } from '@/lib/crm/crm-adapter';
import { numberKeyOf } from '@/lib/history/number-key';
import type { CrmSettings } from '@/lib/settings/crm-settings';

/**
 * What a tab showing the connected amoCRM account is about: the card's record (from its URL) and the
 * phone numbers in the card's phone inputs, as the content script read them.
 */
export interface AmoPageContext {
  entity?: AmoPageEntity;
  /** The card's phone inputs' values as shown (`+7 916 123-45-67`), at most a few. */
  phones: string[];
}

/** The host of the connected amoCRM account (`romashka.amocrm.ru`), or `undefined` when none is. */
export function amoAccountHost(crm: CrmSettings): string | undefined {
  return crm.kind === 'amocrm' && crm.amocrm ? crm.amocrm.host.toLowerCase() : undefined;
}

/**
 * Whether a page address is on the connected account's host. Only the host name is compared: the
 * account is always reached over HTTPS on the default port, but a page's scheme and port say nothing
 * about which account it shows (and loopback tests serve the same host over plain HTTP). The address
 * must come from the browser (`sender.url`, `tab.url`), never from what a page or content script says.
 */
export function isAmoAccountPage(url: string | undefined, accountHost: string | undefined): boolean {
  if (!url || !accountHost) return false;
  try {
    return new URL(url).hostname.toLowerCase() === accountHost;
  } catch {
    return false;
  }
}

/**
 * The record a call to `dialled` started on that page is logged against: the card's record when the
 * number is one of the card's phones, or when no phone input was read (amoCRM's markup changed, or
 * the card has none). A different number on a card that lists its phones (a supplier mentioned in a
 * note, a colleague's extension) is not the card's customer, so that call is placed by its number.
 */
export function entityOfPageCall(
  context: AmoPageContext | undefined,
  dialled: string,
  region: string,
): CrmEntityRef | undefined {
  const entity = context?.entity;
  if (!entity) return undefined;
  const ref: CrmEntityRef = { crm: 'amocrm', kind: entity.kind, id: entity.id };
  if (context.phones.length === 0) return ref;
  const key = numberKeyOf(dialled, region).key;
  return context.phones.some((phone) => numberKeyOf(phone, region).key === key) ? ref : undefined;
}
