import { effect, signal, type ReadonlySignal } from '@preact/signals';
import {
  estimateStorage,
  requestPersistentStorage,
  type StorageBudget,
  type StorageManagerLike,
} from '@/lib/history/storage-budget';
import type { OptionsClient } from '@/lib/options/options-model';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('options');

/** Used share of the quota from which the page warns that new recordings may not be saved. */
export const NEAR_FULL_RATIO = 0.9;

/**
 * What the storage section shows:
 *
 * ```text
 * loading ──► ready ──refresh──► loading
 *    └──────► failed ──refresh──► loading
 * ```
 */
export type RecordingStorageState =
  | { state: 'loading' }
  | {
      state: 'ready';
      /** The browser's estimate for this extension; absent where the browser gives none. */
      budget?: StorageBudget;
      recordings: { count: number; totalBytes: number };
      /** The quota is {@link NEAR_FULL_RATIO} used or more. */
      nearFull: boolean;
    }
  | { state: 'failed'; message: string };

export interface RecordingStorageModelDeps {
  client: Pick<OptionsClient, 'getRecordingStorage'>;
  /** `navigator.storage`; `undefined` where the page has none. */
  storage: StorageManagerLike | undefined;
  /** Whether any account records calls (the saved settings); persistence is asked for then. */
  recordingEnabled: ReadonlySignal<boolean>;
}

export interface RecordingStorageModel {
  readonly status: ReadonlySignal<RecordingStorageState>;
  /** Reads the estimate and the recordings' size again. */
  refresh(): Promise<void>;
  /** Reads once, and asks for persistent storage whenever recording is (or becomes) enabled. */
  start(): void;
  dispose(): void;
}

/**
 * The options page's view of storage: the browser's estimate (used / quota), the recordings' total
 * from the background, and `navigator.storage.persist()` once recording is on, so the browser does
 * not evict the history under storage pressure (`persist()` exists in documents, not in the
 * service worker, hence here).
 */
export function createRecordingStorageModel({
  client,
  storage,
  recordingEnabled,
}: RecordingStorageModelDeps): RecordingStorageModel {
  const status = signal<RecordingStorageState>({ state: 'loading' });
  let stop: (() => void) | undefined;
  let asked = false;

  async function refresh(): Promise<void> {
    status.value = { state: 'loading' };
    try {
      const [budget, recordings] = await Promise.all([estimateStorage(storage), client.getRecordingStorage({})]);
      status.value = {
        state: 'ready',
        ...(budget ? { budget } : {}),
        recordings,
        nearFull: budget !== undefined && budget.quota > 0 && budget.usedRatio >= NEAR_FULL_RATIO,
      };
    } catch (error) {
      log.warn('storage figures failed', error);
      status.value = { state: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  }

  return {
    status,
    refresh,
    start() {
      stop?.();
      void refresh();
      stop = effect(() => {
        if (!recordingEnabled.value || asked) return;
        asked = true;
        void requestPersistentStorage(storage).then((persisted) => {
          log.info(`persistent storage ${persisted ? 'granted' : 'not granted'}`);
          return refresh();
        });
      });
    },
    dispose() {
      stop?.();
      stop = undefined;
    },
  };
}
