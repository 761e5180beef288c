import { z } from 'zod';
import { defineProtocol } from '@/lib/messaging/protocol';
import { AmoSignInResultSchema } from '@/lib/messaging/amo-sign-in-result';
import { CrmConnectionTestResultSchema } from '@/lib/messaging/crm-connection-test-result';
import { ConnectionTestResultSchema } from '@/lib/phone/phone-snapshot';
import { AmoCrmConnectionSchema } from '@/lib/settings/crm-settings';
import { AccountSchema } from '@/lib/settings/settings-schema';

const ImportCountsSchema = z.object({
  calls: z.number().int().nonnegative(),
  notes: z.number().int().nonnegative(),
  recordings: z.number().int().nonnegative(),
  contacts: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
  tasks: z.number().int().nonnegative(),
});

/** The outcome of a history import: what was written, or why nothing was. */
export const HistoryImportResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), counts: ImportCountsSchema }),
  z.object({ ok: z.literal(false), problems: z.array(z.string()) }),
]);
export type HistoryImportResult = z.infer<typeof HistoryImportResultSchema>;

/** The outcome of a contacts import: what was written and which rows were skipped, or why nothing was. */
export const ContactsImportResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    added: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    skipped: z.array(
      z.object({
        at: z.number().int(),
        reason: z.enum(['no-name', 'no-phone', 'bad-phone', 'formula', 'duplicate']),
        detail: z.string().optional(),
      }),
    ),
  }),
  z.object({ ok: z.literal(false), error: z.enum(['empty', 'too-large', 'encoding', 'no-phone-column', 'unknown-format']) }),
]);
export type ContactsImportResult = z.infer<typeof ContactsImportResultSchema>;

/** Options page → background. Settings themselves are written to storage, which the background watches. */
export const OptionsToBackground = defineProtocol('OptionsToBackground', {
  /** Registers once with the given (unsaved) account and reports the outcome in user terms. */
  testConnection: { data: z.object({ account: AccountSchema }), result: ConnectionTestResultSchema },
  /** The user granted the microphone on the options page; the engine re-checks it. */
  microphoneChanged: { data: z.object({}), result: z.null() },
  /** The whole call log as CSV (RFC 4180, UTF-8 with BOM). */
  exportCallsCsv: { data: z.object({}), result: z.object({ csv: z.string() }) },
  /** The whole history as backup JSON; audio only when asked (it can be large). */
  exportHistoryBackup: {
    data: z.object({ includeRecordings: z.boolean() }),
    result: z.object({ json: z.string() }),
  },
  /** Validates and imports backup JSON; an invalid file writes nothing and its problems come back as data. */
  importHistoryBackup: {
    data: z.object({ json: z.string() }),
    result: HistoryImportResultSchema,
  },
  /** How many recordings are kept and how many bytes they take (the estimate beside them is the page's own). */
  getRecordingStorage: {
    data: z.object({}),
    result: z.object({ count: z.number().int().nonnegative(), totalBytes: z.number().nonnegative() }),
  },
  /**
   * Imports local contacts from a CSV or vCard file (decoded by the page, `contact-file.ts`): valid
   * rows are written in one transaction, the others come back with the reason they were skipped.
   */
  importContacts: {
    data: z.object({ text: z.string().max(6 * 1024 * 1024), format: z.enum(['csv', 'vcard']) }),
    result: ContactsImportResultSchema,
  },
  /** Deletes all call history (calls, notes, recordings, contacts, messages, tasks). */
  clearHistory: { data: z.object({}), result: z.null() },
  /** Asks amoCRM, with the given (possibly unsaved) connection, which account and user it acts as. */
  testCrmConnection: {
    data: z.object({ amocrm: AmoCrmConnectionSchema }),
    result: CrmConnectionTestResultSchema,
  },
  /**
   * "Sign in with amoCRM": the page ran the consent window and checked the redirect (state, account);
   * the background trades the code for tokens on the account's host, stores the OAuth connection
   * and runs the connection test.
   */
  signInAmoCrm: {
    data: z.object({
      host: z.string().min(1).max(300),
      clientId: z.string().trim().min(1).max(300),
      clientSecret: z.string().min(1).max(4096),
      redirectUri: z.url({ protocol: /^https$/ }),
      code: z.string().min(1).max(8192),
    }),
    result: AmoSignInResultSchema,
  },
});
