import { missedCallsItem } from '@/lib/history/missed-calls-item';
import type { MissedCallsSource } from '@/lib/panel/missed-calls-model';

/** The missed calls the background counted ({@link missedCallsItem}, session storage). */
export function createStorageMissedCallsSource(): MissedCallsSource {
  return {
    getValue: () => missedCallsItem.getValue(),
    watch: (callback) => missedCallsItem.watch((value) => callback(value)),
  };
}
