import { recordingErrorItem } from '@/lib/history/recording-error';

/**
 * Where the panel reads the last recording that could not be saved. Values are `unknown`: the
 * panel validates them (storage may hold a value of an older version).
 */
export interface RecordingErrorSource {
  getValue(): Promise<unknown>;
  /** Calls `callback` with every new value; returns a function that stops watching. */
  watch(callback: (value: unknown) => void): () => void;
}

/** The error the background keeps in `storage.local` ({@link recordingErrorItem}). */
export function createStorageRecordingErrorSource(): RecordingErrorSource {
  return {
    getValue: () => recordingErrorItem.getValue(),
    watch: (callback) => recordingErrorItem.watch((value) => callback(value)),
  };
}
