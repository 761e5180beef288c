import { z } from 'zod';

/**
 * What happens by itself after a call (issue 6, "after-call automation"). The background applies
 * these rules through the durable CRM outbox (`lib/background/crm-outbox-service.ts`) and the local
 * callback reminders (`lib/background/callback-reminders.ts`), once per call and per rule.
 */

/** What to do with a call from a number the CRM does not know. */
export const NewNumberRuleSchema = z.enum(['off', 'contact', 'lead']);
/**
 * - `off`: the call stays in local history only;
 * - `contact`: a contact with the number is created and the call logged against it;
 * - `lead`: the call goes to the CRM's inbox of unsorted leads (amoCRM creates a lead and a contact
 *   there for the agent to accept).
 */
export type NewNumberRule = z.infer<typeof NewNumberRuleSchema>;

/** Longest callback delay the form accepts: a week. */
export const MAX_CALLBACK_DUE_MINUTES = 7 * 24 * 60;

export const AfterCallSettingsSchema = z.object({
  /** A missed call opens a callback task (in the CRM and a local reminder). */
  callbackTask: z.boolean().default(true),
  /**
   * How long after the missed call the callback is due, in minutes (fractions allowed, so a team
   * can promise "within 30 seconds"); 0 makes it due at once.
   */
  callbackDueMinutes: z
    .number({ message: 'settings.error.callbackDueMinutes' })
    .min(0, { message: 'settings.error.callbackDueMinutes' })
    .max(MAX_CALLBACK_DUE_MINUTES, { message: 'settings.error.callbackDueMinutes' })
    .default(15),
  /** An answered call adds a note with its disposition and the agent's note to the CRM record. */
  answeredNote: z.boolean().default(true),
  newNumber: NewNumberRuleSchema.default('lead'),
});
export type AfterCallSettings = z.infer<typeof AfterCallSettingsSchema>;

export const DEFAULT_AFTER_CALL_SETTINGS: AfterCallSettings = AfterCallSettingsSchema.parse({});

/**
 * The rules as the CRM outbox applies them when it is given none (its unit tests of plain call
 * logging): no task, no extra note, unknown numbers to the inbox, as before the rules existed.
 */
export const PLAIN_LOGGING_RULES: AfterCallSettings = {
  callbackTask: false,
  callbackDueMinutes: 15,
  answeredNote: false,
  newNumber: 'lead',
};
