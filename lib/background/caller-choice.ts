import { storage } from '#imports';

/**
 * Which record the agent picked for a number that matches several (number key → record id as
 * `crm:kind:id`), in local storage so the choice outlives the worker and the browser.
 */
export const callerChoiceItem = storage.defineItem<Record<string, string>>('local:callerChoices', {
  fallback: {},
});
