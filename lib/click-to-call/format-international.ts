import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { FoundNumber } from '@/lib/detect/text-run';

/**
 * A found number in international format for the card: `+7 916 123 45 67`. libphonenumber-js/min is
 * already in the content script (the detector reads region rules from it), so this costs little.
 * Falls back to the E.164 string for a number its metadata cannot format.
 */
export function formatInternational(found: Pick<FoundNumber, 'e164'>): string {
  try {
    return parsePhoneNumberFromString(found.e164)?.formatInternational() ?? found.e164;
  } catch {
    return found.e164;
  }
}
