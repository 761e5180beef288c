import { pushedCallerCardsItem } from '@/lib/crm/pushed-caller-cards';
import type { PushedCallerCardsSource } from '@/lib/panel/caller-card-model';

/** The caller cards the background pushes into `storage.session` ({@link pushedCallerCardsItem}). */
export function createStoragePushedCallerCardsSource(): PushedCallerCardsSource {
  return {
    getValue: () => pushedCallerCardsItem.getValue(),
    watch: (callback) => pushedCallerCardsItem.watch((value) => callback(value)),
  };
}
