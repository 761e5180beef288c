// zod/mini: this protocol is bundled into the content script, which must stay small.
import * as z from 'zod/mini';
import { defineProtocol } from '@/lib/messaging/protocol';

/**
 * What an amoCRM card page is about, as its content script read it: the record from the URL and the
 * card's phone inputs. The background accepts it only from a tab on the connected account's host.
 */
export const PageContextSchema = z.object({
  entity: z.optional(
    z.object({
      kind: z.enum(['lead', 'contact', 'company']),
      /** amoCRM's numeric id: a positive integer, as written in the card's URL. */
      id: z.string().check(z.regex(/^[1-9][0-9]{0,14}$/)),
    }),
  ),
  phones: z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(20)),
});

/**
 * Content script → background. Content scripts run beside untrusted pages, so this protocol is
 * small: they may ask for their page's detection config, ask to call a number the user clicked
 * (the content script only sends that from a trusted click on its own closed-shadow UI), and, on the
 * connected amoCRM account's pages, say which card the tab shows.
 */
export const ContentToBackground = defineProtocol('ContentToBackground', {
  getPageConfig: {
    data: z.object({}),
    result: z.object({
      enabled: z.boolean(),
      defaultRegion: z.string(),
      interceptTelLinks: z.boolean(),
      /** The page is on the connected amoCRM account's host: report the card it shows. */
      crmPage: z.optional(z.boolean()),
    }),
  },
  placeCall: {
    data: z.object({
      /** The number as found: E.164 from the detector, or a tel:/sip: link target. */
      number: z.string().check(z.minLength(1), z.maxLength(128)),
      ext: z.optional(z.string().check(z.regex(/^[0-9]{1,10}$/))),
      /** On an amoCRM card: the card as it is at the click (the SPA may have moved since the last report). */
      page: z.optional(PageContextSchema),
    }),
    result: z.object({ callId: z.string() }),
  },
  /** The amoCRM card the tab shows now (or none): sent at start and after every change. */
  setPageContext: {
    data: PageContextSchema,
    result: z.null(),
  },
});
