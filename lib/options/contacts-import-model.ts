import { signal, type ReadonlySignal } from '@preact/signals';
import { decodeContactFile, type ContactFileError } from '@/lib/crm/local/contact-file';
import type { ContactSkipReason } from '@/lib/crm/local/contact-import';
import { tOptions } from '@/lib/i18n/options-messages';
import type { OptionsClient } from '@/lib/options/options-model';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/** A file the user picked, as bytes (the page decodes it, so a wrong encoding is caught here). */
export interface PickedBinaryFile {
  readonly name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Import of local contacts from CSV or vCard:
 *
 * ```text
 * idle ──► importing ──► done (with the skipped rows in words)
 *              │
 *              ├──► invalid (nothing written: not a contacts file, wrong encoding, too large)
 *              ▼
 *            failed
 * ```
 */
export type ContactsImportState =
  | { state: 'idle' }
  | { state: 'importing'; fileName: string }
  | { state: 'done'; fileName: string; summary: string; skipped: string[] }
  | { state: 'invalid'; fileName: string; message: string }
  | { state: 'failed'; fileName: string; message: string };

export interface ContactsImportModel {
  readonly state: ReadonlySignal<ContactsImportState>;
  importFile(file: PickedBinaryFile): Promise<void>;
}

/** The options page's contacts import; the background checks every row and writes the valid ones. */
export function createContactsImportModel(deps: { client: Pick<OptionsClient, 'importContacts'> }): ContactsImportModel {
  const state = signal<ContactsImportState>({ state: 'idle' });
  return {
    state,
    async importFile(file) {
      const fileName = file.name;
      state.value = { state: 'importing', fileName };
      try {
        const decoded = decodeContactFile(new Uint8Array(await file.arrayBuffer()));
        if (!decoded.ok) {
          state.value = { state: 'invalid', fileName, message: fileErrorText(decoded.error) };
          return;
        }
        const format = /\.(vcf|vcard)$/i.test(fileName) || /^\s*BEGIN:VCARD/i.test(decoded.text) ? 'vcard' : 'csv';
        const result = await deps.client.importContacts({ text: decoded.text, format });
        if (!result.ok) {
          state.value = { state: 'invalid', fileName, message: fileErrorText(result.error) };
          return;
        }
        state.value = {
          state: 'done',
          fileName,
          summary: tOptions('contacts.done', { added: result.added, updated: result.updated, skipped: result.skipped.length }),
          skipped: result.skipped.map(({ at, reason, detail }) =>
            tOptions(format === 'vcard' ? 'contacts.skippedCard' : 'contacts.skippedRow', {
              at,
              reason: skipText(reason, detail),
            }),
          ),
        };
      } catch (error) {
        log.error('contacts import failed', error);
        state.value = { state: 'failed', fileName, message: String(error) };
      }
    },
  };
}

function fileErrorText(error: ContactFileError): string {
  return tOptions(`contacts.error.${error}`);
}

function skipText(reason: ContactSkipReason, detail: string | undefined): string {
  return tOptions(`contacts.skip.${reason}`, { detail: detail ?? '' });
}
