import { tOptions } from '@/lib/i18n/options-messages';
import type { ContactsImportModel } from '@/lib/options/contacts-import-model';

export interface ContactsSectionProps {
  model: ContactsImportModel;
}

/** Local contacts: import from CSV or vCard, with a report of the rows that were skipped. */
export function ContactsSection({ model }: ContactsSectionProps) {
  const state = model.state.value;
  return (
    <section class="section" aria-labelledby="section-contacts">
      <h2 id="section-contacts">{tOptions('section.contacts')}</h2>
      <p class="hint">{tOptions('contacts.explain')}</p>
      <div class="field">
        <label for="contacts-import-file">{tOptions('contacts.file')}</label>
        <input
          id="contacts-import-file"
          type="file"
          accept=".csv,.vcf,.vcard,text/csv,text/vcard"
          data-testid="contacts-import-file"
          disabled={state.state === 'importing'}
          onChange={(event) => {
            const input = event.currentTarget;
            const file = input.files?.[0];
            input.value = '';
            if (file) void model.importFile(file);
          }}
        />
      </div>
      <div data-testid="contacts-import-status" data-state={state.state} role="status">
        {state.state === 'importing' && <p>{tOptions('contacts.importing', { file: state.fileName })}</p>}
        {state.state === 'done' && (
          <>
            <p>{state.summary}</p>
            {state.skipped.length > 0 && (
              <ul data-testid="contacts-skipped">
                {state.skipped.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            )}
          </>
        )}
        {(state.state === 'invalid' || state.state === 'failed') && (
          <p class="error" role="alert">
            {tOptions('contacts.notImported', { file: state.fileName, message: state.message })}
          </p>
        )}
      </div>
    </section>
  );
}
