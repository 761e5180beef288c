import { useLayoutEffect, useRef } from 'preact/hooks';
import { describeSettingsPath } from '@/components/options/field-labels';
import { JsonFileField } from '@/components/options/json-file-field';
import { tOptions } from '@/lib/i18n/options-messages';
import type { SettingsTransferModel } from '@/lib/options/settings-transfer-model';

export interface SettingsTransferSectionProps {
  model: SettingsTransferModel;
  /** The form has unsaved changes (which an export does not contain). */
  dirty: boolean;
}

/** Export with or without passwords; import with validation and confirmation. */
export function SettingsTransferSection({ model, dirty }: SettingsTransferSectionProps) {
  const importState = model.importState.value;
  const includePasswords = model.includePasswords.value;
  const confirmButton = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (importState.state === 'confirming') confirmButton.current?.focus();
  }, [importState.state]);

  return (
    <section class="section" aria-labelledby="section-transfer">
      <h2 id="section-transfer">{tOptions('section.transfer')}</h2>

      <h3>{tOptions('export.heading')}</h3>
      <div class="stack">
        <label class="checkbox">
          <input
            type="checkbox"
            data-testid="export-include-passwords"
            checked={includePasswords}
            onChange={(event) => model.setIncludePasswords(event.currentTarget.checked)}
          />
          {tOptions('export.includePasswords')}
        </label>
        {includePasswords && <p class="warning">{tOptions('export.passwordWarning')}</p>}
        {dirty && <p class="hint">{tOptions('export.unsavedNote')}</p>}
        <button type="button" data-testid="export" onClick={() => void model.exportSettings()}>
          {tOptions('export.button')}
        </button>
      </div>

      <h3>{tOptions('import.heading')}</h3>
      <JsonFileField
        id="import-file"
        label={tOptions('import.chooseFile')}
        testId="import-file"
        disabled={importState.state === 'saving'}
        onFile={(file) => void model.readFile(file)}
      />

      {importState.state === 'confirming' && (
        <div class="confirm" role="group" aria-labelledby="import-question" data-testid="import-confirmation">
          <p id="import-question">
            {tOptions('import.question', {
              file: importState.fileName,
              count: importState.settings.accounts.length,
            })}
          </p>
          <button
            type="button"
            class="danger"
            ref={confirmButton}
            data-testid="import-confirm"
            onClick={() => void model.confirmImport()}
          >
            {tOptions('import.confirm')}
          </button>
          <button
            type="button"
            class="secondary"
            data-testid="import-cancel"
            onClick={() => model.cancelImport()}
          >
            {tOptions('import.cancel')}
          </button>
        </div>
      )}

      <div data-testid="import-status" data-state={importState.state} role="status" aria-live="polite">
        {importState.state === 'reading' && <p>{tOptions('import.reading')}</p>}
        {importState.state === 'done' && (
          <p class="success">{tOptions('import.done', { file: importState.fileName })}</p>
        )}
        {importState.state === 'failed' && (
          <p class="error">{tOptions('import.failed', { message: importState.message })}</p>
        )}
        {importState.state === 'invalid' && (
          <div class="error" data-testid="import-errors">
            <p>{tOptions('import.problemsHeading')}</p>
            <ul>
              {importState.problems.map((problem, index) => {
                const message = tOptions(problem.key, problem.params);
                return (
                  <li key={index}>
                    {problem.path.length > 0
                      ? tOptions('import.problemAt', {
                          where: describeSettingsPath(problem.path),
                          problem: message,
                        })
                      : message}
                  </li>
                );
              })}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
