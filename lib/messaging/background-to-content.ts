// zod/mini: this protocol is bundled into the content script, which must stay small.
import * as z from 'zod/mini';
import { defineProtocol } from '@/lib/messaging/protocol';

/**
 * Background → a tab's content script: the keyboard shortcut asks for the selected text, and a change
 * of click-to-call settings is announced (content scripts never read settings storage themselves).
 */
export const BackgroundToContent = defineProtocol('BackgroundToContent', {
  getSelectedText: { data: z.object({}), result: z.object({ text: z.string().check(z.maxLength(256)) }) },
  configChanged: { data: z.object({}), result: z.null() },
});
