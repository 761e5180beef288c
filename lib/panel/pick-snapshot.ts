import type { PhoneSnapshot } from '@/lib/phone/phone-snapshot';

export interface PickSnapshotOptions {
  /**
   * Whether `candidate` may replace a snapshot of a different engine. True for news (the
   * background's answer to `getSnapshot`, storage changes); false for the value read from storage
   * at load, which may predate the engine the background has just reconciled with.
   * @defaultValue true
   */
  allowEngineChange?: boolean;
}

/**
 * Which of two snapshots the panel should show.
 *
 * Within one engine `seq` orders snapshots, so the higher one wins and a late, stale delivery is
 * dropped. A different engine is a newer one: engines replace each other (a new offscreen document)
 * and a replaced engine never publishes again. The empty snapshot (`engineId: ''`) never replaces
 * a real one.
 */
export function pickSnapshot(
  current: PhoneSnapshot,
  candidate: PhoneSnapshot,
  options: PickSnapshotOptions = {},
): PhoneSnapshot {
  if (candidate.engineId === current.engineId) return candidate.seq > current.seq ? candidate : current;
  if (candidate.engineId === '') return current;
  if (current.engineId === '') return candidate;
  return (options.allowEngineChange ?? true) ? candidate : current;
}
