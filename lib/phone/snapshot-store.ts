import { storage } from '#imports';
import { EMPTY_SNAPSHOT, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';

/**
 * The latest engine snapshot, mirrored by the background into session storage: it survives service
 * worker restarts (but not the browser), and every extension page can read and watch it.
 */
export const phoneSnapshotItem = storage.defineItem<PhoneSnapshot>('session:phoneSnapshot', {
  fallback: EMPTY_SNAPSHOT,
});
