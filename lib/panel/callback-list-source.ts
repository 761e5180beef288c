import { callbackListItem } from '@/lib/history/callback-list-item';
import type { CallbackListSource } from '@/lib/panel/callback-list-model';

/** The open callbacks the background listed ({@link callbackListItem}, session storage). */
export function createStorageCallbackListSource(): CallbackListSource {
  return {
    getValue: () => callbackListItem.getValue(),
    watch: (callback) => callbackListItem.watch((value) => callback(value)),
  };
}
