import type { CrmCallStatus } from '@/lib/crm/crm-adapter';

/**
 * Our call outcome as amoCRM's `call_status`: 1 left a message, 2 call back later, 3 not available,
 * 4 conversation took place, 5 wrong number, 6 could not get through, 7 busy.
 */
export const AMO_CALL_STATUS: Record<CrmCallStatus, number> = {
  answered: 4,
  voicemail: 1,
  // A missed incoming call: nobody was there to take it.
  missed: 3,
  busy: 7,
  'no-answer': 6,
  failed: 6,
};
