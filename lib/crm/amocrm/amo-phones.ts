import type { AmoEntity } from '@/lib/crm/amocrm/amo-api-types';
import { numberKeyOf } from '@/lib/history/number-key';

/** The phone numbers of a contact or company as written in its PHONE field. */
export function phonesOf(entity: AmoEntity): string[] {
  const phones: string[] = [];
  for (const field of entity.custom_fields_values ?? []) {
    if (field.field_code !== 'PHONE') continue;
    for (const value of field.values ?? []) {
      if (typeof value.value === 'string' && value.value.trim() !== '') phones.push(value.value.trim());
    }
  }
  return phones;
}

/** A record's numbers in E.164 with the default country (numbers that do not read as phones kept as given). */
export function normalizedPhonesOf(entity: AmoEntity, region: string): string[] {
  return phonesOf(entity).map((phone) => numberKeyOf(phone, region).e164 ?? phone);
}

/**
 * The record's number that is the same number as `e164`, or `undefined`. amoCRM's `query` matches
 * phones on their last 7 digits, so `+380501234567` finds `+79161234567`; only equal E.164 forms
 * count as a match here.
 */
export function confirmedPhone(entity: AmoEntity, e164: string, region: string): string | undefined {
  return normalizedPhonesOf(entity, region).find((phone) => phone === e164);
}
