import { tOptions } from '@/lib/i18n/options-messages';
import type { RecordingStorageModel } from '@/lib/options/recording-storage-model';

export interface StorageSectionProps {
  model: RecordingStorageModel;
}

/** Megabytes for people (powers of 1000, as the recordings limit counts). */
function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0);
}

/** Storage: what the extension uses of its quota, what recordings take, and a warning near full. */
export function StorageSection({ model }: StorageSectionProps) {
  const status = model.status.value;
  return (
    <section class="section" aria-labelledby="section-storage">
      <h2 id="section-storage">{tOptions('section.storage')}</h2>
      <div data-testid="storage-status" data-state={status.state} role="status" aria-live="polite">
        {status.state === 'loading' && <p>{tOptions('storage.loading')}</p>}
        {status.state === 'failed' && <p class="error">{tOptions('storage.failed', { message: status.message })}</p>}
        {status.state === 'ready' && (
          <>
            {status.budget ? (
              <p data-testid="storage-usage">
                {tOptions('storage.usage', {
                  used: megabytes(status.budget.usage),
                  quota: megabytes(status.budget.quota),
                })}
              </p>
            ) : (
              <p>{tOptions('storage.unavailable')}</p>
            )}
            <p data-testid="storage-recordings">
              {tOptions('storage.recordings', {
                count: status.recordings.count,
                size: megabytes(status.recordings.totalBytes),
              })}
            </p>
            {status.budget && (
              <p class="hint">{tOptions(status.budget.persisted ? 'storage.persisted' : 'storage.notPersisted')}</p>
            )}
            {status.nearFull && status.budget && (
              <p class="warning" role="alert" data-testid="storage-near-full">
                {tOptions('storage.nearFull', { percent: Math.round(status.budget.usedRatio * 100) })}
              </p>
            )}
          </>
        )}
      </div>
      <button type="button" class="secondary" data-testid="storage-refresh" onClick={() => void model.refresh()}>
        {tOptions('storage.refresh')}
      </button>
    </section>
  );
}
