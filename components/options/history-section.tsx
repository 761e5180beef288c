import { useLayoutEffect, useRef } from 'preact/hooks';
import { JsonFileField } from '@/components/options/json-file-field';
import { tOptions } from '@/lib/i18n/options-messages';
import type { HistoryToolsModel } from '@/lib/options/history-tools-model';

export interface HistorySectionProps {
  model: HistoryToolsModel;
}

/** Call history: CSV export, JSON backup and restore, and clearing with a second confirmation. */
export function HistorySection({ model }: HistorySectionProps) {
  const status = model.status.value;
  const importState = model.importState.value;
  const includeRecordings = model.includeRecordings.value;
  const clearArmed = model.clearArmed.value;
  const busy = status.state === 'busy';
  const importConfirm = useRef<HTMLButtonElement>(null);
  const clearConfirm = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (importState.state === 'confirming') importConfirm.current?.focus();
  }, [importState.state]);
  useLayoutEffect(() => {
    if (clearArmed) clearConfirm.current?.focus();
  }, [clearArmed]);

  return (
    <section class="section" aria-labelledby="section-history">
      <h2 id="section-history">{tOptions('section.history')}</h2>

      <div class="stack">
        <button type="button" data-testid="history-export-csv" disabled={busy} onClick={() => void model.exportCsv()}>
          {tOptions('history.exportCsv')}
        </button>
        <label class="checkbox">
          <input
            type="checkbox"
            data-testid="history-include-recordings"
            checked={includeRecordings}
            onChange={(event) => model.setIncludeRecordings(event.currentTarget.checked)}
          />
          {tOptions('history.includeRecordings')}
        </label>
        {includeRecordings && <p class="hint">{tOptions('history.recordingsHint')}</p>}
        <button
          type="button"
          data-testid="history-export-backup"
          disabled={busy}
          onClick={() => void model.exportBackup()}
        >
          {tOptions('history.exportBackup')}
        </button>
      </div>

      <h3>{tOptions('history.importHeading')}</h3>
      <JsonFileField
        id="history-import-file"
        label={tOptions('history.importFile')}
        testId="history-import-file"
        disabled={importState.state === 'importing'}
        onFile={(file) => void model.readFile(file)}
      />

      {importState.state === 'confirming' && (
        <div class="confirm" role="group" aria-labelledby="history-import-question">
          <p id="history-import-question">
            {tOptions('history.importQuestion', { file: importState.fileName, calls: importState.calls })}
          </p>
          <button
            type="button"
            class="danger"
            ref={importConfirm}
            data-testid="history-import-confirm"
            onClick={() => void model.confirmImport()}
          >
            {tOptions('history.importConfirm')}
          </button>
          <button type="button" class="secondary" onClick={() => model.cancelImport()}>
            {tOptions('history.importCancel')}
          </button>
        </div>
      )}

      <div data-testid="history-import-status" data-state={importState.state} role="status" aria-live="polite">
        {importState.state === 'reading' && <p>{tOptions('history.importReading')}</p>}
        {importState.state === 'importing' && <p>{tOptions('history.importing')}</p>}
        {importState.state === 'done' && (
          <p class="success">
            {tOptions('history.importDone', {
              file: importState.fileName,
              calls: importState.counts.calls,
              notes: importState.counts.notes,
              recordings: importState.counts.recordings,
            })}
          </p>
        )}
        {importState.state === 'failed' && (
          <p class="error">{tOptions('history.importFailed', { message: importState.message })}</p>
        )}
        {importState.state === 'invalid' && (
          <div class="error" data-testid="history-import-errors">
            <p>{tOptions('history.importProblems')}</p>
            <ul>
              {importState.problems.map((problem, index) => (
                <li key={index}>{problem}</li>
              ))}
            </ul>
          </div>
        )}
      </div>

      <div class="stack">
        {!clearArmed ? (
          <button
            type="button"
            class="danger"
            data-testid="history-clear"
            disabled={busy}
            onClick={() => model.requestClear()}
          >
            {tOptions('history.clear')}
          </button>
        ) : (
          <div class="confirm" role="group" aria-labelledby="history-clear-question">
            <p id="history-clear-question">{tOptions('history.clearQuestion')}</p>
            <button
              type="button"
              class="danger"
              ref={clearConfirm}
              data-testid="history-clear-confirm"
              onClick={() => void model.confirmClear()}
            >
              {tOptions('history.clearConfirm')}
            </button>
            <button type="button" class="secondary" onClick={() => model.cancelClear()}>
              {tOptions('history.clearCancel')}
            </button>
          </div>
        )}
      </div>

      <div data-testid="history-status" data-state={status.state} role="status" aria-live="polite">
        {status.state === 'busy' && <p>{tOptions('history.busy')}</p>}
        {status.state === 'exported' && <p class="success">{tOptions('history.exported', { file: status.fileName })}</p>}
        {status.state === 'cleared' && <p class="success">{tOptions('history.cleared')}</p>}
        {status.state === 'failed' && <p class="error">{tOptions('history.failed', { message: status.message })}</p>}
      </div>
    </section>
  );
}
