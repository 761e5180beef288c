// zod/mini: this protocol is bundled into the content script, which must stay small.
import * as z from 'zod/mini';
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
      number: z.string().check(z.minLength(1), z.maxLength(128)),
      ext: z.optional(z.string().check(z.regex(/^[0-9]{1,10}$/))),
    }),
    result: z.object({ callId: z.string() }),
  },
});
