import { storage } from '#imports';
import type { DismissedStore } from '@/lib/panel/wrap-up-model';

/**
 * History ids of finished calls whose after-call editor the agent closed with Done. Session
 * storage: a re-opened panel does not bring a closed editor back, and a new browser session starts
 * clean (the note and disposition themselves are in history).
 */
const wrapUpDismissedItem = storage.defineItem<string[]>('session:wrapUpDismissed', { fallback: [] });

/** {@link wrapUpDismissedItem} as the wrap-up model reads and writes it. */
export const wrapUpDismissed: DismissedStore = {
  load: () => wrapUpDismissedItem.getValue(),
  save: (ids) => wrapUpDismissedItem.setValue([...ids]),
};
