import { z } from 'zod';
import { defineProtocol } from '@/lib/messaging/protocol';
import { ConnectionTestResultSchema } from '@/lib/phone/phone-snapshot';
import { AccountSchema } from '@/lib/settings/settings-schema';

/** Options page → background. Settings themselves are written to storage, which the background watches. */
export const OptionsToBackground = defineProtocol('OptionsToBackground', {
  /** Registers once with the given (unsaved) account and reports the outcome in user terms. */
  testConnection: { data: z.object({ account: AccountSchema }), result: ConnectionTestResultSchema },
  /** The user granted the microphone on the options page; the engine re-checks it. */
  microphoneChanged: { data: z.object({}), result: z.null() },
});
