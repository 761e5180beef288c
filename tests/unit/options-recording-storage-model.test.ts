import { signal } from '@preact/signals';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { StorageManagerLike } from '@/lib/history/storage-budget';
import { createRecordingStorageModel } from '@/lib/options/recording-storage-model';
import { setLogLevel } from '@/lib/util/logger';

const MB = 1_000_000;

/** navigator.storage with fixed figures, counting persist() requests. */
function fakeStorage(usage: number, quota: number) {
  let persisted = false;
  const storage = {
    persistRequests: 0,
    estimate: async () => ({ usage, quota }),
    persisted: async () => persisted,
    persist: async () => {
      storage.persistRequests += 1;
      persisted = true;
      return true;
    },
  };
  return storage satisfies StorageManagerLike;
}

beforeEach(() => {
  fakeBrowser.reset();
  setLogLevel('error');
});

describe('recording storage model', () => {
  it('shows the estimate beside the recordings’ size', async () => {
    const storage = fakeStorage(120 * MB, 2_000 * MB);
    const model = createRecordingStorageModel({
      client: { getRecordingStorage: async () => ({ count: 3, totalBytes: 45 * MB }) },
      storage,
      recordingEnabled: signal(false),
    });
    await model.refresh();
    expect(model.status.value).toEqual({
      state: 'ready',
      budget: { usage: 120 * MB, quota: 2_000 * MB, usedRatio: 0.06, persisted: false },
      recordings: { count: 3, totalBytes: 45 * MB },
      nearFull: false,
    });
    expect(storage.persistRequests).toBe(0);
  });

  it('warns near full', async () => {
    const model = createRecordingStorageModel({
      client: { getRecordingStorage: async () => ({ count: 1, totalBytes: MB }) },
      storage: fakeStorage(95 * MB, 100 * MB),
      recordingEnabled: signal(false),
    });
    await model.refresh();
    expect(model.status.value).toMatchObject({ state: 'ready', nearFull: true });
  });

  it('asks for persistent storage once recording is enabled, and only once', async () => {
    const storage = fakeStorage(MB, 100 * MB);
    const enabled = signal(false);
    const model = createRecordingStorageModel({
      client: { getRecordingStorage: async () => ({ count: 0, totalBytes: 0 }) },
      storage,
      recordingEnabled: enabled,
    });
    model.start();
    expect(storage.persistRequests).toBe(0);
    enabled.value = true;
    await vi.waitFor(() => expect(model.status.value).toMatchObject({ state: 'ready', budget: { persisted: true } }));
    enabled.value = false;
    enabled.value = true;
    expect(storage.persistRequests).toBe(1);
    model.dispose();
  });

  it('says so when the figures cannot be read', async () => {
    const model = createRecordingStorageModel({
      client: {
        getRecordingStorage: async () => {
          throw new Error('no background');
        },
      },
      storage: undefined,
      recordingEnabled: signal(false),
    });
    await model.refresh();
    expect(model.status.value).toEqual({ state: 'failed', message: 'no background' });
  });
});
