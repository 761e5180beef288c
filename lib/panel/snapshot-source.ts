import { phoneSnapshotItem } from '@/lib/phone/snapshot-store';

/**
 * Where the panel reads the mirrored phone snapshot. Values are `unknown`: the panel validates them,
 * since storage may hold a snapshot written by an older version of the extension.
 */
export interface SnapshotSource {
  getValue(): Promise<unknown>;
  /** Calls `callback` with every new value; returns a function that stops watching. */
  watch(callback: (value: unknown) => void): () => void;
}

/** The snapshot the background mirrors into `storage.session` ({@link phoneSnapshotItem}). */
export function createStorageSnapshotSource(): SnapshotSource {
  return {
    getValue: () => phoneSnapshotItem.getValue(),
    watch: (callback) => phoneSnapshotItem.watch((value) => callback(value)),
  };
}
