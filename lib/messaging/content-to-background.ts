import { z } from 'zod';
import { defineProtocol } from '@/lib/messaging/protocol';

/**
 * Content script → background. Content scripts run beside untrusted pages, so this protocol is
 * small: they may ask for their page's detection config and ask to call a number the user clicked
 * (the content script only sends that from a trusted click on its own closed-shadow UI).
 */
export const ContentToBackground = defineProtocol('ContentToBackground', {
  getPageConfig: {
    data: z.object({}),
    result: z.object({ enabled: z.boolean(), defaultRegion: z.string(), interceptTelLinks: z.boolean() }),
  },
  placeCall: {
    data: z.object({
      /** The number as found: E.164 from the detector, or a tel:/sip: link target. */
      number: z.string().min(1).max(128),
      ext: z.string().regex(/^[0-9]{1,10}$/).optional(),
    }),
    result: z.object({ callId: z.string() }),
  },
});
