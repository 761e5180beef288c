import { z } from 'zod';

/**
 * The standard dispositions, stored as these codes and worded by the UI in the agent's language.
 * A team can replace them with its own labels (`Settings.dispositions`), which are stored verbatim.
 */
export const STANDARD_DISPOSITIONS = [
  'resolved',
  'sale',
  'follow-up',
  'not-interested',
  'wrong-number',
  'voicemail',
] as const;
export type StandardDisposition = (typeof STANDARD_DISPOSITIONS)[number];

/** Longest disposition label a team can define (it goes into a CRM field and a CSV column). */
export const DISPOSITION_MAX_LENGTH = 60;

/** A disposition as stored on a call: a standard code or a team's own label. */
export const DispositionSchema = z.string().trim().min(1).max(DISPOSITION_MAX_LENGTH);

/** Whether `value` is one of the {@link STANDARD_DISPOSITIONS} codes. */
export function isStandardDisposition(value: string): value is StandardDisposition {
  return (STANDARD_DISPOSITIONS as readonly string[]).includes(value);
}
